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
}

const ref = (c: string) => sql.ref(c);

export function sqliteAdapter(flavor: DialectFlavor): DialectAdapter {
  return Object.freeze({
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
