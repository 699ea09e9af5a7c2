/**
 * The entity graph over Kysely: entity and link upserts (folded per key within a call, then written
 * through the dialect's bulk path), reads, and the replacement of the links one asserter made.
 * @module
 */
import { sql } from 'kysely';
import type { Entity, EntityKey, Link, LinkPivot } from '../../domain/index.js';
import type {
  EntityFilter,
  EntityGraph,
  EntityUpsert,
  EntityView,
  GraphLink,
  LinkCursor,
  LinkUpsert,
  WriteHints,
} from '../entities.js';
import type { StoreContext } from './context.js';
import { linkId, type MergedEntity, type MergedLink } from './graph-rows.js';
import { num, parseJson, toAssessment, toEntity, toLink } from './rows.js';
import type { Scope } from './scope.js';

const NONE: ReadonlySet<EntityKey> = new Set();

/**
 * The values of `merged` in the order of their keys. The keys are sorted by the built-in comparison
 * (UTF-16 code units, as `<` compares strings), which runs without a call into JavaScript per pair.
 */
function inKeyOrder<T>(merged: ReadonlyMap<string, T>): T[] {
  const keys = [...merged.keys()].sort();
  const out = new Array<T>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = merged.get(keys[i] as string) as T;
  return out;
}

/**
 * One row per key: PostgreSQL refuses to update the same row twice in one INSERT. The rows come out
 * in key order: inserting a slice's rows in index order touches each B-tree page once in a run instead
 * of hopping between pages at random (on SQLite several times faster once the tables outgrow the page
 * cache; on PostgreSQL concurrent writers also take row locks in one order).
 */
function mergeEntities(entities: readonly EntityUpsert[]): MergedEntity[] {
  const merged = new Map<string, MergedEntity>();
  for (const e of entities) {
    const prev = merged.get(e.key);
    if (!prev) {
      merged.set(e.key, {
        key: e.key,
        type: e.type,
        display: e.display,
        first: e.seenAt,
        last: e.seenAt,
        attrs: e.attrs ? { ...e.attrs } : {},
      });
    } else {
      if (e.seenAt < prev.first) prev.first = e.seenAt;
      if (e.seenAt > prev.last) prev.last = e.seenAt;
      if (e.attrs) Object.assign(prev.attrs, e.attrs);
    }
  }
  return inKeyOrder(merged);
}

/** One row per link, in primary-key order (see `mergeEntities`). */
function mergeLinks(links: readonly LinkUpsert[]): MergedLink[] {
  const merged = new Map<string, MergedLink>();
  for (const l of links) {
    const k = linkId(l.from, l.to, l.pivot);
    const prev = merged.get(k);
    if (!prev)
      merged.set(k, {
        from: l.from,
        to: l.to,
        pivot: l.pivot,
        strength: l.strength,
        first: l.seenAt,
        last: l.seenAt,
        provenance: new Set([l.provenance]),
      });
    else {
      if (l.seenAt < prev.first) prev.first = l.seenAt;
      if (l.seenAt > prev.last) prev.last = l.seenAt;
      prev.provenance.add(l.provenance);
      prev.strength = Math.max(prev.strength, l.strength);
    }
  }
  // `linkId` joins the three fields with U+0000, which sorts below every character of a key: the ids'
  // order is (from, to, pivot) order.
  return inKeyOrder(merged);
}

export class KyselyEntities implements EntityGraph {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  async get(key: EntityKey): Promise<Entity | undefined> {
    const row = await this.#scope.db
      .selectFrom('entities')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? toEntity(row) : undefined;
  }

  getMany(keys: readonly EntityKey[]): Promise<Map<EntityKey, Entity>> {
    return this.#ctx.adapter.rows.graph.entitiesByKey(this.#scope, keys);
  }

  async list(filter: EntityFilter = {}): Promise<EntityView[]> {
    let q = this.#scope.db
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

  async linkPage(after: LinkCursor | undefined, limit: number): Promise<Link[]> {
    return (await this.#linkPage(after, limit).selectAll().execute()).map(toLink);
  }

  async graphLinkPage(after: LinkCursor | undefined, limit: number): Promise<GraphLink[]> {
    const rows = await this.#linkPage(after, limit)
      .select(['from_key', 'to_key', 'pivot', 'strength', 'last_seen'])
      .execute();
    return rows.map((r) => ({
      from: r.from_key as EntityKey,
      to: r.to_key as EntityKey,
      pivot: r.pivot as LinkPivot,
      strength: num(r.strength),
      lastSeen: r.last_seen,
    }));
  }

  #linkPage(after: LinkCursor | undefined, limit: number) {
    let q = this.#scope.db
      .selectFrom('links')
      .orderBy('from_key')
      .orderBy('to_key')
      .orderBy('pivot')
      .limit(limit);
    // A row-value comparison, which both SQLite and PostgreSQL answer by seeking the primary key; the
    // same test spelled as nested ORs made SQLite scan the key index from its start on every page
    // (a correlation's full read of ~100k links: ~0.5 s of its ~1.5 s).
    if (after)
      q = q.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('from_key', 'to_key', 'pivot'), '>', tuple(after.from, after.to, after.pivot)),
      );
    return q;
  }

  async links(key: EntityKey): Promise<Link[]> {
    const rows = await this.#scope.db
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

  async upsert(entities: readonly EntityUpsert[]): Promise<void> {
    if (entities.length === 0) return;
    const merged = mergeEntities(entities);
    await this.#scope.atomic((tx) => this.#ctx.adapter.rows.graph.upsertEntities(tx, merged));
  }

  async upsertLinks(links: readonly LinkUpsert[], hints: WriteHints = {}): Promise<void> {
    if (links.length === 0) return;
    const merged = mergeLinks(links);
    await this.#scope.atomic((tx) =>
      this.#ctx.adapter.rows.graph.upsertLinks(tx, merged, hints.newEntities ?? NONE),
    );
  }

  async replaceLinks(from: EntityKey, provenance: string, links: readonly LinkUpsert[]): Promise<void> {
    for (const l of links)
      if (l.from !== from || l.provenance !== provenance)
        throw new Error(`replaceLinks(${from}, ${provenance}): a link from ${l.from} by ${l.provenance}`);
    const keep = new Set(links.map((l) => linkId(l.from, l.to, l.pivot)));
    await this.#scope.atomic(async (tx) => {
      const rows = await tx.db
        .selectFrom('links')
        .select(['to_key', 'pivot', 'provenance'])
        .where('from_key', '=', from)
        .execute();
      for (const r of rows) {
        const asserted = parseJson<string[]>(r.provenance, []);
        // A link asserted again keeps its first sighting: the upsert below widens it instead.
        if (!asserted.includes(provenance) || keep.has(linkId(from, r.to_key, r.pivot))) continue;
        const rest = asserted.filter((p) => p !== provenance);
        const where = { from_key: from, to_key: r.to_key, pivot: r.pivot };
        if (rest.length > 0)
          await tx.db
            .updateTable('links')
            .set({ provenance: JSON.stringify(rest) })
            .where((eb) => eb.and(where))
            .execute();
        else
          await tx.db
            .deleteFrom('links')
            .where((eb) => eb.and(where))
            .execute();
      }
      const merged = mergeLinks(links);
      if (merged.length > 0) await this.#ctx.adapter.rows.graph.upsertLinks(tx, merged, NONE);
    });
  }
}
