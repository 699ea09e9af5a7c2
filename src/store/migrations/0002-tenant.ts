/**
 * Tenant behaviour: a place for stateful stages to persist their state (the tenant windows), and an
 * index that lets a stage read one kind of observation in sequence order.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function tenantMigration(_flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('stage_state')
        .addColumn('stage', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('observations_kind_seq')
        .on('observations')
        .columns(['kind', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('observations_kind_seq').ifExists().execute();
      await db.schema.dropTable('stage_state').ifExists().execute();
    },
  };
}
