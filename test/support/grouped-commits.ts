import assert from 'node:assert/strict';
import type { Store } from '../../src/store/store.js';

/** Counts the transactions opened on `store` itself from now on (each is a commit). */
export function countCommits(store: Store): { readonly count: number } {
  const counter = { count: 0 };
  const transaction = store.transaction.bind(store);
  store.transaction = ((fn: Parameters<Store['transaction']>[0]) => {
    counter.count += 1;
    return transaction(fn);
  }) as Store['transaction'];
  return counter;
}

/**
 * Runs a stage twice on fresh stores — a commit per slice (`commitAfterMs` 0), then every slice in one
 * transaction — and checks that both wrote the same and committed `each` times and once. Returns what
 * the first run saw.
 */
export async function sameGroupedOrNot<T>(
  run: (commitAfterMs: number) => Promise<{ readonly commits: number; readonly seen: T }>,
  each: number,
): Promise<T> {
  const apart = await run(0);
  const together = await run(60_000);
  assert.equal(apart.commits, each);
  assert.equal(together.commits, 1);
  assert.deepEqual(together.seen, apart.seen);
  return apart.seen;
}
