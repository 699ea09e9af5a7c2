/**
 * Picks the store implementation from configuration. Only composition roots (cli, server, bench,
 * tests) call this.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PrecursorError } from '../domain/index.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite under `home`. */
  readonly databaseUrl?: string | undefined;
  readonly home: string;
  readonly schema?: string | undefined;
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
  /**
   * For commands that only read: open without creating or writing anything and never migrate (so they
   * work on a read-only file or with a SELECT-only database role). A store that is missing or has
   * pending migrations is reported instead.
   */
  readonly readOnly?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl;
  let store: Store;
  try {
    const readOnly = options.readOnly === true;
    if (url && /^postgres(ql)?:\/\//.test(url)) {
      // Loaded only for PostgreSQL: its client is ~0.05 s of every SQLite command's start-up.
      const { createPostgresStore } = await import('./postgres/postgres-store.js');
      store = await createPostgresStore({
        url,
        ...(options.schema === undefined ? {} : { schema: options.schema }),
        ...(readOnly ? { createSchema: false } : {}),
      });
    } else if (url && !url.startsWith('sqlite:')) {
      throw new PrecursorError(
        'CONFIG_INVALID',
        `unsupported database URL '${url.replace(/\/\/[^@]*@/, '//***@')}'`,
      );
    } else {
      const path = url ? url.slice('sqlite:'.length) : join(options.home, 'precursor.db');
      if (readOnly && path !== ':memory:' && !existsSync(path))
        throw new PrecursorError(
          'STORE_UNAVAILABLE',
          `there is no store at ${path} yet: ingest something first (or run \`precursor migrate\`)`,
        );
      store = createSqliteStore({ path, ...(readOnly ? { readOnly } : {}) });
    }
  } catch (e) {
    if (e instanceof PrecursorError) throw e;
    throw new PrecursorError(
      'STORE_UNAVAILABLE',
      `cannot open the store: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  try {
    await store.ping();
  } catch (e) {
    await store.close().catch(() => {});
    throw new PrecursorError(
      'STORE_UNAVAILABLE',
      `cannot reach the store: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  if (options.readOnly === true) {
    let pending: string[];
    try {
      pending = await store.pendingMigrations();
    } catch (e) {
      await store.close().catch(() => {});
      throw new PrecursorError(
        'STORE_UNAVAILABLE',
        `cannot read the store's schema version: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    if (pending.length > 0) {
      await store.close().catch(() => {});
      throw new PrecursorError(
        'MIGRATION_FAILED',
        `the store's schema is older than this build (pending: ${pending.join(', ')}); a read does not migrate — run \`precursor migrate\``,
      );
    }
  } else if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (e) {
      await store.close().catch(() => {});
      if (e instanceof PrecursorError) throw e;
      throw new PrecursorError(
        'STORE_UNAVAILABLE',
        `cannot reach the store: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
  }
  return store;
}
