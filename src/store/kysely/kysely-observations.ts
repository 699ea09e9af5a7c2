/**
 * The observations aggregate over Kysely: ingest batches (observations, dead letters and the source's
 * checkpoint in one transaction), and reading observations back in sequence order.
 * @module
 */
import { type RawBuilder, sql } from 'kysely';
import type { ObservationKind } from '../../domain/index.js';
import { deadLetterDigest } from '../migrations/0006-dead-letter-digest.js';
import type {
  DeadLetter,
  DeadLetterFilter,
  IngestBatch,
  IngestBatchResult,
  ObservationStore,
  PayloadFields,
  StoredObservation,
} from '../observations.js';
import type { StoreContext } from './context.js';
import { chunks } from './chunks.js';
import type { ObservationRow } from './observation-rows.js';
import { num, parseJson, toDeadLetter } from './rows.js';
import type { Scope } from './scope.js';

/**
 * `kind = ?` for one kind, not `kind IN (?)`: only the equality lets SQLite use the partial index of a
 * kind that has one (tenant events, migration 0004).
 */
function kindFilter(kinds: readonly ObservationKind[]) {
  return kinds.length === 1
    ? sql<boolean>`kind = ${kinds[0]}`
    : sql<boolean>`kind in (${sql.join(kinds.length > 0 ? [...kinds] : [''])})`;
}

