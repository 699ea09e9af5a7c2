import type { Aggregates } from '../../src/store/store.js';

/**
 * Counts the observations read back through `observations.after` from now on: how tests show that a
 * stage took what ingest handed it from memory instead of reading it from the store.
 */
export function countObservationReads(store: Pick<Aggregates, 'observations'>): {
  readonly count: number;
  /** Puts the store's own `after` back. */
  restore(): void;
} {
  const observations = store.observations;
  const original = observations.after;
  const counter = {
    count: 0,
    restore: () => {
      observations.after = original;
    },
  };
  observations.after = async (...args) => {
    const rows = await original.apply(observations, args);
    counter.count += rows.length;
    return rows;
  };
  return counter;
}
