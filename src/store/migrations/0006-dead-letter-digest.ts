/**
 * Dead letters are unique per (source, position, digest of the raw text) instead of per (source,
 * position). Positions repeat whenever an input does: standard input is always `line 1…`, an API body
 * always `item 0…`, a rewritten file starts again at `line 1`. Keyed by position alone, the second bad
 * record at a position was counted as rejected but never stored. The digest keeps what the old key was
 * for — a replay of the same input after a crash does not store the same rejection twice — and lets a
 * different record at the same position be kept.
 *
 * SQLite cannot drop a table constraint, so there the table is rebuilt (ids kept).
 * @module
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DialectFlavor } from './flavor.js';

/** The digest the store writes with each dead letter (also used to backfill existing rows). */
export const deadLetterDigest = (raw: string): string =>
  createHash('sha256').update(raw).digest('hex').slice(0, 32);

async function backfill(db: Kysely<unknown>): Promise<void> {
  for (let after = -1; ; ) {
    const rows = await sql<{ id: number | string; raw: string }>`
      SELECT id, raw FROM dead_letters WHERE id > ${after} ORDER BY id LIMIT 1000`.execute(db);
    if (rows.rows.length === 0) return;
    for (const r of rows.rows)
      await sql`UPDATE dead_letters SET digest = ${deadLetterDigest(r.raw)} WHERE id = ${r.id}`.execute(db);
    after = Number(rows.rows[rows.rows.length - 1]?.id);
  }
}

export function deadLetterDigestMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (flavor.name === 'sqlite') {
        await sql`CREATE TABLE dead_letters_new (
          id integer PRIMARY KEY AUTOINCREMENT,
          source text NOT NULL,
          position text NOT NULL,
          raw text NOT NULL,
          code text NOT NULL,
          reason text NOT NULL,
          path text,
          created_at text NOT NULL,
          digest text NOT NULL DEFAULT ''
        )`.execute(db);
        await sql`INSERT INTO dead_letters_new (id, source, position, raw, code, reason, path, created_at)
          SELECT id, source, position, raw, code, reason, path, created_at FROM dead_letters`.execute(db);
        await sql`DROP TABLE dead_letters`.execute(db);
        await sql`ALTER TABLE dead_letters_new RENAME TO dead_letters`.execute(db);
      } else {
        await sql`ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_source_position`.execute(db);
        await sql`ALTER TABLE dead_letters ADD COLUMN digest text NOT NULL DEFAULT ''`.execute(db);
      }
      await backfill(db);
      await db.schema
        .createIndex('dead_letters_source_position_digest')
        .on('dead_letters')
        .columns(['source', 'position', 'digest'])
        .unique()
        .execute();
      // `dead-letters --source ID` pages through one source in id order.
      await db.schema
        .createIndex('dead_letters_source_id')
        .on('dead_letters')
        .columns(['source', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('dead_letters_source_id').ifExists().execute();
      await db.schema.dropIndex('dead_letters_source_position_digest').ifExists().execute();
      // The old key allows one row per position: the first one stays.
      await sql`DELETE FROM dead_letters WHERE id NOT IN (
        SELECT min(id) FROM dead_letters GROUP BY source, position)`.execute(db);
      if (flavor.name === 'sqlite') {
        await sql`CREATE TABLE dead_letters_old (
          id integer PRIMARY KEY AUTOINCREMENT,
          source text NOT NULL,
          position text NOT NULL,
          raw text NOT NULL,
          code text NOT NULL,
          reason text NOT NULL,
          path text,
          created_at text NOT NULL,
          CONSTRAINT dead_letters_source_position UNIQUE (source, position)
        )`.execute(db);
        await sql`INSERT INTO dead_letters_old (id, source, position, raw, code, reason, path, created_at)
          SELECT id, source, position, raw, code, reason, path, created_at FROM dead_letters`.execute(db);
        await sql`DROP TABLE dead_letters`.execute(db);
        await sql`ALTER TABLE dead_letters_old RENAME TO dead_letters`.execute(db);
      } else {
        await sql`ALTER TABLE dead_letters DROP COLUMN digest`.execute(db);
        await sql`ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_source_position UNIQUE (source, position)`.execute(
          db,
        );
      }
    },
  };
}
