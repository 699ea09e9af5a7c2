/**
 * The review stage's tables: cases (one per campaign or lone entity, reopened on new evidence), their
 * append-only event history (claims, decisions, notes, evidence), the outbox of actions written with the
 * decisions that cause them, suppressions (benign feedback on entities and pivots), the applied policy
 * versions — and the audit log becomes a hash chain (`seq`, `prev_hash`, `hash`), backfilled over the
 * entries written before it.
 * @module
 */
import { type Kysely, sql } from 'kysely';
import { auditRecordOf, entryHash, GENESIS } from '../audit-hash.js';
import type { DialectFlavor } from './flavor.js';

function dropAppendOnly(flavor: DialectFlavor, t: string): string[] {
  return flavor.name === 'sqlite'
    ? [`DROP TRIGGER IF EXISTS ${t}_no_update`, `DROP TRIGGER IF EXISTS ${t}_no_delete`]
    : [`DROP TRIGGER IF EXISTS ${t}_no_change ON ${t}`, `DROP TRIGGER IF EXISTS ${t}_no_truncate ON ${t}`];
}

async function chainExisting(db: Kysely<unknown>): Promise<void> {
  let seq = 0;
  let prev = GENESIS;
  for (let after = -1; ; ) {
    const rows = await sql<{
      id: number | string;
      at: string;
      actor: string;
      action: string;
      subject: string;
      detail: string;
    }>`SELECT id, at, actor, action, subject, detail FROM audit_events WHERE id > ${after} ORDER BY id LIMIT 1000`.execute(
      db,
    );
    if (rows.rows.length === 0) return;
    for (const r of rows.rows) {
      seq++;
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(r.detail) as Record<string, unknown>;
      } catch {
        detail = {};
      }
      const hash = entryHash(auditRecordOf({ ...r, detail }), seq, prev);
      await sql`UPDATE audit_events SET seq = ${seq}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}`.execute(
        db,
      );
      prev = hash;
    }
    after = Number(rows.rows[rows.rows.length - 1]?.id);
  }
}

export function reviewMigration(flavor: DialectFlavor) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // One case per subject for ever: new evidence reopens it instead of opening a second one.
        .addColumn('subject', 'text', (c) => c.notNull().unique())
        .addColumn('campaign_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('score', 'real', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('respond_by', 'text', (c) => c.notNull())
        .addColumn('resolve_by', 'text', (c) => c.notNull())
        .addColumn('responded_at', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('assignee', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('reopened', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('decision', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('policy_hash', 'text', (c) => c.notNull())
        .execute();
      // The queue: by state (and queue), most urgent first, oldest first.
      await db.schema
        .createIndex('cases_queue_order')
        .on('cases')
        .columns(['state', 'priority', 'opened_at', 'id'])
        .execute();
      await db.schema.createIndex('cases_campaign').on('cases').column('campaign_id').execute();

      await db.schema
        .createTable('case_events')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text')
        .addColumn('note', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();
      await db.schema.createIndex('case_events_kind').on('case_events').columns(['kind', 'id']).execute();
      for (const stmt of flavor.appendOnly('case_events')) await sql.raw(stmt).execute(db);

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('suppressions')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('factor', 'real', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .addPrimaryKeyConstraint('suppressions_pk', ['key', 'case_id'])
        .execute();

      await db.schema
        .createTable('policy_versions')
        .addColumn('id', flavor.serial, (c) =>
          c.primaryKey().$call((b) => (flavor.name === 'sqlite' ? b.autoIncrement() : b)),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('revision', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();

      // The audit chain: the triggers come off for the backfill only, inside this migration.
      for (const stmt of dropAppendOnly(flavor, 'audit_events')) await sql.raw(stmt).execute(db);
      await db.schema.alterTable('audit_events').addColumn('seq', 'integer').execute();
      await db.schema.alterTable('audit_events').addColumn('prev_hash', 'text').execute();
      await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
      await chainExisting(db);
      // A second writer that read the same head cannot fork the chain: its insert fails.
      await db.schema.createIndex('audit_events_seq').on('audit_events').column('seq').unique().execute();
      for (const stmt of flavor.appendOnly('audit_events')) await sql.raw(stmt).execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const stmt of dropAppendOnly(flavor, 'audit_events')) await sql.raw(stmt).execute(db);
      await db.schema.dropIndex('audit_events_seq').ifExists().execute();
      for (const c of ['hash', 'prev_hash', 'seq'])
        await db.schema.alterTable('audit_events').dropColumn(c).execute();
      for (const stmt of flavor.appendOnly('audit_events')) await sql.raw(stmt).execute(db);
      for (const t of ['policy_versions', 'suppressions', 'outbox', 'case_events', 'cases'])
        await db.schema.dropTable(t).ifExists().execute();
    },
  };
}
