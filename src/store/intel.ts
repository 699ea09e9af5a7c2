/**
 * Published intel: what review confirmed, as versioned records (the sharing model) and as the STIX
 * object versions of each TAXII collection; the collections, partner grants and TAXII status
 * resources. Both record tables are append-only: a change is a new version, never an edit.
 * @module
 */
import type { Tlp } from '../domain/tlp.js';

export type IntelKind = 'indicator' | 'campaign';

/** One version of a published indicator or campaign. */
export interface IntelRecord {
  readonly kind: IntelKind;
  /** The entity key of an indicator (`domain:…`), the campaign id of a campaign. */
  readonly key: string;
  /** 1 for the first version. */
  readonly version: number;
  readonly created: string;
  readonly modified: string;
  readonly tlp: Tlp;
  readonly revoked: boolean;
  readonly validUntil: string | null;
  /** The case whose decision published this version (null for other causes). */
  readonly caseId: string | null;
  readonly publishedAt: string;
  readonly actor: string;
  /** The sharing model's value (PublishedIndicator or CampaignSummary) as plain JSON. */
  readonly body: Readonly<Record<string, unknown>>;
}

export interface IntelRecordFilter {
  readonly kind?: IntelKind;
  readonly keys?: readonly string[];
  /** Keys after this one (paging in key order). */
  readonly afterKey?: string;
  readonly limit?: number;
}

/** A STIX object version to add to a collection. */
export interface IntelObjectInput {
  readonly stixId: string;
  readonly type: string;
  /**
   * `modified` (else `created`) as a canonical µs timestamp; empty for objects without either (SCOs),
   * which then take their date_added as version and are added only when they differ from the latest.
   */
  readonly version: string;
  readonly specVersion: string;
  readonly tlp: Tlp;
  readonly mediaType: string;
  /** The object's JSON text, returned verbatim by TAXII. */
  readonly body: string;
}

export interface IntelObject {
  readonly collectionId: string;
  readonly stixId: string;
  readonly type: string;
  readonly version: string;
  readonly specVersion: string;
  /** Canonical µs UTC (`2026-11-20T12:00:00.123456Z`): string order is time order. */
  readonly dateAdded: string;
  readonly tlp: Tlp;
  readonly mediaType: string;
  readonly body: string;
}

export interface IntelObjectQuery {
  readonly collectionId: string;
  /** The reader's TLP ceiling: versions above it do not exist for this query (nor for first/last). */
  readonly tlp: Tlp;
  /** Strictly after this (date_added, id, version) position. */
  readonly after?: { readonly dateAdded: string; readonly id: string; readonly version: string };
  /** date_added strictly after this canonical timestamp. */
  readonly addedAfter?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  /** `last`/`first` among the versions the reader may see, `all`, or canonical version timestamps. */
  readonly versions: 'last' | 'first' | 'all' | { readonly versions: readonly string[] };
  readonly limit: number;
}

export interface IntelCollection {
  /** A UUID (TAXII requires one). */
  readonly id: string;
  /** A short unique name (`confirmed`, `partner-submissions`). */
  readonly alias: string;
  readonly title: string;
  readonly description: string;
  /** Whether ingest keys may POST envelopes to it. */
  readonly canWrite: boolean;
  readonly createdAt: string;
}

export interface IntelGrant {
  readonly collectionId: string;
  readonly partner: string;
  /** The most restricted TLP the partner may read in the collection. */
  readonly tlp: Tlp;
  readonly grantedAt: string;
  readonly grantedBy: string;
}

export interface TaxiiStatusRecord {
  readonly id: string;
  /** The key that POSTed the envelope: only it (or an admin) may read the status. */
  readonly keyId: string;
  readonly createdAt: string;
  /** The status resource as JSON text. */
  readonly body: string;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   await tx.intel.appendRecords([record]);
 *   await tx.intel.addObjects(collection.id, objects, new Date());
 * });
 * ```
 */
export interface IntelStore {
  /** Appends record versions; a version that exists already is a CONFLICT error. */
  appendRecords(records: readonly IntelRecord[]): Promise<void>;
  /** The latest version of each matching record, in key order. */
  latest(filter?: IntelRecordFilter): Promise<IntelRecord[]>;
  /** Every version of one record, oldest first. */
  history(kind: IntelKind, key: string): Promise<IntelRecord[]>;
  /** The records any version of which the case published. */
  keysOfCase(caseId: string): Promise<{ kind: IntelKind; key: string }[]>;

  /**
   * Adds object versions to a collection with strictly increasing date_added values (never before
   * `now`, always after the collection's last). A (id, version) already there is skipped (TAXII
   * keeps the first), as is an SCO identical to its latest version. Returns the objects added.
   */
  addObjects(collectionId: string, objects: readonly IntelObjectInput[], now: Date): Promise<IntelObject[]>;
  /** Object versions in (date_added, id, version) order; see IntelObjectQuery. */
  queryObjects(q: IntelObjectQuery): Promise<IntelObject[]>;
  countObjects(collectionId: string): Promise<number>;
  /**
   * A number that grows with every write to published intel (the last object sequence: every
   * publish and revoke adds objects); readers that cache intel compare it to know they are current.
   */
  revision(): Promise<number>;

  /** Creates the collection unless one with its id or alias exists; returns the stored one. */
  ensureCollection(c: IntelCollection): Promise<IntelCollection>;
  collections(): Promise<IntelCollection[]>;
  /** By id or alias. */
  collection(idOrAlias: string): Promise<IntelCollection | undefined>;
  /** Creates or replaces the partner's grant on the collection. */
  grant(g: IntelGrant): Promise<void>;
  /** False when there was no such grant. */
  ungrant(collectionId: string, partner: string): Promise<boolean>;
  grants(filter?: { partner?: string; collectionId?: string }): Promise<IntelGrant[]>;

  saveStatus(status: TaxiiStatusRecord): Promise<void>;
  status(id: string): Promise<TaxiiStatusRecord | undefined>;
}
