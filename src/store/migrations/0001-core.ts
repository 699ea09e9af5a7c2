/**
 * The core schema: observations and what the pipeline derives from them, ingest bookkeeping, keys and
 * the audit log. Written once for both dialects; the few differences go through `DialectFlavor`.
 * @module
 */
import { type Kysely, sql } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function coreMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('observations')
        .addColumn('seq', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('observed_at', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('dead_letters')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('path', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        // A replay after a crash re-reads the same bad record: it must not be dead-lettered twice.
        .addUniqueConstraint('dead_letters_source_position', ['source', 'position'])
        .execute();

      await db.schema
        .createTable('checkpoints')
        .addColumn('source', 'text', (c) => c.primaryKey())
        .addColumn('cursor', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('stage_cursors')
        .addColumn('stage', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('entities')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('display', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('attrs', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entities_type').on('entities').columns(['type', 'key']).execute();

      await db.schema
        .createTable('links')
        .addColumn('from_key', 'text', (c) => c.notNull())
        .addColumn('to_key', 'text', (c) => c.notNull())
        .addColumn('pivot', 'text', (c) => c.notNull())
        .addColumn('strength', 'real', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('provenance', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['from_key', 'to_key', 'pivot'])
        .execute();
      await db.schema.createIndex('links_to').on('links').columns(['to_key', 'pivot']).execute();

      await db.schema
        .createTable('signals')
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('signal_id', 'text', (c) => c.notNull())
        .addColumn('detector', 'text', (c) => c.notNull())
        .addColumn('weight', 'real', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('observed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('signals_pk', ['entity_key', 'signal_id'])
        .execute();

      await db.schema
        .createTable('assessments')
        .addColumn('entity_key', 'text', (c) => c.primaryKey())
        .addColumn('score', 'real', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('contributions', 'text', (c) => c.notNull())
        .addColumn('assessed_at', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assessments_flagged')
        .on('assessments')
        .columns(['flagged', 'score'])
        .execute();

      await db.schema
        .createTable('assessment_history')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('score', 'real', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('contributions', 'text', (c) => c.notNull())
        .addColumn('assessed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assessment_history_entity')
        .on('assessment_history')
        .columns(['entity_key', 'id'])
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      for (const stmt of flavor.appendOnly('audit_events')) await sql.raw(stmt).execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'audit_events',
        'api_keys',
        'assessment_history',
        'assessments',
        'signals',
        'links',
        'entities',
        'stage_cursors',
        'checkpoints',
        'dead_letters',
        'observations',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  };
}
