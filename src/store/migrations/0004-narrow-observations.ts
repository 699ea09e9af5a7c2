/**
 * A narrower observation row, because observations are the one table written at feed speed:
 * - the source name (often a 40–80 character path or URL) moves to a `sources` table and each row keeps
 *   a small integer;
 * - the ingest time becomes epoch milliseconds (an integer of a few bytes instead of 24 characters);
 * - the `(kind, seq)` index, which every insert paid for, becomes a partial index over the one kind a
 *   stage reads on its own (tenant events). Other stages read every kind in sequence order and need
 *   only the primary key.
 * Measured on SQLite with 1,000,000 list rows: ~184,000 → ~290,000 bare inserts/s, file 409 → 311 MB.
 * @module
 */
import { type Kysely, sql } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function narrowObservationsMigration(flavor: DialectFlavor) {
  const epochMs =
    flavor.name === 'sqlite'
      ? sql`CAST(ROUND((julianday(ingested_at) - 2440587.5) * 86400000) AS INTEGER)`
      : sql`(extract(epoch from ingested_at::timestamptz) * 1000)::bigint`;
  const isoFromMs =
    flavor.name === 'sqlite'
      ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', ingested_ms / 1000.0, 'unixepoch')`
      : sql`to_char(to_timestamp(ingested_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sources')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO sources (name, created_at)
        SELECT source, min(ingested_at) FROM observations GROUP BY source ORDER BY min(seq)`.execute(db);

      await db.schema
        .alterTable('observations')
        .addColumn('source_id', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('observations')
        .addColumn('ingested_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`UPDATE observations SET
        source_id = (SELECT id FROM sources WHERE sources.name = observations.source),
        ingested_ms = ${epochMs}`.execute(db);
      await db.schema.alterTable('observations').dropColumn('source').execute();
      await db.schema.alterTable('observations').dropColumn('ingested_at').execute();

      await db.schema.dropIndex('observations_kind_seq').ifExists().execute();
      await sql`CREATE INDEX observations_tenant_seq ON observations (seq) WHERE kind = 'tenant-event'`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('observations_tenant_seq').ifExists().execute();
      await db.schema
        .createIndex('observations_kind_seq')
        .on('observations')
        .columns(['kind', 'seq'])
        .execute();
      await db.schema
        .alterTable('observations')
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('observations')
        .addColumn('ingested_at', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`UPDATE observations SET
        source = (SELECT name FROM sources WHERE sources.id = observations.source_id),
        ingested_at = ${isoFromMs}`.execute(db);
      await db.schema.alterTable('observations').dropColumn('source_id').execute();
      await db.schema.alterTable('observations').dropColumn('ingested_ms').execute();
      await db.schema.dropTable('sources').execute();
    },
  };
}
