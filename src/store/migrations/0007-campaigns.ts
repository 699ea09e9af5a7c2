/**
 * Campaigns (the correlate stage's output): one row per campaign with its read model (counts, top
 * pivots, growth, lead time, explanation), its members (looked up by entity as well as by campaign)
 * and its timeline of events (created, grew, merged, split, dissolved, flagged).
 * @module
 */
import type { Kysely } from 'kysely';
import type { DialectFlavor } from './flavor.js';

export function campaignsMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('risk', 'integer', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .addColumn('top_pivots', 'text', (c) => c.notNull())
        .addColumn('pivots', 'text', (c) => c.notNull())
        .addColumn('growth', 'text', (c) => c.notNull())
        .addColumn('lead_time', 'text')
        .addColumn('lead_time_hours', 'double precision')
        .addColumn('explanation', 'text', (c) => c.notNull())
        .execute();
      // The list reads active campaigns by risk, highest first, then id (keyset).
      await db.schema
        .createIndex('campaigns_state_risk')
        .on('campaigns')
        .columns(['state', 'risk', 'id'])
        .execute();
      await db.schema
        .createTable('campaign_members')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('display', 'text', (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_members_pk', ['campaign_id', 'entity_key'])
        .execute();
      await db.schema
        .createIndex('campaign_members_entity')
        .on('campaign_members')
        .column('entity_key')
        .execute();
      await db.schema
        .createTable('campaign_events')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_events_campaign')
        .on('campaign_events')
        .columns(['campaign_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('campaign_events').ifExists().execute();
      await db.schema.dropTable('campaign_members').ifExists().execute();
      await db.schema.dropTable('campaigns').ifExists().execute();
    },
  };
}
