/**
 * The stores every contract and end-to-end suite runs against. PostgreSQL is used when reachable
 * (PRECURSOR_TEST_PG_URL, default the local `test` database); outside CI an absent server skips those
 * suites with a reason, under CI=true its absence fails them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { createPostgresStore, dropPostgresSchema } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

export const PG_URL = process.env.PRECURSOR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  readonly store: Store;
  /** What a second process needs to open the same store. */
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface StoreFactory {
  readonly name: 'sqlite' | 'postgres';
  /** A reason to skip, or undefined when the store is usable. */
  skip(): Promise<string | undefined>;
  /** A store with every migration applied, unless `migrate: false` (for migration tests). */
  open(options?: { migrate?: boolean }): Promise<TestStore>;
}

let pgReachable: Promise<string | undefined> | undefined;

async function checkPostgres(): Promise<string | undefined> {
  // A refused connection answers at once; a timeout on a busy machine (two cores running many test
  // files) is not absence, so a timed-out probe is tried again before the suite is skipped or failed.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (e) {
      last = e;
      if (!(e instanceof Error && /timeout/i.test(e.message))) break;
    } finally {
      await client.end().catch(() => {});
    }
  }
  const reason = `PostgreSQL at ${PG_URL} is not reachable (${last instanceof Error ? last.message : String(last)})`;
  if (process.env.CI === 'true')
    throw new Error(`${reason}; under CI=true the PostgreSQL suite is mandatory`);
  return `${reason}; set PRECURSOR_TEST_PG_URL or start PostgreSQL to run it`;
}

export const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  skip: async () => undefined,
  async open(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'precursor-test-'));
    const store = createSqliteStore({ path: join(dir, 'precursor.db') });
    if (options.migrate !== false) await store.migrate();
    return {
      store,
      env: { PRECURSOR_HOME: dir },
      async cleanup() {
        await store.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresFactory: StoreFactory = {
  name: 'postgres',
  skip: () => {
    pgReachable ??= checkPostgres();
    return pgReachable;
  },
  async open(options = {}) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await createPostgresStore({ url: PG_URL, schema, maxConnections: 4 });
    if (options.migrate !== false) await store.migrate();
    return {
      store,
      env: { PRECURSOR_DATABASE_URL: PG_URL, PRECURSOR_DATABASE_SCHEMA: schema },
      async cleanup() {
        await store.close().catch(() => {});
        await dropPostgresSchema(PG_URL, schema);
      },
    };
  },
};

/** Selected by STORES=sqlite,postgres (default: both). */
export function storeFactories(): StoreFactory[] {
  const wanted = (process.env.STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  return [sqliteFactory, postgresFactory].filter((f) => wanted.includes(f.name));
}

/**
 * One `describe` per selected store: the store is opened before its tests and cleaned up after them.
 * `t` stands for the open store (its members are read through to it once the suite has started);
 * `skip` is the reason to skip, or undefined.
 */
export function describeEachStore(
  title: string,
  body: (t: TestStore, skip: string | undefined, factory: StoreFactory) => void,
): void {
  for (const factory of storeFactories()) {
    describe(`${title} [${factory.name}]`, async () => {
      const skip = await factory.skip();
      let opened: TestStore | undefined;
      const open = (): TestStore => {
        if (!opened) throw new Error(`the ${factory.name} store is not open`);
        return opened;
      };
      before(async () => {
        if (!skip) opened = await factory.open();
      });
      after(async () => {
        if (!skip) await opened?.cleanup();
      });
      body(
        {
          get store() {
            return open().store;
          },
          get env() {
            return open().env;
          },
          cleanup: () => open().cleanup(),
        },
        skip,
        factory,
      );
    });
  }
}
