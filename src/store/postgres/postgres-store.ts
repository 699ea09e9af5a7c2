/**
 * The shared store (several processes; the scale-out mode's): PostgreSQL through `pg`. An optional schema isolates one deployment (or one
 * test) from another in the same database.
 * @module
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { postgresAdapter } from './postgres-adapter.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import { POSTGRES_FLAVOR } from '../migrations/flavor.js';
import type { Database } from '../schema.js';

export interface PostgresStoreConfig {
  readonly url: string;
  /** Schema to create and use (default `public`). */
  readonly schema?: string;
  readonly maxConnections?: number;
  /** Create the schema when missing (default true; false for read-only use, which may not create). */
  readonly createSchema?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createPostgresStore(config: PostgresStoreConfig): Promise<KyselyStore> {
  const schema = config.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name '${schema}'`);
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.maxConnections ?? 10,
    // search_path per connection: every query, including Kysely's migration tables, lands in `schema`.
    options: `-c search_path=${schema}`,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (schema !== 'public' && config.createSchema !== false)
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  return new KyselyStore(db, postgresAdapter(POSTGRES_FLAVOR), async () => {}, schema);
}

/** Drops a schema and everything in it (tests only). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema) || schema === 'public')
    throw new Error(`refusing to drop schema '${schema}'`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
