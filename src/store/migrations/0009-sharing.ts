/**
 * Sharing: what review has confirmed, as published intel.
 *
 * - `intel_records`: every version of a published indicator or campaign (the sharing model as JSON),
 *   append-only — a takedown or a reversed decision is a new version with `revoked`, never an edit.
 * - `intel_objects`: every STIX object version in every TAXII collection, with its `date_added`
 *   (fixed-width µs UTC, strictly increasing per store, so keyset cursors on (date_added, id, version)
 *   stay stable) and the TLP rank of its marking (a reader's ceiling is one comparison). Append-only.
 * - `intel_collections` and `intel_grants`: TAXII collections and which partner may read them up to
 *   which TLP; `api_keys.partner` ties a key to a partner.
 * - `taxii_status`: status resources of POSTed envelopes.
 * @module
 */
import { type Kysely, sql } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function sharingMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('api_keys').addColumn('partner', 'text').execute();

      await db.schema
        .createTable('intel_collections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alias', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('can_write', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('intel_grants')
        .addColumn('collection_id', 'text', (c) => c.notNull())
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('intel_grants_pk', ['collection_id', 'partner'])
        .execute();

      await db.schema
        .createTable('intel_records')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('modified', 'text', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('case_id', 'text')
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('intel_records_pk', ['kind', 'key', 'version'])
        .execute();
      await db.schema
        .createIndex('intel_records_modified')
        .on('intel_records')
        .columns(['modified'])
        .execute();
      await db.schema.createIndex('intel_records_case').on('intel_records').columns(['case_id']).execute();
      for (const stmt of flavor.appendOnly('intel_records')) await sql.raw(stmt).execute(db);

      await db.schema
        .createTable('intel_objects')
        .addColumn('seq', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('collection_id', 'text', (c) => c.notNull())
        .addColumn('stix_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('spec_version', 'text', (c) => c.notNull())
        .addColumn('date_added', 'text', (c) => c.notNull())
        .addColumn('tlp_rank', 'integer', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addUniqueConstraint('intel_objects_version', ['collection_id', 'stix_id', 'version'])
        .execute();
      await db.schema
        .createIndex('intel_objects_page')
        .on('intel_objects')
        .columns(['collection_id', 'date_added', 'stix_id', 'version'])
        .execute();
      for (const stmt of flavor.appendOnly('intel_objects')) await sql.raw(stmt).execute(db);

      await db.schema
        .createTable('taxii_status')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['taxii_status', 'intel_objects', 'intel_records', 'intel_grants', 'intel_collections'])
        await db.schema.dropTable(t).ifExists().execute();
      await db.schema.alterTable('api_keys').dropColumn('partner').execute();
    },
  };
}
