/**
 * Table shapes of migration 0009 (sharing), kept beside `schema.ts` so that the aggregate's tables
 * read as one unit.
 * @module
 */
import type { Generated } from 'kysely';

export interface IntelCollectionsTable {
  id: string;
  alias: string;
  title: string;
  description: string;
  can_write: number;
  created_at: string;
}

export interface IntelGrantsTable {
  collection_id: string;
  partner: string;
  tlp: string;
  granted_at: string;
  granted_by: string;
}

export interface IntelRecordsTable {
  kind: string;
  key: string;
  version: number;
  created: string;
  modified: string;
  tlp: string;
  revoked: number;
  valid_until: string | null;
  case_id: string | null;
  published_at: string;
  actor: string;
  body: string;
}

export interface IntelObjectsTable {
  seq: Generated<number>;
  collection_id: string;
  stix_id: string;
  type: string;
  version: string;
  spec_version: string;
  date_added: string;
  tlp_rank: number;
  media_type: string;
  body: string;
}

/** Migration 0014: `version` of the object is older than `by_version` (see 0014-taxii-superseded.ts). */
export interface IntelSupersededTable {
  collection_id: string;
  stix_id: string;
  version: string;
  by_version: string;
  by_rank: number;
  by_spec_version: string;
}

export interface TaxiiStatusTable {
  id: string;
  key_id: string;
  created_at: string;
  body: string;
}

export interface SharingTables {
  intel_collections: IntelCollectionsTable;
  intel_grants: IntelGrantsTable;
  intel_records: IntelRecordsTable;
  intel_objects: IntelObjectsTable;
  intel_superseded: IntelSupersededTable;
  taxii_status: TaxiiStatusTable;
}
