/**
 * The bulk path of observation inserts, and its portable implementation (multi-row INSERTs).
 * @module
 */
import type { Insertable } from 'kysely';
import type { ObservationsTable } from '../schema.js';
import { chunks } from './chunks.js';
import { num } from './rows.js';
import type { Scope } from './scope.js';

export type ObservationRow = Required<Omit<Insertable<ObservationsTable>, 'seq'>>;

export interface ObservationRows {
  /**
   * Inserts `rows` inside the open transaction `tx`, skipping dedupe keys already stored. Returns how
   * many were new and, when `wantSeqs` is set, the sequence number of
   * each row (undefined for a duplicate).
   */
  insert(
    tx: Scope,
    rows: readonly ObservationRow[],
    wantSeqs: boolean,
  ): Promise<{ inserted: number; seqs?: (number | undefined)[] }>;
}

export const kyselyObservationRows: ObservationRows = {
  async insert(tx, rows, wantSeqs) {
    let inserted = 0;
    if (wantSeqs) {
      // Which rows were new, from RETURNING; of two rows with one key in the batch the first is.
      const stored = new Map<string, number>();
      for (const part of chunks(rows)) {
        const res = await tx.db
          .insertInto('observations')
          .values(part)
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .returning(['seq', 'dedupe_key'])
          .execute();
        for (const r of res) stored.set(r.dedupe_key, num(r.seq));
        inserted += res.length;
      }
      const seqs = rows.map((r) => {
        const seq = stored.get(r.dedupe_key);
        stored.delete(r.dedupe_key);
        return seq;
      });
      return { inserted, seqs };
    }
    for (const part of chunks(rows)) {
      const res = await tx.db
        .insertInto('observations')
        .values(part)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
      inserted += Number(res.numInsertedOrUpdatedRows ?? 0n);
    }
    return { inserted };
  },
};
