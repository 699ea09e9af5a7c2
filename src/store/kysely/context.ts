/**
 * What every aggregate of one store shares, whatever scope it is bound to.
 * @module
 */
import type { DialectAdapter } from '../dialect-adapter.js';

export interface StoreContext {
  readonly adapter: DialectAdapter;
  /** `sources.id` by source name: ids never change once committed, so a batch skips the lookup. */
  readonly sourceIds: Map<string, number>;
}
