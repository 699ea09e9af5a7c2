import type { Aggregates } from '../../src/store/store.js';

type ReadMethod = 'after' | 'bySeqs';
type Observations = Aggregates['observations'];

/**
 * Counts the observations read back through `observations.after` (or `bySeqs`) from now on — by the
 * store itself and by the aggregates of every transaction it opens meanwhile (the stages read inside
 * their transactions): how tests show that a stage took what ingest handed it from memory instead of
 * reading it from the store.
 */
export function countObservationReads(
  store: Pick<Aggregates, 'observations'> & Partial<Pick<Aggregates, 'transaction'>>,
  method: ReadMethod = 'after',
): {
  readonly count: number;
  /** Puts the store's own methods back. */
  restore(): void;
} {
  const counter = { count: 0, restore: () => {} };
  const patched = new WeakSet<Observations>();
  const patch = (observations: Observations): (() => void) => {
    if (patched.has(observations)) return () => {};
    patched.add(observations);
    const original = observations[method] as (...args: unknown[]) => Promise<readonly unknown[]>;
    (observations as unknown as Record<ReadMethod, unknown>)[method] = async (...args: unknown[]) => {
      const rows = await original.apply(observations, args);
      counter.count += rows.length;
      return rows;
    };
    return () => {
      (observations as unknown as Record<ReadMethod, unknown>)[method] = original;
      patched.delete(observations);
    };
  };
  const unpatch = patch(store.observations);
  const transaction = store.transaction;
  const own = Object.hasOwn(store, 'transaction');
  if (transaction !== undefined)
    store.transaction = ((fn: (tx: Aggregates) => Promise<unknown>) =>
      transaction.call(store, (tx: Aggregates) => {
        patch(tx.observations);
        return fn(tx);
      })) as Aggregates['transaction'];
  counter.restore = () => {
    unpatch();
    if (own && transaction !== undefined) store.transaction = transaction;
    else delete store.transaction;
  };
  return counter;
}
