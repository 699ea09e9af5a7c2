/**
 * What differs between the SQL dialects at run time, stated once. Everything else in the store is
 * dialect-agnostic Kysely.
 * @module
 */
import { type RawBuilder, sql } from 'kysely';
import type { DialectFlavor } from './migrations/flavor.js';
import type { StoreCapabilities } from './store.js';

export interface DialectAdapter {
  readonly flavor: DialectFlavor;
  readonly capabilities: StoreCapabilities;
  /** Shallow JSON-object merge of two text columns, right side wins. */
  jsonMerge(left: string, right: string): RawBuilder<string>;
  least(left: string, right: string): RawBuilder<string>;
  greatest(left: string, right: string): RawBuilder<string>;
  /**
   * Optional fast path for the hottest write (observations). Called inside an open transaction on the
   * same connection; returns how many rows were new.
   */
  readonly insertObservations?: (rows: readonly ObservationRow[], seqs?: (number | undefined)[]) => number;
  /**
   * Optional cached prepared statements (SQLite): the derived-state writes of a busy stage (entities,
   * signals, assessments) run thousands of single-row statements per slice, which Kysely would build and
   * prepare anew each time. Only ever called where Kysely holds the connection (inside a transaction or
   * `db.connection()`), like `insertObservations`.
   */
  readonly prepared?: PreparedStatements;
}

export interface PreparedStatements {
  /** Runs a cached statement; returns the number of rows changed. */
  run(sql: string, params: readonly unknown[]): number;
  /** Runs a cached query; returns its rows. */
  all<T>(sql: string, params: readonly unknown[]): T[];
}

export interface ObservationRow {
  readonly source_id: number;
  readonly kind: string;
  readonly dedupe_key: string;
  readonly observed_at: string;
  readonly ingested_ms: number;
  readonly payload: string;
}

/** The subset of better-sqlite3 the fast path needs. */
export interface SqliteStatementHost {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    all(...params: unknown[]): unknown[];
  };
}

const ref = (c: string) => sql.ref(c);

export function sqliteAdapter(flavor: DialectFlavor, raw?: SqliteStatementHost): DialectAdapter {
  // Kysely prepares every statement anew; a 1,000-row INSERT with 6,000 parameters costs more to
  // prepare than to run. One cached single-row statement in a loop is ~4x faster on SQLite, where
  // there is no network round trip to amortise.
  let insert: ReturnType<SqliteStatementHost['prepare']> | undefined;
  const insertObservations = raw
    ? (rows: readonly ObservationRow[], seqs?: (number | undefined)[]): number => {
        insert ??= raw.prepare(
          'INSERT INTO observations (source_id, kind, dedupe_key, observed_at, ingested_ms, payload) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
        );
        let n = 0;
        for (const r of rows) {
          const res = insert.run(r.source_id, r.kind, r.dedupe_key, r.observed_at, r.ingested_ms, r.payload);
          n += res.changes;
          // `seq` is the rowid alias, so a row that was inserted reports its sequence number.
          seqs?.push(res.changes === 1 ? Number(res.lastInsertRowid) : undefined);
        }
        return n;
      }
    : undefined;
  const cache = new Map<string, ReturnType<SqliteStatementHost['prepare']>>();
  const stmt = (q: string) => {
    let s = cache.get(q);
    if (!s) {
      s = (raw as SqliteStatementHost).prepare(q);
      cache.set(q, s);
    }
    return s;
  };
  const prepared: PreparedStatements | undefined = raw
    ? {
        run: (q, params) => stmt(q).run(...params).changes,
        all: <T>(q: string, params: readonly unknown[]) => stmt(q).all(...params) as T[],
      }
    : undefined;
  return Object.freeze({
    ...(insertObservations ? { insertObservations } : {}),
    ...(prepared ? { prepared } : {}),
    flavor,
    capabilities: Object.freeze({
      dialect: 'sqlite',
      concurrentWriters: false,
      supportsSkipLocked: false,
      supportsListenNotify: false,
    }),
    jsonMerge: (l: string, r: string) => sql<string>`json_patch(${ref(l)}, ${ref(r)})`,
    least: (l: string, r: string) => sql<string>`min(${ref(l)}, ${ref(r)})`,
    greatest: (l: string, r: string) => sql<string>`max(${ref(l)}, ${ref(r)})`,
  });
}

export function postgresAdapter(flavor: DialectFlavor): DialectAdapter {
  return Object.freeze({
    flavor,
    capabilities: Object.freeze({
      dialect: 'postgres',
      concurrentWriters: true,
      supportsSkipLocked: true,
      supportsListenNotify: true,
    }),
    jsonMerge: (l: string, r: string) => sql<string>`(${ref(l)}::jsonb || ${ref(r)}::jsonb)::text`,
    least: (l: string, r: string) => sql<string>`least(${ref(l)}, ${ref(r)})`,
    greatest: (l: string, r: string) => sql<string>`greatest(${ref(l)}, ${ref(r)})`,
  });
}
