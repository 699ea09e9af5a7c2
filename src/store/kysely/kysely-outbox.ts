/**
 * The outbox over Kysely. Claiming takes due rows with `FOR UPDATE SKIP LOCKED` where the dialect has
 * it (several worker processes on PostgreSQL) and moves their next attempt to the lease's end in the
 * same transaction.
 * @module
 */
import type { OutboxFilter, OutboxRow, OutboxStatus, OutboxStore } from '../outbox.js';
import type { OutboxTable } from '../schema.js';
import type { StoreContext } from './context.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

export class KyselyOutbox implements OutboxStore {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  enqueue(rows: readonly OutboxRow[]): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.#scope.atomic(async (tx) => {
      let added = 0;
      for (const r of rows) {
        const res = await tx.db
          .insertInto('outbox')
          .values(toRow(r))
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        added += Number(res.numInsertedOrUpdatedRows ?? 0n);
      }
      return added;
    });
  }

  claimDue(now: string, limit: number, leaseUntil: string): Promise<OutboxRow[]> {
    return this.#scope.atomic(async (tx) => {
      let q = tx.db
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      if (this.#ctx.adapter.capabilities.supportsSkipLocked) q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await tx.db
        .updateTable('outbox')
        .set({ next_attempt_at: leaseUntil })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map(fromRow);
    });
  }

  async record(
    id: string,
    state: Pick<OutboxRow, 'status' | 'attempts' | 'nextAttemptAt' | 'deliveredAt' | 'lastError'>,
    expectedAttempts: number,
  ): Promise<boolean> {
    const res = await this.#scope.db
      .updateTable('outbox')
      .set({
        status: state.status,
        attempts: state.attempts,
        next_attempt_at: state.nextAttemptAt,
        delivered_at: state.deliveredAt,
        last_error: state.lastError,
      })
      .where('id', '=', id)
      .where('attempts', '=', expectedAttempts)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    const row = await this.#scope.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxRow[]> {
    let q = this.#scope.db
      .selectFrom('outbox')
      .selectAll()
      .orderBy('created_at', filter.newestFirst ? 'desc' : 'asc')
      .orderBy('id', filter.newestFirst ? 'desc' : 'asc')
      .limit(filter.limit ?? 100);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.caseId !== undefined) q = q.where('case_id', '=', filter.caseId);
    return (await q.execute()).map(fromRow);
  }
}

function toRow(r: OutboxRow): OutboxTable {
  return {
    id: r.id,
    kind: r.kind,
    target: r.target,
    case_id: r.caseId,
    created_at: r.createdAt,
    payload: JSON.stringify(r.payload),
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.nextAttemptAt,
    delivered_at: r.deliveredAt,
    last_error: r.lastError,
  };
}

function fromRow(r: OutboxTable): OutboxRow {
  return {
    id: r.id,
    kind: r.kind,
    target: r.target,
    caseId: r.case_id,
    createdAt: r.created_at,
    payload: parseJson<Record<string, unknown>>(r.payload, {}),
    status: r.status as OutboxStatus,
    attempts: num(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
  };
}
