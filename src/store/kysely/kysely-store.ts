/**
 * The one implementation of `Store`, over any Kysely dialect. Dialect differences come in through
 * `DialectAdapter`; nothing here names SQLite or PostgreSQL.
 * @module
 */
import { type Kysely, Migrator, sql, type Transaction } from 'kysely';
import type {
  Assessment,
  AuditEvent,
  Entity,
  EntityKey,
  Link,
  ObservationKind,
  Signal,
} from '../../domain/index.js';
import { PrecursorError } from '../../domain/index.js';
import type { DialectAdapter, ObservationRow } from '../dialect-adapter.js';
import { deadLetterDigest } from '../migrations/0006-dead-letter-digest.js';
import { migrationsFor } from '../migrations/index.js';
import type { Database } from '../schema.js';
import type {
  ApiKeyRecord,
  DeadLetter,
  Enqueue,
  EntityFilter,
  EntityUpsert,
  EntityView,
  IngestBatch,
  IngestBatchResult,
  LinkUpsert,
  SignalReplacement,
  Store,
  StoreStats,
  StoredObservation,
  WorkItem,
} from '../store.js';
import { num, parseJson, toApiKey, toAssessment, toAudit, toDeadLetter, toEntity, toLink } from './rows.js';

/** Rows per INSERT: keeps every statement under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const nowIso = (): string => new Date().toISOString();
const NONE: ReadonlySet<EntityKey> = new Set();

/**
 * `kind = ?` for one kind, not `kind IN (?)`: only the equality lets SQLite use the partial index of a
 * kind that has one (tenant events, migration 0004).
 */
