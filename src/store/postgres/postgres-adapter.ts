/**
 * The PostgreSQL dialect adapter: capabilities, the few expressions that differ, and the portable
 * multi-row bulk paths (a statement costs a network round trip, so fewer, larger ones win).
 * @module
 */
import { sql } from 'kysely';
import type { DialectAdapter } from '../dialect-adapter.js';
import { kyselyAssessmentRows } from '../kysely/assessment-rows.js';
import { kyselyGraphRows } from '../kysely/graph-rows.js';
import { kyselyObservationRows } from '../kysely/observation-rows.js';
import type { DialectFlavor } from '../migrations/flavor.js';

const ref = (c: string) => sql.ref(c);

export function postgresAdapter(flavor: DialectFlavor): DialectAdapter {
  const expressions = {
    // Keys the right side names are dropped from the left, then its non-null values written whole.
    jsonMerge: (l: string, r: string) =>
      sql<string>`((${ref(l)}::jsonb - ARRAY(SELECT jsonb_object_keys(${ref(r)}::jsonb))) || jsonb_strip_nulls(${ref(r)}::jsonb))::text`,
    jsonField: (c: string, f: string) => sql<string | null>`(${ref(c)}::jsonb -> ${f}::text)::text`,
    least: (l: string, r: string) => sql<string>`least(${ref(l)}, ${ref(r)})`,
    greatest: (l: string, r: string) => sql<string>`greatest(${ref(l)}, ${ref(r)})`,
  };
  return Object.freeze({
    flavor,
    capabilities: Object.freeze({
      dialect: 'postgres',
      concurrentWriters: true,
      supportsSkipLocked: true,
      supportsListenNotify: true,
    }),
    ...expressions,
    rows: Object.freeze({
      observations: kyselyObservationRows,
      graph: kyselyGraphRows(expressions),
      assessments: kyselyAssessmentRows,
    }),
  });
}
