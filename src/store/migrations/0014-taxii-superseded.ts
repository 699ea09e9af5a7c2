/**
 * TAXII paging without a per-object sub-select.
 *
 * `intel_superseded`: one row per pair of versions of one object in one collection — version
 * `version` is older than `by_version`, whose TLP rank and spec version are stored beside it. A
 * version is the latest a reader with TLP ceiling C sees exactly when no row names it with
 * `by_rank <= C` (and, under `match[spec_version]`, a listed `by_spec_version`). Most objects have
 * one version, so the table stays small and the check is a probe into a few cached pages, where the
 * sub-select it replaces (the newest version per object, TLP-filtered) read the object table twice per
 * row and cost paging through 100,000 objects 2–3 times what reading them does (bench/taxii.ts).
 * Append-only like the objects it describes: a new version only adds pairs. Filled here from the
 * objects already stored.
 * @module
 */
import { type Kysely, sql } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function taxiiSupersededMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('intel_superseded')
        .addColumn('collection_id', 'text', (c) => c.notNull())
        .addColumn('stix_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('by_version', 'text', (c) => c.notNull())
        .addColumn('by_rank', 'integer', (c) => c.notNull())
        .addColumn('by_spec_version', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('intel_superseded_pk', ['collection_id', 'stix_id', 'version', 'by_version'])
        .execute();
      await sql`
        INSERT INTO intel_superseded (collection_id, stix_id, version, by_version, by_rank, by_spec_version)
        SELECT o.collection_id, o.stix_id, o.version, n.version, n.tlp_rank, n.spec_version
        FROM intel_objects o
        JOIN intel_objects n
          ON n.collection_id = o.collection_id AND n.stix_id = o.stix_id AND n.version > o.version
      `.execute(db);
      for (const stmt of flavor.appendOnly('intel_superseded')) await sql.raw(stmt).execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('intel_superseded').ifExists().execute();
    },
  };
}
