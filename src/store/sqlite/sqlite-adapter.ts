/**
 * The SQLite dialect adapter: its capabilities, its SQL for the few portable-looking expressions that
 * differ, and its bulk row paths (cached prepared statements on the raw better-sqlite3 handle).
 * @module
 */
import { sql } from 'kysely';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { DialectFlavor } from '../migrations/flavor.js';
import { sqliteAttrsMerge } from './sqlite-attrs-merge.js';
import { sqliteAssessmentRows } from './sqlite-assessment-rows.js';
import { sqliteGraphRows } from './sqlite-graph-rows.js';
import { sqliteObservationRows } from './sqlite-observation-rows.js';
import type { SqliteStatementHost } from './sqlite-statements.js';

const ref = (c: string) => sql.ref(c);

/**
 * `raw` is the handle Kysely's SqliteDialect runs on: the cached statements run on the same
 * connection, so inside a Kysely transaction they are part of it.
 */
export function sqliteAdapter(flavor: DialectFlavor, raw: SqliteStatementHost): DialectAdapter {
  return Object.freeze({
    flavor,
    capabilities: Object.freeze({
      dialect: 'sqlite',
      concurrentWriters: false,
      supportsSkipLocked: false,
      supportsListenNotify: false,
    }),
    jsonMerge: (l: string, r: string) => sql<string>`${sql.raw(sqliteAttrsMerge(l, r))}`,
    jsonField: (c: string, f: string) => sql<string | null>`${ref(c)} -> ${`$.${f}`}`,
    least: (l: string, r: string) => sql<string>`min(${ref(l)}, ${ref(r)})`,
    greatest: (l: string, r: string) => sql<string>`max(${ref(l)}, ${ref(r)})`,
    rows: Object.freeze({
      observations: sqliteObservationRows(raw),
      graph: sqliteGraphRows(raw),
      assessments: sqliteAssessmentRows(raw),
    }),
  });
}
