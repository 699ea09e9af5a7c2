/**
 * What the TAXII protocol logic reads objects through. A source holds, per collection, one record per
 * object version, ordered by (date_added, id, version); the store (or the in-memory reference source)
 * implements the query with a keyset scan so that paging costs the same on page 1 and page 10,000.
 * @module
 */

import type { Tlp } from '../model.js';

/** One stored object version. */
export interface TaxiiRecord {
  /** The object's TLP (its strictest TLP marking); only readers cleared for it ever receive it. */
  readonly tlp: Tlp;
  readonly id: string;
  readonly type: string;
  /** `modified`, else `created`; for objects without either (SCOs) the `date_added`. */
  readonly version: string;
  readonly specVersion: string;
  /** Canonical µs timestamp (see taxii-timestamp.ts); string order is time order. */
  readonly dateAdded: string;
  readonly mediaType: string;
  /** The object, as stored: returned verbatim (already serialised JSON is accepted). */
  readonly object: Readonly<Record<string, unknown>> | string;
}

/** The position of a record in (date_added, id, version) order. */
export interface TaxiiPosition {
  readonly dateAdded: string;
  readonly id: string;
  readonly version: string;
}

/** `match[version]`: `last` (default), `first`, `all`, or specific versions. */
export type VersionSelector = 'last' | 'first' | 'all' | { readonly versions: readonly string[] };

export interface TaxiiQuery {
  readonly collectionId: string;
  /** The reader's TLP ceiling: records above it do not exist for this query (nor for first/last). */
  readonly tlp: Tlp;
  /** Only records strictly after this position. */
  readonly after?: TaxiiPosition;
  /** Only records with date_added strictly after this (canonical) timestamp. */
  readonly addedAfter?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  readonly versions: VersionSelector;
  /** Return at most this many records (the protocol asks for one more to learn whether there are more). */
  readonly limit: number;
}

export interface TaxiiObjectSource {
  /** Records matching the query, in (date_added, id, version) order, at most `limit`. */
  query(q: TaxiiQuery): Promise<readonly TaxiiRecord[]>;
}

export function comparePosition(a: TaxiiPosition, b: TaxiiPosition): number {
  if (a.dateAdded !== b.dateAdded) return a.dateAdded < b.dateAdded ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return 0;
}
