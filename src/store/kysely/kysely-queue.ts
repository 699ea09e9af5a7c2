/**
 * The work queue over Kysely. Claims lock rows with SKIP LOCKED where the dialect has it, so
 * concurrent workers on PostgreSQL take different items instead of waiting on each other.
 * @module
 */
import type { Enqueue, QueueStats, WorkItem, WorkQueue } from '../queue.js';
import type { StoreContext } from './context.js';
import { chunks, nowIso } from './chunks.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

export class KyselyQueue implements WorkQueue {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  async enqueue(items: readonly Enqueue[], at = nowIso()): Promise<number> {
    if (items.length === 0) return 0;
    const unique = [...new Map(items.map((i) => [`${i.queue}\u0000${i.key}`, i])).values()];
    return this.#scope.atomic(async (tx) => {
      let added = 0;
      for (const part of chunks(unique)) {
        const res = await tx.db
          .insertInto('work_items')
          .values(
            part.map((i) => ({
              queue: i.queue,
              key: i.key,
              payload: JSON.stringify(i.payload),
              state: 'pending',
              attempts: 0,
              available_at: at,
              lease_until: null,
              last_error: null,
              enqueued_at: at,
              updated_at: at,
            })),
          )
          .onConflict((oc) => oc.columns(['queue', 'key']).doNothing())
          .executeTakeFirst();
        added += Number(res.numInsertedOrUpdatedRows ?? 0n);
      }
      return added;
    });
  }

  claim(queue: string, limit: number, leaseMs: number, at = nowIso()): Promise<WorkItem[]> {
    const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
    return this.#scope.atomic(async (tx) => {
      let q = tx.db
        .selectFrom('work_items')
        .selectAll()
        .where('queue', '=', queue)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'pending'), eb('available_at', '<=', at)]),
            eb.and([eb('state', '=', 'leased'), eb('lease_until', '<', at)]),
          ]),
        )
        .orderBy('available_at')
        .limit(limit);
      if (this.#ctx.adapter.capabilities.supportsSkipLocked) q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await tx.db
        .updateTable('work_items')
        .set((eb) => ({
          state: 'leased',
          lease_until: leaseUntil,
          attempts: eb('attempts', '+', 1),
          updated_at: at,
        }))
        .where('queue', '=', queue)
        .where(
          'key',
          'in',
          rows.map((r) => r.key),
        )
        .execute();
      return rows.map((r) => ({
        queue: r.queue,
        key: r.key,
        payload: parseJson<Record<string, unknown>>(r.payload, {}),
        attempts: num(r.attempts) + 1,
        enqueuedAt: r.enqueued_at,
      }));
    });
  }

  async complete(queue: string, keys: readonly string[], at = nowIso()): Promise<void> {
    if (keys.length === 0) return;
    await this.#scope.atomic(async (tx) => {
      for (const part of chunks(keys, 500)) {
        await tx.db
          .updateTable('work_items')
          .set({ state: 'done', lease_until: null, updated_at: at })
          .where('queue', '=', queue)
          .where('key', 'in', part)
          .execute();
      }
    });
  }

  async fail(
    queue: string,
    key: string,
    error: string,
    options: { retryInMs: number; maxAttempts: number },
    at = nowIso(),
  ): Promise<void> {
    await this.#scope.atomic(async (tx) => {
      const row = await tx.db
        .selectFrom('work_items')
        .select('attempts')
        .where('queue', '=', queue)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return;
      const parked = num(row.attempts) >= options.maxAttempts;
      await tx.db
        .updateTable('work_items')
        .set({
          state: parked ? 'failed' : 'pending',
          available_at: new Date(Date.parse(at) + options.retryInMs).toISOString(),
          lease_until: null,
          last_error: error.slice(0, 2000),
          updated_at: at,
        })
        .where('queue', '=', queue)
        .where('key', '=', key)
        .execute();
    });
  }

  async stats(queue: string): Promise<QueueStats> {
    const rows = await this.#scope.db
      .selectFrom('work_items')
      .select(['state', (eb) => eb.fn.countAll().as('n')])
      .where('queue', '=', queue)
      .groupBy('state')
      .execute();
    const out = { pending: 0, leased: 0, done: 0, failed: 0 };
    for (const r of rows) if (r.state in out) out[r.state as keyof typeof out] = num(r.n);
    return out;
  }
}
