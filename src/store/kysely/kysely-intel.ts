/**
 * Published intel over Kysely (see `../intel.ts`). TAXII pages are keyset scans on
 * (collection_id, date_added, stix_id, version). `last` (the default) keeps a version unless
 * `intel_superseded` names a newer one the reader's TLP admits (migration 0014: a probe into a small
 * table instead of a sub-select over the objects per row); `first` picks the oldest admitted version
 * with an indexed sub-select. Either way a version above the ceiling never decides what a reader sees.
 * @module
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { PrecursorError } from '../../domain/index.js';
import { type Tlp, TLP_LEVELS, tlpRank } from '../../domain/tlp.js';
import type {
  IntelCollection,
  IntelGrant,
  IntelKind,
  IntelObject,
  IntelObjectInput,
  IntelObjectQuery,
  IntelRecord,
  IntelRecordFilter,
  IntelStore,
  TaxiiStatusRecord,
} from '../intel.js';
import type { Database } from '../schema.js';
import type { StoreContext } from './context.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

const CHUNK = 500;

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` for epoch µs. */
export function microTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** Epoch µs of a canonical µs timestamp. */
function micros(ts: string): number {
  return Date.parse(`${ts.slice(0, 23)}Z`) * 1000 + Number(ts.slice(23, 26));
}

type Row = Database['intel_objects'];
type RecordRow = Database['intel_records'];

type SupersededRow = Database['intel_superseded'];

function toObject(r: Omit<Row, 'seq' | 'collection_id'>, collectionId: string): IntelObject {
  return {
    collectionId,
    stixId: r.stix_id,
    type: r.type,
    version: r.version,
    specVersion: r.spec_version,
    dateAdded: r.date_added,
    tlp: TLP_LEVELS[num(r.tlp_rank)] as Tlp,
    mediaType: r.media_type,
    body: r.body,
  };
}

function toRecord(r: RecordRow): IntelRecord {
  return {
    kind: r.kind as IntelKind,
    key: r.key,
    version: num(r.version),
    created: r.created,
    modified: r.modified,
    tlp: r.tlp as Tlp,
    revoked: num(r.revoked) === 1,
    validUntil: r.valid_until,
    caseId: r.case_id,
    publishedAt: r.published_at,
    actor: r.actor,
    body: parseJson<Record<string, unknown>>(r.body, {}),
  };
}

function toCollection(r: Database['intel_collections']): IntelCollection {
  return {
    id: r.id,
    alias: r.alias,
    title: r.title,
    description: r.description,
    canWrite: num(r.can_write) === 1,
    createdAt: r.created_at,
  };
}

