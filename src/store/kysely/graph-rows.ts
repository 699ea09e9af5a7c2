/**
 * The bulk paths of the entity graph (entity and link upserts, entities by key) and their portable
 * implementation: multi-row statements, a few per slice.
 * @module
 */
import type { Entity, EntityKey, LinkPivot } from '../../domain/index.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { chunks } from './chunks.js';
import { parseJson, toEntity } from './rows.js';
import type { Scope } from './scope.js';

/** One row per key: the slice's mentions of an entity folded together. */
export interface MergedEntity {
  readonly key: EntityKey;
  readonly type: string;
  readonly display: string;
  first: string;
  last: string;
  readonly attrs: Record<string, unknown>;
}

/** One row per (from, to, pivot): the slice's assertions of a link folded together. */
export interface MergedLink {
  readonly from: EntityKey;
  readonly to: EntityKey;
  readonly pivot: LinkPivot;
  strength: number;
  first: string;
  last: string;
  readonly provenance: Set<string>;
}

export interface GraphRows {
  upsertEntities(tx: Scope, entities: readonly MergedEntity[]): Promise<void>;
  /**
   * Upserts links; provenance is unioned with what is stored (see `provenanceText`). Links touching a
   * key in `fresh` are known to be new and are not looked up.
   */
  upsertLinks(tx: Scope, links: readonly MergedLink[], fresh: ReadonlySet<EntityKey>): Promise<void>;
  entitiesByKey(scope: Scope, keys: readonly EntityKey[]): Promise<Map<EntityKey, Entity>>;
}

/** Provenance as stored: the union of what was and what is asserted, sorted, at most 50 entries. */
export function provenanceText(stored: string | undefined, added: ReadonlySet<string>): string {
  // Nearly every link of a slice is asserted by one source: no list to copy, sort and cut.
  if (stored === undefined && added.size === 1) for (const only of added) return JSON.stringify([only]);
  const all = stored === undefined ? added : new Set([...parseJson<string[]>(stored, []), ...added]);
  return JSON.stringify([...all].sort().slice(0, 50));
}

export const linkId = (from: string, to: string, pivot: string): string => `${from}\u0000${to}\u0000${pivot}`;

export function kyselyGraphRows(
  adapter: Pick<DialectAdapter, 'jsonMerge' | 'least' | 'greatest'>,
): GraphRows {
  return {
    async upsertEntities(tx, entities) {
      for (const part of chunks(entities)) {
        await tx.db
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
              first_seen: adapter.least('entities.first_seen', 'excluded.first_seen'),
              last_seen: adapter.greatest('entities.last_seen', 'excluded.last_seen'),
              attrs: adapter.jsonMerge('entities.attrs', 'excluded.attrs'),
            }),
          )
          .execute();
      }
    },

    async upsertLinks(tx, links, fresh) {
      // Provenance is a set that must merge with what is stored; read, union, write keeps it portable.
      const existing = new Map<string, string>();
      const known = links.filter((m) => !fresh.has(m.from) && !fresh.has(m.to));
      for (const part of chunks(known, 300)) {
        const rows = await tx.db
          .selectFrom('links')
          .select(['from_key', 'to_key', 'pivot', 'provenance'])
          .where((eb) =>
            eb.or(
              part.map((m) =>
                eb.and([eb('from_key', '=', m.from), eb('to_key', '=', m.to), eb('pivot', '=', m.pivot)]),
              ),
            ),
          )
          .execute();
        for (const r of rows) existing.set(linkId(r.from_key, r.to_key, r.pivot), r.provenance);
      }
      for (const part of chunks(links)) {
        await tx.db
          .insertInto('links')
          .values(
            part.map((m) => ({
              from_key: m.from,
              to_key: m.to,
              pivot: m.pivot,
              strength: m.strength,
              first_seen: m.first,
              last_seen: m.last,
              provenance: provenanceText(existing.get(linkId(m.from, m.to, m.pivot)), m.provenance),
            })),
          )
          .onConflict((oc) =>
            oc.columns(['from_key', 'to_key', 'pivot']).doUpdateSet({
              strength: (eb) => eb.ref('excluded.strength'),
              first_seen: adapter.least('links.first_seen', 'excluded.first_seen'),
              last_seen: adapter.greatest('links.last_seen', 'excluded.last_seen'),
              provenance: (eb) => eb.ref('excluded.provenance'),
            }),
          )
          .execute();
      }
    },

    async entitiesByKey(scope, keys) {
      const out = new Map<EntityKey, Entity>();
      for (const part of chunks(keys, 500)) {
        const rows = await scope.db.selectFrom('entities').selectAll().where('key', 'in', part).execute();
        for (const r of rows) out.set(r.key as EntityKey, toEntity(r));
      }
      return out;
    },
  };
}
