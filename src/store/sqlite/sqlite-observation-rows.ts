/**
 * Observation inserts on SQLite: one cached single-row statement in a loop, which also reports the
 * sequence number of every new row for free (`seq` is the rowid alias).
 * @module
 */
import type { ObservationRows } from '../kysely/observation-rows.js';
import { insertInto, type SqliteStatementHost } from './sqlite-statements.js';

export function sqliteObservationRows(host: SqliteStatementHost): ObservationRows {
  const insert = insertInto(
    host,
    'observations',
    ['source_id', 'kind', 'dedupe_key', 'observed_at', 'ingested_ms', 'payload'],
    { nothing: ['dedupe_key'] },
  );
  return {
    async insert(_tx, rows, wantSeqs) {
      const seqs: (number | undefined)[] | undefined = wantSeqs ? [] : undefined;
      let inserted = 0;
      for (const r of rows) {
        const res = insert.run(r.source_id, r.kind, r.dedupe_key, r.observed_at, r.ingested_ms, r.payload);
        inserted += res.changes;
        seqs?.push(res.changes === 1 ? Number(res.lastInsertRowid) : undefined);
      }
      return seqs ? { inserted, seqs } : { inserted };
    },
  };
}