export class KyselyIntel implements IntelStore {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  async appendRecords(records: readonly IntelRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      const existing = await this.#scope.db
        .selectFrom('intel_records')
        .select(['kind', 'key', 'version'])
        .where((eb) =>
          eb.or(
            chunk.map((r) =>
              eb.and([eb('kind', '=', r.kind), eb('key', '=', r.key), eb('version', '=', r.version)]),
            ),
          ),
        )
        .executeTakeFirst();
      if (existing)
        throw new PrecursorError(
          'CONFLICT',
          `${existing.kind} ${existing.key} version ${existing.version} is already published`,
        );
      await this.#scope.db
        .insertInto('intel_records')
        .values(
          chunk.map((r) => ({
            kind: r.kind,
            key: r.key,
            version: r.version,
            created: r.created,
            modified: r.modified,
            tlp: r.tlp,
            revoked: r.revoked ? 1 : 0,
            valid_until: r.validUntil,
            case_id: r.caseId,
            published_at: r.publishedAt,
            actor: r.actor,
            body: JSON.stringify(r.body),
          })),
        )
        .execute();
    }
  }

  async latest(filter: IntelRecordFilter = {}): Promise<IntelRecord[]> {
    const keys = filter.keys;
    if (keys && keys.length === 0) return [];
    if (keys && keys.length > CHUNK) {
      const out: IntelRecord[] = [];
      for (let i = 0; i < keys.length; i += CHUNK)
        out.push(...(await this.latest({ ...filter, keys: keys.slice(i, i + CHUNK) })));
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    let q = this.#scope.db
      .selectFrom('intel_records as r')
      .selectAll('r')
      .where('r.version', '=', (eb) =>
        eb
          .selectFrom('intel_records as r2')
          .select((e) => e.fn.max('r2.version').as('v'))
          .whereRef('r2.kind', '=', 'r.kind')
          .whereRef('r2.key', '=', 'r.key'),
      )
      .orderBy('r.key')
      .orderBy('r.kind');
    if (filter.kind) q = q.where('r.kind', '=', filter.kind);
    if (keys) q = q.where('r.key', 'in', keys);
    if (filter.afterKey !== undefined) q = q.where('r.key', '>', filter.afterKey);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    return (await q.execute()).map(toRecord);
  }

  async history(kind: IntelKind, key: string): Promise<IntelRecord[]> {
    const rows = await this.#scope.db
      .selectFrom('intel_records')
      .selectAll()
      .where('kind', '=', kind)
      .where('key', '=', key)
      .orderBy('version')
      .execute();
    return rows.map(toRecord);
  }

  async keysOfCase(caseId: string): Promise<{ kind: IntelKind; key: string }[]> {
    const rows = await this.#scope.db
      .selectFrom('intel_records')
      .select(['kind', 'key'])
      .distinct()
      .where('case_id', '=', caseId)
      .orderBy('kind')
      .orderBy('key')
      .execute();
    return rows.map((r) => ({ kind: r.kind as IntelKind, key: r.key }));
  }

  async addObjects(
    collectionId: string,
    objects: readonly IntelObjectInput[],
    now: Date,
  ): Promise<IntelObject[]> {
    if (objects.length === 0) return [];
    return this.#scope.atomic(async (tx) => {
      const db = tx.db;
      // One writer per collection at a time (PostgreSQL; SQLite has one writer anyway): date_added
      // then grows strictly across processes too, and each new version sees every other one when it
      // records which it supersedes.
      if (this.#ctx.adapter.flavor.name === 'postgres')
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`precursor.intel_objects:${collectionId}`}))`.execute(
          db,
        );
      const last = await db
        .selectFrom('intel_objects')
        .select((eb) => eb.fn.max('date_added').as('d'))
        .where('collection_id', '=', collectionId)
        .executeTakeFirst();
      // Strictly increasing per collection: a reader that paged past date_added D never misses a
      // later addition, even when the wall clock steps back.
      let next = Math.max(now.getTime() * 1000, last?.d ? micros(last.d) + 1 : 0);
      const added: IntelObject[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < objects.length; i += CHUNK) {
        const chunk = objects.slice(i, i + CHUNK);
        const ids = [...new Set(chunk.map((o) => o.stixId))];
        const stored = await db
          .selectFrom('intel_objects as o')
          .select(['o.stix_id', 'o.version', 'o.body', 'o.date_added', 'o.tlp_rank', 'o.spec_version'])
          .where('o.collection_id', '=', collectionId)
          .where('o.stix_id', 'in', ids)
          .execute();
        const versions = new Set(stored.map((r) => `${r.stix_id}|${r.version}`));
        // Every version of each object of the chunk (this transaction's earlier chunks included).
        const known = new Map<string, { version: string; rank: number; spec: string }[]>();
        for (const r of stored) {
          const list = known.get(r.stix_id) ?? [];
          list.push({ version: r.version, rank: num(r.tlp_rank), spec: r.spec_version });
          known.set(r.stix_id, list);
        }
        const pairs: SupersededRow[] = [];
        const latestBody = new Map<string, { at: string; body: string }>();
        for (const r of stored) {
          const prev = latestBody.get(r.stix_id);
          if (!prev || r.date_added > prev.at) latestBody.set(r.stix_id, { at: r.date_added, body: r.body });
        }
        const rows: Omit<Row, 'seq'>[] = [];
        for (const o of chunk) {
          if (o.version === '') {
            if (latestBody.get(o.stixId)?.body === o.body) continue;
          } else if (versions.has(`${o.stixId}|${o.version}`) || seen.has(`${o.stixId}|${o.version}`))
            continue;
          const dateAdded = microTimestamp(next++);
          const version = o.version === '' ? dateAdded : o.version;
          seen.add(`${o.stixId}|${version}`);
          latestBody.set(o.stixId, { at: dateAdded, body: o.body });
          const rank = tlpRank(o.tlp);
          const others = known.get(o.stixId) ?? [];
          for (const u of others) {
            const [older, newer] =
              u.version < version ? [u.version, { version, rank, spec: o.specVersion }] : [version, u];
            pairs.push({
              collection_id: collectionId,
              stix_id: o.stixId,
              version: older,
              by_version: newer.version,
              by_rank: newer.rank,
              by_spec_version: newer.spec,
            });
          }
          others.push({ version, rank, spec: o.specVersion });
          known.set(o.stixId, others);
          rows.push({
            collection_id: collectionId,
            stix_id: o.stixId,
            type: o.type,
            version,
            spec_version: o.specVersion,
            date_added: dateAdded,
            tlp_rank: rank,
            media_type: o.mediaType,
            body: o.body,
          });
        }
        if (rows.length === 0) continue;
        for (let j = 0; j < rows.length; j += 100)
          await db
            .insertInto('intel_objects')
            .values(rows.slice(j, j + 100))
            .execute();
        for (let j = 0; j < pairs.length; j += 100)
          await db
            .insertInto('intel_superseded')
            .values(pairs.slice(j, j + 100))
            .execute();
        added.push(...rows.map((r) => toObject(r, collectionId)));
      }
      return added;
    });
  }

  async queryObjects(q: IntelObjectQuery): Promise<IntelObject[]> {
    if (q.ids && q.ids.length === 0) return [];
    const ceiling = tlpRank(q.tlp);
    let query = this.#scope.db
      .selectFrom('intel_objects as o')
      // Only what a page needs besides the filters: every column read costs per row at page sizes.
      .select([
        'o.stix_id',
        'o.type',
        'o.version',
        'o.spec_version',
        'o.date_added',
        'o.tlp_rank',
        'o.media_type',
        'o.body',
      ])
      .where('o.collection_id', '=', q.collectionId)
      .where('o.tlp_rank', '<=', ceiling)
      .orderBy('o.date_added')
      .orderBy('o.stix_id')
      .orderBy('o.version')
      .limit(q.limit);
    const after = q.after;
    // A row-value comparison (both dialects) is one range on the page index; the expanded OR form
    // is not, and made every page a scan from the collection's start.
    if (after)
      query = query
        .where('o.date_added', '>=', after.dateAdded)
        .where((eb) =>
          eb(
            eb.refTuple('o.date_added', 'o.stix_id', 'o.version'),
            '>',
            eb.tuple(after.dateAdded, after.id, after.version),
          ),
        );
    if (q.addedAfter !== undefined) query = query.where('o.date_added', '>', q.addedAfter);
    if (q.ids) query = query.where('o.stix_id', 'in', q.ids);
    if (q.types) query = query.where('o.type', 'in', q.types);
    if (q.specVersions) query = query.where('o.spec_version', 'in', q.specVersions);
    const v = q.versions;
    if (v === 'last') {
      query = query.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('intel_superseded as s')
              .select('s.by_rank')
              .whereRef('s.collection_id', '=', 'o.collection_id')
              .whereRef('s.stix_id', '=', 'o.stix_id')
              .whereRef('s.version', '=', 'o.version')
              .where('s.by_rank', '<=', ceiling)
              .$call((s) => (q.specVersions ? s.where('s.by_spec_version', 'in', q.specVersions) : s)),
          ),
        ),
      );
    } else if (v === 'first') {
      const pick = (eb: ExpressionBuilder<Database & { o: Row }, 'o'>) =>
        eb
          .selectFrom('intel_objects as o2')
          .select((e) => e.fn.min('o2.version').as('v'))
          .whereRef('o2.collection_id', '=', 'o.collection_id')
          .whereRef('o2.stix_id', '=', 'o.stix_id')
          .where('o2.tlp_rank', '<=', ceiling)
          .$call((s) => (q.specVersions ? s.where('o2.spec_version', 'in', q.specVersions) : s));
      query = query.where('o.version', '=', pick);
    } else if (typeof v === 'object') {
      if (v.versions.length === 0) return [];
      query = query.where('o.version', 'in', v.versions);
    }
    return (await query.execute()).map((r) => toObject(r, q.collectionId));
  }

  async countObjects(collectionId: string): Promise<number> {
    const r = await this.#scope.db
      .selectFrom('intel_objects')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('collection_id', '=', collectionId)
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  async revision(): Promise<number> {
    const r = await this.#scope.db
      .selectFrom('intel_objects')
      .select((eb) => eb.fn.max('seq').as('s'))
      .executeTakeFirst();
    return r?.s == null ? 0 : num(r.s);
  }

  async ensureCollection(c: IntelCollection): Promise<IntelCollection> {
    return this.#scope.atomic(async (tx) => {
      const found = await tx.db
        .selectFrom('intel_collections')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', c.id), eb('alias', '=', c.alias)]))
        .executeTakeFirst();
      if (found) return toCollection(found);
      await tx.db
        .insertInto('intel_collections')
        .values({
          id: c.id,
          alias: c.alias,
          title: c.title,
          description: c.description,
          can_write: c.canWrite ? 1 : 0,
          created_at: c.createdAt,
        })
        .execute();
      return c;
    });
  }

  async collections(): Promise<IntelCollection[]> {
    const rows = await this.#scope.db
      .selectFrom('intel_collections')
      .selectAll()
      .orderBy('created_at')
      .orderBy('alias')
      .execute();
    return rows.map(toCollection);
  }

  async collection(idOrAlias: string): Promise<IntelCollection | undefined> {
    const row = await this.#scope.db
      .selectFrom('intel_collections')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrAlias), eb('alias', '=', idOrAlias)]))
      .executeTakeFirst();
    return row ? toCollection(row) : undefined;
  }

  async grant(g: IntelGrant): Promise<void> {
    await this.#scope.atomic(async (tx) => {
      await tx.db
        .deleteFrom('intel_grants')
        .where('collection_id', '=', g.collectionId)
        .where('partner', '=', g.partner)
        .execute();
      await tx.db
        .insertInto('intel_grants')
        .values({
          collection_id: g.collectionId,
          partner: g.partner,
          tlp: g.tlp,
          granted_at: g.grantedAt,
          granted_by: g.grantedBy,
        })
        .execute();
    });
  }

  async ungrant(collectionId: string, partner: string): Promise<boolean> {
    const r = await this.#scope.db
      .deleteFrom('intel_grants')
      .where('collection_id', '=', collectionId)
      .where('partner', '=', partner)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async grants(filter: { partner?: string; collectionId?: string } = {}): Promise<IntelGrant[]> {
    let q = this.#scope.db.selectFrom('intel_grants').selectAll().orderBy('partner').orderBy('collection_id');
    if (filter.partner !== undefined) q = q.where('partner', '=', filter.partner);
    if (filter.collectionId !== undefined) q = q.where('collection_id', '=', filter.collectionId);
    return (await q.execute()).map((r) => ({
      collectionId: r.collection_id,
      partner: r.partner,
      tlp: r.tlp as Tlp,
      grantedAt: r.granted_at,
      grantedBy: r.granted_by,
    }));
  }

  async saveStatus(s: TaxiiStatusRecord): Promise<void> {
    await this.#scope.db
      .insertInto('taxii_status')
      .values({ id: s.id, key_id: s.keyId, created_at: s.createdAt, body: s.body })
      .execute();
  }

  async status(id: string): Promise<TaxiiStatusRecord | undefined> {
    const r = await this.#scope.db
      .selectFrom('taxii_status')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? { id: r.id, keyId: r.key_id, createdAt: r.created_at, body: r.body } : undefined;
  }
}
