/**
 * Superseded cases: `cases.superseded_by` names the case that took over a case whose subject went away
 * (a campaign a recluster dissolved or merged, a lone entity that joined a campaign with its own case).
 * Null for every case written before: none was superseded then. Indexed so a case's predecessors are a
 * probe, not a scan.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function caseSupersededMigration(_flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('cases').addColumn('superseded_by', 'text').execute();
      await db.schema.createIndex('cases_superseded_by').on('cases').column('superseded_by').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('cases_superseded_by').ifExists().execute();
      await db.schema.alterTable('cases').dropColumn('superseded_by').execute();
    },
  };
}
