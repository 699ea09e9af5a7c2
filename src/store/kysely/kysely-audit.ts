/**
 * The audit log over Kysely (append-only: the migrations add triggers that reject UPDATE and DELETE),
 * chained on append: the head is read and the new entry inserted in one transaction, which on
 * PostgreSQL first takes a transaction-scoped advisory lock so concurrent writers queue up instead of
 * failing on the unique position; on SQLite the single writer already serialises them.
 * @module
 */
import { sql } from 'kysely';
import type { AuditEvent } from '../../domain/index.js';
import type { AuditFilter, AuditLog, ChainedAuditEvent } from '../audit.js';
import { auditRecordOf, entryHash, GENESIS } from '../audit-hash.js';
import type { StoreContext } from './context.js';
import { num, toAudit } from './rows.js';
import type { Scope } from './scope.js';

/** Arbitrary constant naming the audit chain's advisory lock. */
const AUDIT_LOCK = 7_311_042_008;

export class KyselyAudit implements AuditLog {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  append(event: Omit<AuditEvent, 'id'>): Promise<ChainedAuditEvent> {
    return this.#scope.atomic(async (tx) => {
      if (this.#ctx.adapter.flavor.name === 'postgres')
        await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(tx.db);
      const head = await headOf(tx);
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.hash ?? GENESIS;
      const hash = entryHash(auditRecordOf(event), seq, prevHash);
      const row = await tx.db
        .insertInto('audit_events')
        .values({
          at: event.at,
          actor: event.actor,
          action: event.action,
          subject: event.subject,
          detail: JSON.stringify(event.detail),
          seq,
          prev_hash: prevHash,
          hash,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toChained(row);
    });
  }

  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    let q = this.#scope.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(toAudit);
  }

  async chain(afterId: number, limit: number): Promise<ChainedAuditEvent[]> {
    const rows = await this.#scope.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toChained);
  }

  head(): Promise<{ seq: number; hash: string } | undefined> {
    return headOf(this.#scope);
  }
}

async function headOf(scope: Scope): Promise<{ seq: number; hash: string } | undefined> {
  const row = await scope.db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq == null || row.hash == null ? undefined : { seq: num(row.seq), hash: row.hash };
}

function toChained(
  r: Parameters<typeof toAudit>[0] & {
    seq: number | string | null;
    prev_hash: string | null;
    hash: string | null;
  },
): ChainedAuditEvent {
  return {
    ...toAudit(r),
    seq: r.seq == null ? null : num(r.seq),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
