/**
 * How the stages commit (the detect stage's slices, the tenant stage's batches): each step on its own,
 * or several steps in one transaction. Steps that share one read what the ones before wrote on the same
 * connection, so the rows are the same either way; what changes is how often the pages they touch are
 * written to the write-ahead log, and how long the connection stays held.
 * @module
 */
import type { Aggregates } from '../store/store.js';

/**
 * Runs `step` until it returns false. With `groupMs` ≤ 0 each step gets `store` itself and commits its
 * own writes (holding the connection only while it writes). Otherwise steps share a transaction until it
 * has been open `groupMs`, then it commits and the next opens; a crash re-does the steps of the one open.
 */
export async function repeatInTransactions(
  store: Aggregates,
  groupMs: number,
  step: (db: Aggregates) => Promise<boolean>,
): Promise<void> {
  if (groupMs <= 0) {
    while (await step(store));
    return;
  }
  let more = true;
  while (more)
    await store.transaction(async (tx) => {
      const opened = performance.now();
      do more = await step(tx);
      while (more && performance.now() - opened < groupMs);
    });
}
