/**
 * What differs between the SQL dialects at run time, stated once. Everything else in the store is
 * dialect-agnostic Kysely. `sqlite/sqlite-adapter.ts` and `postgres/postgres-adapter.ts` implement it;
 * the aggregates never ask which dialect they run on.
 * @module
 */
import type { RawBuilder } from 'kysely';
import type { AssessmentRows } from './kysely/assessment-rows.js';
import type { GraphRows } from './kysely/graph-rows.js';
import type { ObservationRows } from './kysely/observation-rows.js';
import type { DialectFlavor } from './migrations/flavor.js';
import type { StoreCapabilities } from './store.js';

export interface DialectAdapter {
  readonly flavor: DialectFlavor;
  readonly capabilities: StoreCapabilities;
  /**
   * Shallow JSON-object merge of two text columns, right side wins, a right-side `null` removes the
   * key (`mergeAttrs` in the domain; a new value's own nested nulls are dropped, as RFC 7396 does).
   */
  jsonMerge(left: string, right: string): RawBuilder<string>;
  /**
   * One top-level field of a JSON text column as JSON text (null when the object lacks it): what a
   * read that needs a few fields of a large payload selects instead of the whole payload.
   */
  jsonField(column: string, field: string): RawBuilder<string | null>;
  least(left: string, right: string): RawBuilder<string>;
  greatest(left: string, right: string): RawBuilder<string>;
  /**
   * The bulk row paths of the hottest reads and writes (observations, entities and links, signals and
   * assessments): multi-row Kysely statements where a statement costs a network round trip
   * (PostgreSQL), cached single-row prepared statements where preparing costs more than running
   * (SQLite, `sqlite/`). Chosen once, by the dialect, instead of by a branch in each method.
   */
  readonly rows: BulkRows;
}

export interface BulkRows {
  readonly observations: ObservationRows;
  readonly graph: GraphRows;
  readonly assessments: AssessmentRows;
}
