import type { Aggregates } from '../../src/store/store.js';

/**
 * Counts the observations read back through `observations.after` (or `bySeqs`) from now on: how tests
 * show that a stage took what ingest handed it from memory instead of reading it from the store.
 */
export function countObservationReads(
  store: Pick<Aggregates, 'observations'>,
  method: 'after' | 'bySeqs' = 'after',
): {
  readonly count: number;
  /** Puts the store's own method back. */
  restore(): void;
} {
  const observations = store.observations as unknown as Record<
    typeof method,
    (...args: unknown[]) => Promise<readonly unknown[]>
  >;
  const original = observations[method];
  const counter = {
    count: 0,
    restore: () => {
      observations[method] = original;
    },
  };
  observations[method] = async (...args) => {
    const rows = await original.apply(store.observations, args);
    counter.count += rows.length;
    return rows;
  };
  return counter;
}
