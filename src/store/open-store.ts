/**
 * Picks the store implementation from configuration. Only composition roots (cli, server, bench,
 * tests) call this.
 * @module
 */
import { join } from 'node:path';
import { PrecursorError } from '../domain/index.js';
import { createPostgresStore } from './postgres/postgres-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite under `home`. */
  readonly databaseUrl?: string | undefined;
  readonly home: string;
  readonly schema?: string | undefined;
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl;
  let store: Store;
  try {
    if (url && /^postgres(ql)?:\/\//.test(url)) {
      store = await createPostgresStore(
        options.schema === undefined ? { url } : { url, schema: options.schema },
      );
    } else if (url?.startsWith('sqlite:')) {
      store = createSqliteStore({ path: url.slice('sqlite:'.length) });
    } else if (url) {
      throw new PrecursorError(
        'CONFIG_INVALID',
        `unsupported database URL '${url.replace(/\/\/[^@]*@/, '//***@')}'`,
      );
    } else {
      store = createSqliteStore({ path: join(options.home, 'precursor.db') });
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
  if (options.migrate !== false) {
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
