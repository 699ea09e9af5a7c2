/**
 * Durable work queues (the crawl queue fed by flagged names, enrichment, …). Rows are keyed by
 * (queue, key) so enqueueing the same target twice is a no-op while it is pending.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function workQueueMigration(_flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('work_items')
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('available_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('enqueued_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('work_items_pk', ['queue', 'key'])
        .execute();
      await db.schema
        .createIndex('work_items_ready')
        .on('work_items')
        .columns(['queue', 'state', 'available_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('work_items').ifExists().execute();
    },
  };
}
