/**
 * The embedded store: one SQLite file, WAL journal. better-sqlite3 is loaded lazily so that the
 * PostgreSQL mode never needs the native module.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from '../kysely/kysely-store.js';
import { SQLITE_FLAVOR } from '../migrations/flavor.js';
import type { Database } from '../schema.js';
import { sqliteAdapter } from './sqlite-adapter.js';
import type { SqliteStatementHost } from './sqlite-statements.js';

export interface SqliteStoreConfig {
  /** File path, or `:memory:`. */
  readonly path: string;
  /** Milliseconds to wait on a lock held by another process before failing. */
  readonly busyTimeoutMs?: number;
  /** Page cache size (default 128 MiB). */
  readonly cacheMiB?: number;
  /** Open an existing file for reading only (read-only commands): nothing is created or written. */
  readonly readOnly?: boolean;
}

/** The subset of better-sqlite3 used here, so its types do not leak past this module. */
interface SqliteDatabase extends SqliteStatementHost {
  pragma(source: string, options?: { simple: boolean }): unknown;
  close(): void;
}

export function createSqliteStore(config: SqliteStoreConfig): KyselyStore {
  const readOnly = config.readOnly === true;
  if (config.path !== ':memory:' && !readOnly) mkdirSync(dirname(config.path), { recursive: true });
  const require = createRequire(import.meta.url);
  const BetterSqlite = require('better-sqlite3') as new (
    path: string,
    options?: { readonly?: boolean; fileMustExist?: boolean },
  ) => SqliteDatabase;
  const raw = readOnly
    ? new BetterSqlite(config.path, { readonly: true, fileMustExist: true })
    : new BetterSqlite(config.path);
  // 16 KiB pages for a new file (an existing one keeps its size; the pragma is a no-op once the file
  // has content, and must come before the journal mode writes the header). The graph tables take
  // random-keyed upserts, and each B-tree step and each page written to the WAL at commit is paid per
  // page: 4 KiB → 16 KiB cut the CPU of a link upsert by ~15% on a 200,000-row run.
  if (!readOnly) raw.pragma('page_size = 16384');
  // Switching the journal mode writes the file header: a reader takes the mode the file has.
  if (!readOnly) raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last commit.
  raw.pragma('synchronous = NORMAL');
  // Checkpointing every 1,000 pages (the default) runs one per ingest batch. Every 50,000 4-KiB pages (a WAL
  // of up to ~200 MiB on disk, not in memory) a page that many commits dirtied — the dedupe index's
  // leaves when keys arrive in random order — is written back once instead of once per checkpoint:
  // list ingest in random key order 27k → 49k rows/s, in key order 209k → 232k (bench/ingest.ts).
  // The threshold counts pages: ~200 MiB whatever the file's page size.
  const pageSize = Number(raw.pragma('page_size', { simple: true })) || 4096;
  raw.pragma(`wal_autocheckpoint = ${Math.round((50_000 * 4096) / pageSize)}`);
  raw.pragma(`busy_timeout = ${config.busyTimeoutMs ?? 5000}`);
  raw.pragma('foreign_keys = ON');
  // The dedupe index and the graph tables take random inserts. A 32 MiB cache held too few of their
  // pages once a certstream month's tables passed ~1 GB: 128 MiB cut the replay's CPU by ~15% (system
  // time 17.5 → 9.1 s of page reads) for ~100 MiB more RSS, taken only as pages are touched.
  raw.pragma(`cache_size = -${(config.cacheMiB ?? 128) * 1024}`);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: raw as unknown as ConstructorParameters<typeof SqliteDialect>[0]['database'],
    }),
  });
  return new KyselyStore(db, sqliteAdapter(SQLITE_FLAVOR, raw));
}