function kindFilter(kinds: readonly ObservationKind[]) {
  return kinds.length === 1
    ? sql<boolean>`kind = ${kinds[0]}`
    : sql<boolean>`kind in (${sql.join(kinds.length > 0 ? [...kinds] : [''])})`;
}

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #adapter: DialectAdapter;
  readonly #onClose: () => Promise<void>;

  readonly #schema: string | undefined;
  /** Source ids never change once committed; the map saves a lookup per batch. */
  readonly #sourceIds = new Map<string, number>();

  /**
   * `schema`: the PostgreSQL schema the store lives in, when not `public`. Kysely's migrator looks its
   * own tables up across every schema, so it must be told which one is ours.
   */
  constructor(
    db: Kysely<Database>,
    adapter: DialectAdapter,
    onClose: () => Promise<void> = async () => {},
    schema?: string,
  ) {
    this.#schema = schema;
    this.#db = db;
    this.#adapter = adapter;
    this.#onClose = onClose;
  }

  get capabilities() {
    return this.#adapter.capabilities;
  }

  /** For tests and adapters that need raw access (never stages). */
  get db(): Kysely<Database> {
    return this.#db;
  }

  #migrator(): Migrator {
    return new Migrator({
      db: this.#db,
      ...(this.#schema ? { migrationTableSchema: this.#schema } : {}),
      provider: { getMigrations: async () => migrationsFor(this.#adapter.flavor) },
    });
  }

  /** Names of the migrations this build has and the store has not applied (reads only). */
  async pendingMigrations(): Promise<string[]> {
    return (await this.#migrator().getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  }

  /** Applies every migration, or moves up or down to the named one (`to`, for migration tests). */
  async migrate(options: { to?: string } = {}): Promise<string[]> {
    const migrator = this.#migrator();
    const run = () => (options.to ? migrator.migrateTo(options.to) : migrator.migrateToLatest());
    let { error, results } = await run();
    // Kysely's migrator introspects every schema of the database; a schema another process drops at
    // that moment makes the catalog query fail with 3F000 (invalid_schema_name). Migrations are
    // idempotent under Kysely's lock, so a short retry is safe.
    for (let attempt = 1; error && (error as { code?: string }).code === '3F000' && attempt <= 3; attempt++) {
      await new Promise((r) => setTimeout(r, 100 * attempt));
      ({ error, results } = await run());
    }
    if (error) {
      throw new PrecursorError(
        'MIGRATION_FAILED',
        `migration failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
    await this.#onClose();
  }

  // ── ingest ────────────────────────────────────────────────────────────────────────────────────

  async checkpoint(source: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('checkpoints')
      .select('cursor')
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.cursor;
  }

  async writeIngestBatch(batch: IngestBatch): Promise<IngestBatchResult> {
    const ingestedMs = Date.now();
    const ingestedAt = new Date(ingestedMs).toISOString();
    // Ids of sources first seen in this batch join the cache only once the batch commits.
    const created = new Map<string, number>();
    const result = await this.#db.transaction().execute(async (trx) => {
      let inserted = 0;
      let insertedSeqs: (number | undefined)[] | undefined;
      // Nearly every batch has one source; the last id is kept to skip even the map lookup.
      let lastName: string | undefined;
      let lastId = 0;
      const rows = new Array<ObservationRow>(batch.observations.length);
      for (let i = 0; i < rows.length; i++) {
        const o = batch.observations[i] as IngestBatch['observations'][number];
        if (o.source !== lastName) {
          lastName = o.source;
          lastId =
            this.#sourceIds.get(o.source) ??
            created.get(o.source) ??
            (await this.#createSource(trx, o.source, ingestedAt, created));
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
      if (this.#adapter.insertObservations) {
        if (batch.wantSeqs) insertedSeqs = [];
        inserted = this.#adapter.insertObservations(rows, insertedSeqs);
      } else if (batch.wantSeqs) {
        // Which rows were new, from RETURNING; of two rows with one key in the batch the first is.
        const stored = new Map<string, number>();
        for (const part of chunks(rows)) {
          const res = await trx
            .insertInto('observations')
            .values(part)
            .onConflict((oc) => oc.column('dedupe_key').doNothing())
            .returning(['seq', 'dedupe_key'])
            .execute();
          for (const r of res) stored.set(r.dedupe_key, num(r.seq));
          inserted += res.length;
        }
        insertedSeqs = rows.map((r) => {
          const seq = stored.get(r.dedupe_key);
          stored.delete(r.dedupe_key);
          return seq;
        });
      } else {
        for (const part of chunks(rows)) {
          const res = await trx
            .insertInto('observations')
            .values(part)
            .onConflict((oc) => oc.column('dedupe_key').doNothing())
            .executeTakeFirst();
          inserted += Number(res.numInsertedOrUpdatedRows ?? 0n);
        }
      }
      let deadLettered = 0;
      for (const part of chunks(batch.deadLetters)) {
        const res = await trx
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
        await trx
          .insertInto('checkpoints')
          .values({ source: batch.source, cursor: batch.cursor, updated_at: ingestedAt })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({ cursor: batch.cursor, updated_at: ingestedAt }),
          )
          .execute();
      }
      return {
        inserted,
        duplicates: batch.observations.length - inserted,
        deadLettered,
        ...(insertedSeqs ? { insertedSeqs } : {}),
      };
    });
    for (const [name, id] of created) this.#sourceIds.set(name, id);
    return result;
  }

  /** The `sources.id` of a source name not in the cache, created inside the caller's transaction. */
  async #createSource(
    trx: Transaction<Database>,
    name: string,
    at: string,
    created: Map<string, number>,
  ): Promise<number> {
    await trx
      .insertInto('sources')
      .values({ name, created_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await trx
      .selectFrom('sources')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const id = num(row.id);
    created.set(name, id);
    return id;
  }

  async deadLetters(
    filter: { source?: string; limit?: number; afterId?: number } = {},
  ): Promise<DeadLetter[]> {
    let q = this.#db
      .selectFrom('dead_letters')
      .selectAll()
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.source !== undefined) q = q.where('source', '=', filter.source);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(toDeadLetter);
  }

  async countObservations(source?: string): Promise<number> {
    let q = this.#db.selectFrom('observations').select((eb) => eb.fn.countAll().as('n'));
    if (source !== undefined)
      q = q.where('source_id', '=', (eb) => eb.selectFrom('sources').select('id').where('name', '=', source));
    const row = await q.executeTakeFirstOrThrow();
    return num(row.n);
  }

  async observationsAfter(
    seq: number,
    limit: number,
    kinds?: readonly ObservationKind[],
  ): Promise<StoredObservation[]> {
    let q = this.#db
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
      ])
      .where('observations.seq', '>', seq);
    if (kinds !== undefined) q = q.where(kindFilter(kinds));
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

  async observationSeqsAfter(
    seq: number,
    limit: number,
    kinds?: readonly ObservationKind[],
  ): Promise<number[]> {
    let q = this.#db.selectFrom('observations').select('seq').where('seq', '>', seq);
    if (kinds !== undefined) q = q.where(kindFilter(kinds));
    const rows = await q.orderBy('seq').limit(limit).execute();
    return rows.map((r) => num(r.seq));
  }

  // ── derived state ─────────────────────────────────────────────────────────────────────────────

  async stageCursor(stage: string): Promise<number> {
    const row = await this.#db
      .selectFrom('stage_cursors')
      .select('position')
      .where('stage', '=', stage)
      .executeTakeFirst();
    return row ? num(row.position) : 0;
  }

  async writeDerived(batch: {
    stage: string;
    position: number;
    entities: readonly EntityUpsert[];
    links: readonly LinkUpsert[];
    signals: readonly SignalReplacement[];
    assessments?: readonly Assessment[];
    enqueue?: readonly Enqueue[];
    newEntities?: ReadonlySet<EntityKey>;
  }): Promise<void> {
    const fresh = batch.newEntities ?? NONE;
    await this.#db.transaction().execute(async (trx) => {
      if (batch.enqueue && batch.enqueue.length > 0) await this.#enqueue(trx, batch.enqueue, nowIso());
      await this.#upsertEntities(trx, batch.entities);
      await this.#upsertLinks(trx, batch.links, fresh);
      await this.#replaceSignals(trx, batch.signals, fresh);
      if (batch.assessments) await this.#writeAssessments(trx, batch.assessments, fresh);
      const at = nowIso();
      await trx
        .insertInto('stage_cursors')
        .values({ stage: batch.stage, position: batch.position, updated_at: at })
        .onConflict((oc) => oc.column('stage').doUpdateSet({ position: batch.position, updated_at: at }))
        .execute();
    });
  }

  async #upsertEntities(trx: Transaction<Database>, entities: readonly EntityUpsert[]): Promise<void> {
    // One row per key per statement: PostgreSQL refuses to update the same row twice in one INSERT.
    const merged = new Map<
      string,
      {
        key: string;
        type: string;
        display: string;
        first: string;
        last: string;
        attrs: Record<string, unknown>;
      }
    >();
    for (const e of entities) {
      const prev = merged.get(e.key);
      if (!prev) {
        merged.set(e.key, {
          key: e.key,
          type: e.type,
          display: e.display,
          first: e.seenAt,
          last: e.seenAt,
          attrs: { ...e.attrs },
        });
      } else {
        if (e.seenAt < prev.first) prev.first = e.seenAt;
        if (e.seenAt > prev.last) prev.last = e.seenAt;
        Object.assign(prev.attrs, e.attrs);
      }
    }
    const a = this.#adapter;
    if (a.prepared) {
      for (const e of merged.values())
        a.prepared.run(
          'INSERT INTO entities (key, type, display, first_seen, last_seen, attrs) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET display = excluded.display, first_seen = min(entities.first_seen, excluded.first_seen), last_seen = max(entities.last_seen, excluded.last_seen), attrs = json_patch(entities.attrs, excluded.attrs)',
          [e.key, e.type, e.display, e.first, e.last, JSON.stringify(e.attrs)],
        );
      return;
    }
    for (const part of chunks([...merged.values()])) {
      await trx
        .insertInto('entities')
        .values(
          part.map((e) => ({
            key: e.key,
            type: e.type,
            display: e.display,
            first_seen: e.first,
            last_seen: e.last,
            attrs: JSON.stringify(e.attrs),
          })),
        )
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            display: (eb) => eb.ref('excluded.display'),
            first_seen: a.least('entities.first_seen', 'excluded.first_seen'),
            last_seen: a.greatest('entities.last_seen', 'excluded.last_seen'),
            attrs: a.jsonMerge('entities.attrs', 'excluded.attrs'),
          }),
        )
        .execute();
    }
  }

  async #upsertLinks(
    trx: Transaction<Database>,
    links: readonly LinkUpsert[],
    fresh: ReadonlySet<EntityKey> = NONE,
  ): Promise<void> {
    const merged = new Map<
      string,
      { l: LinkUpsert; first: string; last: string; prov: Set<string>; strength: number }
    >();
    for (const l of links) {
      const k = `${l.from}\u0000${l.to}\u0000${l.pivot}`;
      const prev = merged.get(k);
      if (!prev)
        merged.set(k, {
          l,
          first: l.seenAt,
          last: l.seenAt,
          prov: new Set([l.provenance]),
          strength: l.strength,
        });
      else {
        if (l.seenAt < prev.first) prev.first = l.seenAt;
        if (l.seenAt > prev.last) prev.last = l.seenAt;
        prev.prov.add(l.provenance);
        prev.strength = Math.max(prev.strength, l.strength);
      }
    }
    if (merged.size === 0) return;
    const a = this.#adapter;
    // Provenance is a set that must merge with what is stored; read, union, write keeps it portable.
    if (a.prepared) {
      // SQLite: one cached single-row statement per link beats Kysely building (and SQLite preparing)
      // a 900-parameter OR and a 7,000-parameter INSERT per slice.
      for (const m of merged.values()) {
        const row =
          fresh.has(m.l.from) || fresh.has(m.l.to)
            ? undefined
            : a.prepared.all<{ provenance: string }>(
                'SELECT provenance FROM links WHERE from_key = ? AND to_key = ? AND pivot = ?',
                [m.l.from, m.l.to, m.l.pivot],
              )[0];
        const prov = row ? new Set([...parseJson<string[]>(row.provenance, []), ...m.prov]) : m.prov;
        a.prepared.run(
          'INSERT INTO links (from_key, to_key, pivot, strength, first_seen, last_seen, provenance) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (from_key, to_key, pivot) DO UPDATE SET strength = excluded.strength, first_seen = min(links.first_seen, excluded.first_seen), last_seen = max(links.last_seen, excluded.last_seen), provenance = excluded.provenance',
          [
            m.l.from,
            m.l.to,
            m.l.pivot,
            m.strength,
            m.first,
            m.last,
            JSON.stringify([...prov].sort().slice(0, 50)),
          ],
        );
      }
      return;
    }
    const existing = new Map<string, string[]>();
    const all = [...merged.values()];
    for (const part of chunks(all, 300)) {
      const rows = await trx
        .selectFrom('links')
        .select(['from_key', 'to_key', 'pivot', 'provenance'])
        .where((eb) =>
          eb.or(
            part.map((m) =>
              eb.and([eb('from_key', '=', m.l.from), eb('to_key', '=', m.l.to), eb('pivot', '=', m.l.pivot)]),
            ),
          ),
        )
        .execute();
      for (const r of rows)
        existing.set(`${r.from_key}\u0000${r.to_key}\u0000${r.pivot}`, parseJson<string[]>(r.provenance, []));
    }
    for (const part of chunks(all)) {
      await trx
        .insertInto('links')
        .values(
          part.map((m) => {
            const prov = new Set([
              ...(existing.get(`${m.l.from}\u0000${m.l.to}\u0000${m.l.pivot}`) ?? []),
              ...m.prov,
            ]);
            return {
              from_key: m.l.from,
              to_key: m.l.to,
              pivot: m.l.pivot,
              strength: m.strength,
              first_seen: m.first,
              last_seen: m.last,
              provenance: JSON.stringify([...prov].sort().slice(0, 50)),
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['from_key', 'to_key', 'pivot']).doUpdateSet({
            strength: (eb) => eb.ref('excluded.strength'),
            first_seen: a.least('links.first_seen', 'excluded.first_seen'),
            last_seen: a.greatest('links.last_seen', 'excluded.last_seen'),
            provenance: (eb) => eb.ref('excluded.provenance'),
          }),
        )
        .execute();
    }
  }

  async #replaceSignals(
    trx: Transaction<Database>,
    replacements: readonly SignalReplacement[],
    fresh: ReadonlySet<EntityKey> = NONE,
  ): Promise<void> {
    // Group by detector set so one DELETE covers many entities.
    const byDetectors = new Map<string, { detectors: readonly string[]; keys: EntityKey[] }>();
    const rows = new Map<
      string,
      {
        entity_key: string;
        signal_id: string;
        detector: string;
        weight: number;
        detail: string;
        evidence: string;
        observed_at: string;
      }
    >();
    for (const r of replacements) {
      if (r.detectors.length > 0 && !fresh.has(r.entity)) {
        const k = [...r.detectors].sort().join(',');
        const g = byDetectors.get(k) ?? { detectors: r.detectors, keys: [] };
        g.keys.push(r.entity);
        byDetectors.set(k, g);
      }
      for (const s of r.signals) {
        rows.set(`${r.entity}\u0000${s.id}`, {
          entity_key: r.entity,
          signal_id: s.id,
          detector: s.detector,
          weight: s.weight,
          detail: s.detail,
          evidence: JSON.stringify(s.evidence),
          observed_at: r.observedAt,
        });
      }
    }
    const p = this.#adapter.prepared;
    if (p) {
      for (const g of byDetectors.values()) {
        const del = `DELETE FROM signals WHERE entity_key = ? AND detector IN (${g.detectors.map(() => '?').join(', ')})`;
        for (const key of g.keys) p.run(del, [key, ...g.detectors]);
      }
      for (const r of rows.values())
        p.run(
          'INSERT INTO signals (entity_key, signal_id, detector, weight, detail, evidence, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity_key, signal_id) DO UPDATE SET detector = excluded.detector, weight = excluded.weight, detail = excluded.detail, evidence = excluded.evidence, observed_at = excluded.observed_at',
          [r.entity_key, r.signal_id, r.detector, r.weight, r.detail, r.evidence, r.observed_at],
        );
      return;
    }
    for (const g of byDetectors.values()) {
      for (const part of chunks(g.keys, 500)) {
        await trx
          .deleteFrom('signals')
          .where('entity_key', 'in', part)
          .where('detector', 'in', g.detectors)
          .execute();
      }
    }
    for (const part of chunks([...rows.values()])) {
      await trx
        .insertInto('signals')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['entity_key', 'signal_id']).doUpdateSet({
            detector: (eb) => eb.ref('excluded.detector'),
            weight: (eb) => eb.ref('excluded.weight'),
            detail: (eb) => eb.ref('excluded.detail'),
            evidence: (eb) => eb.ref('excluded.evidence'),
            observed_at: (eb) => eb.ref('excluded.observed_at'),
          }),
        )
        .execute();
    }
  }

  async signalsOf(keys: readonly EntityKey[]): Promise<Map<EntityKey, Signal[]>> {
    const out = new Map<EntityKey, Signal[]>();
    const p = this.#adapter.prepared;
    if (p) {
      type Row = { signal_id: string; detector: string; weight: number; detail: string; evidence: string };
      // Holding Kysely's connection keeps the raw statements out of another caller's open transaction.
      await this.#db.connection().execute(async () => {
        for (const key of keys) {
          const rows = p.all<Row>(
            'SELECT signal_id, detector, weight, detail, evidence FROM signals WHERE entity_key = ?',
            [key],
          );
          if (rows.length === 0) continue;
          out.set(
            key,
            rows.map((r) => ({
              id: r.signal_id,
              detector: r.detector,
              weight: num(r.weight),
              detail: r.detail,
              evidence: parseJson(r.evidence, []),
            })),
          );
        }
      });
      return out;
    }
    for (const part of chunks(keys, 500)) {
      const rows = await this.#db.selectFrom('signals').selectAll().where('entity_key', 'in', part).execute();
      for (const r of rows) {
        const list = out.get(r.entity_key as EntityKey) ?? [];
        list.push({
          id: r.signal_id,
          detector: r.detector,
          weight: num(r.weight),
          detail: r.detail,
          evidence: parseJson(r.evidence, []),
        });
        out.set(r.entity_key as EntityKey, list);
      }
    }
    return out;
  }

  async writeAssessments(assessments: readonly Assessment[]): Promise<void> {
    if (assessments.length === 0) return;
    await this.#db.transaction().execute((trx) => this.#writeAssessments(trx, assessments));
  }

  async #writeAssessments(
    trx: Transaction<Database>,
    assessments: readonly Assessment[],
    fresh: ReadonlySet<EntityKey> = NONE,
  ): Promise<void> {
    {
      const latest = new Map<string, Assessment>();
      for (const a of assessments) latest.set(a.entity, a);
      const list = [...latest.values()];
      const prev = new Map<string, { score: number; flagged: number; version: number }>();
      const p = this.#adapter.prepared;
      if (p) {
        type Prev = { score: number; flagged: number; version: number };
        for (const a of list) {
          const r = fresh.has(a.entity)
            ? undefined
            : p.all<Prev>('SELECT score, flagged, version FROM assessments WHERE entity_key = ?', [
                a.entity,
              ])[0];
          const prior = r
            ? { score: num(r.score), flagged: num(r.flagged), version: num(r.version) }
            : undefined;
          const changed = !prior || prior.score !== a.score || prior.flagged !== (a.flagged ? 1 : 0);
          const contributions = JSON.stringify(a.contributions);
          const flagged = a.flagged ? 1 : 0;
          p.run(
            'INSERT INTO assessments (entity_key, score, flagged, verdict, contributions, assessed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity_key) DO UPDATE SET score = excluded.score, flagged = excluded.flagged, verdict = excluded.verdict, contributions = excluded.contributions, assessed_at = excluded.assessed_at, version = excluded.version',
            [
              a.entity,
              a.score,
              flagged,
              a.verdict,
              contributions,
              a.assessedAt,
              (prior?.version ?? 0) + (changed ? 1 : 0),
            ],
          );
          if (changed)
            p.run(
              'INSERT INTO assessment_history (entity_key, score, flagged, verdict, contributions, assessed_at) VALUES (?, ?, ?, ?, ?, ?)',
              [a.entity, a.score, flagged, a.verdict, contributions, a.assessedAt],
            );
        }
        return;
      }
      for (const part of chunks(
        list.map((a) => a.entity),
        500,
      )) {
        const rows = await trx
          .selectFrom('assessments')
          .select(['entity_key', 'score', 'flagged', 'version'])
          .where('entity_key', 'in', part)
          .execute();
        for (const r of rows)
          prev.set(r.entity_key, { score: num(r.score), flagged: num(r.flagged), version: num(r.version) });
      }
      const changed = new Set(
        list.filter((a) => {
          const p = prev.get(a.entity);
          return !p || p.score !== a.score || p.flagged !== (a.flagged ? 1 : 0);
        }),
      );
      for (const part of chunks(list)) {
        await trx
          .insertInto('assessments')
          .values(
            part.map((a) => ({
              entity_key: a.entity,
              score: a.score,
              flagged: a.flagged ? 1 : 0,
              verdict: a.verdict,
              contributions: JSON.stringify(a.contributions),
              assessed_at: a.assessedAt,
              version: (prev.get(a.entity)?.version ?? 0) + (changed.has(a) ? 1 : 0),
            })),
          )
          .onConflict((oc) =>
            oc.column('entity_key').doUpdateSet({
              score: (eb) => eb.ref('excluded.score'),
              flagged: (eb) => eb.ref('excluded.flagged'),
              verdict: (eb) => eb.ref('excluded.verdict'),
              contributions: (eb) => eb.ref('excluded.contributions'),
              assessed_at: (eb) => eb.ref('excluded.assessed_at'),
              version: (eb) => eb.ref('excluded.version'),
            }),
          )
          .execute();
      }
      for (const part of chunks([...changed])) {
        await trx
          .insertInto('assessment_history')
          .values(
            part.map((a) => ({
              entity_key: a.entity,
              score: a.score,
              flagged: a.flagged ? 1 : 0,
              verdict: a.verdict,
              contributions: JSON.stringify(a.contributions),
              assessed_at: a.assessedAt,
            })),
          )
          .execute();
      }
    }
  }

  async entity(key: EntityKey): Promise<Entity | undefined> {
    const row = await this.#db.selectFrom('entities').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toEntity(row) : undefined;
  }

  async entitiesByKey(keys: readonly EntityKey[]): Promise<Map<EntityKey, Entity>> {
    const out = new Map<EntityKey, Entity>();
    const p = this.#adapter.prepared;
    if (p) {
      // One cached statement per key: an IN list of a different length each slice is a new statement.
      await this.#db.connection().execute(async () => {
        for (const key of keys) {
          const r = p.all<Parameters<typeof toEntity>[0]>('SELECT * FROM entities WHERE key = ?', [key])[0];
          if (r) out.set(key, toEntity(r));
        }
      });
      return out;
    }
    for (const part of chunks(keys, 500)) {
      const rows = await this.#db.selectFrom('entities').selectAll().where('key', 'in', part).execute();
      for (const r of rows) out.set(r.key as EntityKey, toEntity(r));
    }
    return out;
  }

  async entities(filter: EntityFilter = {}): Promise<EntityView[]> {
    let q = this.#db
      .selectFrom('entities')
      .leftJoin('assessments', 'assessments.entity_key', 'entities.key')
      .select([
        'entities.key',
        'entities.type',
        'entities.display',
        'entities.first_seen',
        'entities.last_seen',
        'entities.attrs',
        'assessments.entity_key',
        'assessments.score',
        'assessments.flagged',
        'assessments.verdict',
        'assessments.contributions',
        'assessments.assessed_at',
      ])
      .limit(Math.min(filter.limit ?? 100, 10_000));
    q =
      filter.order === 'score'
        ? q.orderBy(sql`coalesce(assessments.score, -1)`, 'desc').orderBy('entities.key')
        : q.orderBy('entities.key');
    if (filter.offset !== undefined && filter.offset > 0) q = q.offset(filter.offset);
    if (filter.type !== undefined) q = q.where('entities.type', '=', filter.type);
    if (filter.flagged === true) q = q.where('assessments.flagged', '=', 1);
    if (filter.flagged === false)
      q = q.where((eb) => eb.or([eb('assessments.flagged', '=', 0), eb('assessments.flagged', 'is', null)]));
    if (filter.minScore !== undefined) q = q.where('assessments.score', '>=', filter.minScore);
    if (filter.after !== undefined) {
      const after = filter.after;
      const s = filter.afterScore;
      q =
        filter.order === 'score' && s !== undefined
          ? q.where((eb) =>
              eb.or([
                eb(sql<number>`coalesce(assessments.score, -1)`, '<', s),
                eb.and([
                  eb(sql<number>`coalesce(assessments.score, -1)`, '=', s),
                  eb('entities.key', '>', after),
                ]),
              ]),
            )
          : q.where('entities.key', '>', after);
    }
    if (filter.search !== undefined && filter.search !== '') {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or([
          eb('entities.key', 'like', sql<string>`${like} escape '\\'`),
          eb('entities.display', 'like', sql<string>`${like} escape '\\'`),
        ]),
      );
    }
    const rows = await q.execute();
    return rows.map((r) => ({
      entity: toEntity(r),
      assessment:
        r.entity_key === null ||
        r.score === null ||
        r.flagged === null ||
        r.verdict === null ||
        r.contributions === null ||
        r.assessed_at === null
          ? undefined
          : toAssessment({
              entity_key: r.entity_key,
              score: r.score,
              flagged: r.flagged,
              verdict: r.verdict,
              contributions: r.contributions,
              assessed_at: r.assessed_at,
            }),
    }));
  }

  async links(key: EntityKey): Promise<Link[]> {
    const rows = await this.#db
      .selectFrom('links')
      .selectAll()
      .where((eb) => eb.or([eb('from_key', '=', key), eb('to_key', '=', key)]))
      .orderBy('pivot')
      .orderBy('from_key')
      .orderBy('to_key')
      .limit(10_000)
      .execute();
    return rows.map(toLink);
  }

  async assessment(key: EntityKey): Promise<Assessment | undefined> {
    const row = await this.#db
      .selectFrom('assessments')
      .selectAll()
      .where('entity_key', '=', key)
      .executeTakeFirst();
    return row ? toAssessment(row) : undefined;
  }

  async assessmentHistory(key: EntityKey): Promise<Assessment[]> {
    const rows = await this.#db
      .selectFrom('assessment_history')
      .selectAll()
      .where('entity_key', '=', key)
      .orderBy('id')
      .execute();
    return rows.map(toAssessment);
  }

  async stageState(stage: string): Promise<{ position: number; state: string } | undefined> {
    const row = await this.#db
      .selectFrom('stage_state')
      .select(['position', 'state'])
      .where('stage', '=', stage)
      .executeTakeFirst();
    return row ? { position: num(row.position), state: row.state } : undefined;
  }

  async writeStageState(stage: string, position: number, state: string): Promise<void> {
    const at = nowIso();
    await this.#db
      .insertInto('stage_state')
      .values({ stage, position, state, updated_at: at })
      .onConflict((oc) => oc.column('stage').doUpdateSet({ position, state, updated_at: at }))
      .execute();
  }

  // ── keys and audit ────────────────────────────────────────────────────────────────────────────

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    await this.#db
      .insertInto('api_keys')
      .values({
        id: key.id,
        label: key.label,
        role: key.role,
        hash: key.hash,
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
      })
      .execute();
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.#db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.#db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(toApiKey);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    const res = await this.#db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async appendAudit(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent> {
    const row = await this.#db
      .insertInto('audit_events')
      .values({
        at: event.at,
        actor: event.actor,
        action: event.action,
        subject: event.subject,
        detail: JSON.stringify(event.detail),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAudit(row);
  }

  async audit(filter: { subject?: string; limit?: number; afterId?: number } = {}): Promise<AuditEvent[]> {
    let q = this.#db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(toAudit);
  }

  async stats(): Promise<StoreStats> {
    const count = async (t: 'observations' | 'entities' | 'dead_letters' | 'links') =>
      num(
        (
          await this.#db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const flagged = num(
      (
        await this.#db
          .selectFrom('assessments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('flagged', '=', 1)
          .executeTakeFirstOrThrow()
      ).n,
    );
    return {
      observations: await count('observations'),
      entities: await count('entities'),
      flagged,
      deadLetters: await count('dead_letters'),
      links: await count('links'),
    };
  }

  // ── work queues ───────────────────────────────────────────────────────────────────────────────

  async enqueue(items: readonly Enqueue[], at = nowIso()): Promise<number> {
    return this.#enqueue(this.#db, items, at);
  }

  async #enqueue(db: Kysely<Database>, items: readonly Enqueue[], at: string): Promise<number> {
    let added = 0;
    const unique = [...new Map(items.map((i) => [`${i.queue}\u0000${i.key}`, i])).values()];
    for (const part of chunks(unique)) {
      const res = await db
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
  }

  async claim(queue: string, limit: number, leaseMs: number, at = nowIso()): Promise<WorkItem[]> {
    const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
    return this.#db.transaction().execute(async (trx) => {
      let q = trx
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
      // Concurrent workers on PostgreSQL skip each other's rows instead of waiting on them.
      if (this.#adapter.capabilities.supportsSkipLocked) q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await trx
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
    for (const part of chunks(keys, 500)) {
      await this.#db
        .updateTable('work_items')
        .set({ state: 'done', lease_until: null, updated_at: at })
        .where('queue', '=', queue)
        .where('key', 'in', part)
        .execute();
    }
  }

  async fail(
    queue: string,
    key: string,
    error: string,
    options: { retryInMs: number; maxAttempts: number },
    at = nowIso(),
  ): Promise<void> {
    const row = await this.#db
      .selectFrom('work_items')
      .select('attempts')
      .where('queue', '=', queue)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return;
    const parked = num(row.attempts) >= options.maxAttempts;
    await this.#db
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
  }

  async queueStats(queue: string): Promise<Record<'pending' | 'leased' | 'done' | 'failed', number>> {
    const rows = await this.#db
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
