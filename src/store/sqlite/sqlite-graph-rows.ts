/**
 * Entity and link writes on SQLite: cached single-row statements instead of Kysely building (and
 * SQLite preparing) a 900-parameter OR and a 7,000-parameter INSERT per slice.
 * @module
 */
import type { Entity, EntityKey } from '../../domain/index.js';
import { type GraphRows, provenanceText } from '../kysely/graph-rows.js';
import { toEntity } from '../kysely/rows.js';
import { sqliteAttrsMerge } from './sqlite-attrs-merge.js';
import { insertInto, type SqliteStatementHost, selectFrom } from './sqlite-statements.js';

export function sqliteGraphRows(host: SqliteStatementHost): GraphRows {
  const upsertEntity = insertInto(
    host,
    'entities',
    ['key', 'type', 'display', 'first_seen', 'last_seen', 'attrs'],
    {
      target: ['key'],
      set: {
        display: 'excluded.display',
        first_seen: 'min(entities.first_seen, excluded.first_seen)',
        last_seen: 'max(entities.last_seen, excluded.last_seen)',
        attrs: sqliteAttrsMerge('entities.attrs', 'excluded.attrs'),
      },
    },
  );
  // Provenance is a set: the union of the stored list and the asserted one, sorted, at most 50 (as
  // `provenanceText` makes it), computed by SQLite instead of reading every stored link back first.
  // Nearly always the link is asserted again by the same sources, and the text is kept as it is. Both
  // lists are sorted and at most 50 long, so the 50 smallest of their union are those of the whole
  // union. (SQLite orders text by UTF-8 bytes, JavaScript by UTF-16 units: the two differ only between
  // a character above U+E000 and one outside the BMP, which no source id or detector name holds.)
  const upsertLink = insertInto(
    host,
    'links',
    ['from_key', 'to_key', 'pivot', 'strength', 'first_seen', 'last_seen', 'provenance'],
    {
      target: ['from_key', 'to_key', 'pivot'],
      set: {
        strength: 'excluded.strength',
        first_seen: 'min(links.first_seen, excluded.first_seen)',
        last_seen: 'max(links.last_seen, excluded.last_seen)',
        provenance: `CASE WHEN links.provenance = excluded.provenance THEN links.provenance ELSE (
          SELECT json_group_array(value) FROM (
            SELECT value FROM json_each(links.provenance) UNION SELECT value FROM json_each(excluded.provenance)
            ORDER BY value LIMIT 50)) END`,
      },
    },
  );
  const entityByKey = selectFrom(
    host,
    'entities',
    ['key', 'type', 'display', 'first_seen', 'last_seen', 'attrs'],
    ['key'],
  );
  return {
    async upsertEntities(_tx, entities) {
      for (const e of entities)
        upsertEntity.run(e.key, e.type, e.display, e.first, e.last, JSON.stringify(e.attrs));
    },

    async upsertLinks(_tx, links) {
      for (const m of links)
        upsertLink.run(
          m.from,
          m.to,
          m.pivot,
          m.strength,
          m.first,
          m.last,
          provenanceText(undefined, m.provenance),
        );
    },

    entitiesByKey(scope, keys) {
      // One cached statement per key: an IN list of a different length each slice is a new statement.
      return scope.holding(() => {
        const out = new Map<EntityKey, Entity>();
        for (const key of keys) {
          const r = entityByKey.all(key)[0];
          if (r) out.set(key, toEntity(r));
        }
        return out;
      });
    },
  };
}