/** The payload field names `fieldsAfter` selects (they go into a JSON path). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class KyselyObservations implements ObservationStore {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  async checkpoint(source: string): Promise<string | undefined> {
    const row = await this.#scope.db
      .selectFrom('checkpoints')
      .select('cursor')
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.cursor;
  }

  writeBatch(batch: IngestBatch): Promise<IngestBatchResult> {
    const ingestedMs = Date.now();
    const ingestedAt = new Date(ingestedMs).toISOString();
    return this.#scope.atomic(async (tx) => {
      // Nearly every batch has one source; the last id is kept to skip even the map lookup.
      let lastName: string | undefined;
      let lastId = 0;
      const created = new Map<string, number>();
      const rows = new Array<ObservationRow>(batch.observations.length);
      for (let i = 0; i < rows.length; i++) {
        const o = batch.observations[i] as IngestBatch['observations'][number];
        if (o.source !== lastName) {
          lastName = o.source;
          lastId =
            this.#ctx.sourceIds.get(o.source) ??
            created.get(o.source) ??
            (await this.#createSource(tx, o.source, ingestedAt, created));
        }
        rows[i] = {
          source_id: lastId,
          kind: o.kind,
          dedupe_key: o.dedupeKey,
          observed_at: o.observedAt,
          ingested_ms: ingestedMs,
          payload: JSON.stringify(o.payload),
        };
      }
      const written = await this.#ctx.adapter.rows.observations.insert(tx, rows, batch.wantSeqs === true);
      let deadLettered = 0;
      for (const part of chunks(batch.deadLetters)) {
        const res = await tx.db
          .insertInto('dead_letters')
          .values(
            part.map((d) => ({
              source: d.source,
              position: d.position,
              raw: d.raw,
              code: d.rejection.code,
              reason: d.rejection.reason,
              path: d.rejection.path ?? null,
              created_at: ingestedAt,
              digest: deadLetterDigest(d.raw),
            })),
          )
          // The same record at the same position (a replay) is stored once; another one is kept too.
          .onConflict((oc) => oc.columns(['source', 'position', 'digest']).doNothing())
          .executeTakeFirst();
        deadLettered += Number(res.numInsertedOrUpdatedRows ?? 0n);
      }
      if (batch.cursor !== undefined) {
        await tx.db
          .insertInto('checkpoints')
          .values({ source: batch.source, cursor: batch.cursor, updated_at: ingestedAt })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({ cursor: batch.cursor, updated_at: ingestedAt }),
          )
          .execute();
      }
      return {
        inserted: written.inserted,
        duplicates: batch.observations.length - written.inserted,
        deadLettered,
        ...(written.seqs ? { insertedSeqs: written.seqs, ingestedAt } : {}),
      };
    });
  }

  /**
   * The `sources.id` of a source name not in the cache, created inside the batch's transaction. It
   * joins the cache once that transaction commits: an id of a rolled-back row must not be remembered.
   */
  async #createSource(tx: Scope, name: string, at: string, created: Map<string, number>): Promise<number> {
    await tx.db
      .insertInto('sources')
      .values({ name, created_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await tx.db
      .selectFrom('sources')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const id = num(row.id);
    created.set(name, id);
    tx.afterCommit(() => this.#ctx.sourceIds.set(name, id));
    return id;
  }

  async deadLetters(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    let q = this.#scope.db
      .selectFrom('dead_letters')
      .selectAll()
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.source !== undefined) q = q.where('source', '=', filter.source);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(toDeadLetter);
  }

  async count(source?: string): Promise<number> {
    let q = this.#scope.db.selectFrom('observations').select((eb) => eb.fn.countAll().as('n'));
    if (source !== undefined)
      q = q.where('source_id', '=', (eb) => eb.selectFrom('sources').select('id').where('name', '=', source));
    const row = await q.executeTakeFirstOrThrow();
    return num(row.n);
  }

  after(seq: number, limit: number, kinds?: readonly ObservationKind[]): Promise<StoredObservation[]> {
    const seqAfter = sql<boolean>`observations.seq > ${seq}`;
    return this.#read(limit, kinds === undefined ? [seqAfter] : [seqAfter, kindFilter(kinds)]);
  }

  async bySeqs(seqs: readonly number[]): Promise<StoredObservation[]> {
    const out: StoredObservation[] = [];
    for (const part of chunks(seqs))
      for (const o of await this.#read(part.length, [sql<boolean>`observations.seq in (${sql.join(part)})`]))
        out.push(o);
    return out;
  }

  mentioning(text: string, kinds: readonly ObservationKind[], limit: number): Promise<StoredObservation[]> {
    // LIKE with an escape character is the one substring test both dialects spell the same way.
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.#read(limit, [
      kindFilter(kinds),
      sql<boolean>`observations.payload like ${pattern} escape '\\'`,
    ]);
  }

  async #read(limit: number, conditions: readonly RawBuilder<boolean>[]): Promise<StoredObservation[]> {
    let q = this.#scope.db
      .selectFrom('observations')
      .innerJoin('sources', 'sources.id', 'observations.source_id')
      .select([
        'observations.seq',
        'sources.name as source',
        'observations.kind',
        'observations.dedupe_key',
        'observations.observed_at',
        'observations.ingested_ms',
        'observations.payload',
      ]);
    for (const c of conditions) q = q.where(c);
    const rows = await q.orderBy('observations.seq').limit(limit).execute();
    return rows.map(
      (r) =>
        ({
          seq: num(r.seq),
          source: r.source,
          kind: r.kind,
          dedupeKey: r.dedupe_key,
          observedAt: r.observed_at,
          ingestedAt: new Date(num(r.ingested_ms)).toISOString(),
          payload: parseJson(r.payload, {}),
        }) as StoredObservation,
    );
  }

  async countBySource(): Promise<Map<string, number>> {
    const rows = await this.#scope.db
      .selectFrom('observations')
      .innerJoin('sources', 'sources.id', 'observations.source_id')
      .select((eb) => ['sources.name as source', eb.fn.countAll().as('n')])
      .groupBy('sources.name')
      .execute();
    return new Map(rows.map((r) => [r.source, num(r.n)]));
  }

  async deadLettersBySource(): Promise<Map<string, number>> {
    const rows = await this.#scope.db
      .selectFrom('dead_letters')
      .select((eb) => ['source', eb.fn.countAll().as('n')])
      .groupBy('source')
      .execute();
    return new Map(rows.map((r) => [r.source, num(r.n)]));
  }

  async countAfter(seq: number, kinds?: readonly ObservationKind[]): Promise<number> {
    let q = this.#scope.db
      .selectFrom('observations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('seq', '>', seq);
    if (kinds !== undefined) q = q.where(kindFilter(kinds));
    const row = await q.executeTakeFirstOrThrow();
    return num(row.n);
  }

  async fieldsAfter(
    seq: number,
    limit: number,
    kind: ObservationKind,
    fields: readonly string[],
  ): Promise<PayloadFields[]> {
    for (const f of fields)
      if (!FIELD_NAME.test(f)) throw new Error(`'${f}' is not a payload field name this read can select`);
    const columns = fields.map((f, i) => this.#ctx.adapter.jsonField('payload', f).as(`f${i}`));
    const rows = (await this.#scope.db
      .selectFrom('observations')
      .select(['seq', ...columns])
      .where('seq', '>', seq)
      .where(kindFilter([kind]))
      .orderBy('seq')
      .limit(limit)
      .execute()) as unknown as Array<Record<string, string | number | null>>;
    return rows.map((r) => {
      const out: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const v = r[`f${i}`];
        if (v !== null && v !== undefined) out[f] = JSON.parse(String(v));
      });
      return { seq: num(r.seq as number), fields: out };
    });
  }

  async seqsAfter(seq: number, limit: number, kinds?: readonly ObservationKind[]): Promise<number[]> {
    let q = this.#scope.db.selectFrom('observations').select('seq').where('seq', '>', seq);
    if (kinds !== undefined) q = q.where(kindFilter(kinds));
    const rows = await q.orderBy('seq').limit(limit).execute();
    return rows.map((r) => num(r.seq));
  }
}
