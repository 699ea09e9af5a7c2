/**
 * Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC text (sortable, identical in both
 * dialects), JSON is text, booleans are 0/1: the lowest common denominator keeps one query layer.
 * @module
 */
import type { Generated } from 'kysely';
import type { SharingTables } from './sharing-schema.js';

export interface ObservationsTable {
  seq: Generated<number>;
  /** `sources.id`: the name lives once in `sources` (see migration 0004). */
  source_id: number;
  kind: string;
  dedupe_key: string;
  observed_at: string;
  /** Epoch milliseconds (PostgreSQL returns bigint as a string). */
  ingested_ms: number | string;
  payload: string;
}

export interface SourcesTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface DeadLettersTable {
  id: Generated<number>;
  source: string;
  position: string;
  raw: string;
  code: string;
  reason: string;
  path: string | null;
  created_at: string;
  /** Digest of `raw` (migration 0006): one row per distinct record at a position. */
  digest: string;
}

export interface CheckpointsTable {
  source: string;
  cursor: string;
  updated_at: string;
}

export interface StageCursorsTable {
  stage: string;
  position: number;
  updated_at: string;
}

export interface StageStateTable {
  stage: string;
  position: number;
  state: string;
  updated_at: string;
}

export interface EntitiesTable {
  key: string;
  type: string;
  display: string;
  first_seen: string;
  last_seen: string;
  attrs: string;
}

export interface LinksTable {
  from_key: string;
  to_key: string;
  pivot: string;
  strength: number;
  first_seen: string;
  last_seen: string;
  provenance: string;
}

export interface SignalsTable {
  entity_key: string;
  signal_id: string;
  detector: string;
  weight: number;
  detail: string;
  evidence: string;
  observed_at: string;
}

export interface AssessmentsTable {
  entity_key: string;
  score: number;
  flagged: number;
  verdict: string;
  contributions: string;
  assessed_at: string;
  version: number;
}

export interface AssessmentHistoryTable {
  id: Generated<number>;
  entity_key: string;
  score: number;
  flagged: number;
  verdict: string;
  contributions: string;
  assessed_at: string;
}

export interface ApiKeysTable {
  id: string;
  label: string;
  role: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Migration 0009: the partner a key reads for (TAXII collection grants); null for own staff. */
  partner: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  /** The hash chain (migration 0008): position from 1, previous entry's hash, this entry's hash. */
  seq: number | string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface CasesTable {
  id: string;
  subject: string;
  campaign_id: string | null;
  state: string;
  outcome: string;
  /** 1 (critical) … 4 (low). */
  priority: number;
  queue: string;
  score: number;
  opened_at: string;
  updated_at: string;
  respond_by: string;
  resolve_by: string;
  responded_at: string | null;
  resolved_at: string | null;
  assignee: string | null;
  summary: string;
  member_count: number;
  reopened: number;
  version: number;
  decision: string | null;
  detail: string;
  policy_hash: string;
  /** 0015: a superseded case's successor. */
  superseded_by: string | null;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: string;
  at: string;
  actor: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  detail: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  target: string;
  case_id: string | null;
  created_at: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
}

export interface SuppressionsTable {
  key: string;
  kind: string;
  case_id: string;
  at: string;
  actor: string;
  factor: number;
  reason: string;
  lifted_at: string | null;
}

export interface PolicyVersionsTable {
  id: Generated<number>;
  name: string;
  revision: string;
  hash: string;
  kind: string;
  text: string;
  applied_at: string;
  actor: string;
}

export interface WorkItemsTable {
  queue: string;
  key: string;
  payload: string;
  state: string;
  attempts: number;
  available_at: string;
  lease_until: string | null;
  last_error: string | null;
  enqueued_at: string;
  updated_at: string;
}

export interface CampaignsTable {
  id: string;
  name: string;
  state: string;
  risk: number;
  flagged: number;
  first_seen: string;
  last_seen: string;
  updated_at: string;
  member_count: number;
  /** JSON: {<entity type>: n}. */
  counts: string;
  /** JSON: the strongest pivots (list read model). */
  top_pivots: string;
  /** JSON: every pivot of the campaign (detail). */
  pivots: string;
  /** JSON: [{day, members}]. */
  growth: string;
  /** JSON: {firstFlaggedAt, goLiveAt, hours}, or null. */
  lead_time: string | null;
  lead_time_hours: number | null;
  explanation: string;
}

export interface CampaignMembersTable {
  campaign_id: string;
  entity_key: string;
  type: string;
  display: string;
  score: number;
  flagged: number;
}

export interface CampaignEventsTable {
  id: Generated<number>;
  campaign_id: string;
  at: string;
  kind: string;
  detail: string;
}

export interface Database extends SharingTables {
  observations: ObservationsTable;
  sources: SourcesTable;
  dead_letters: DeadLettersTable;
  checkpoints: CheckpointsTable;
  stage_cursors: StageCursorsTable;
  stage_state: StageStateTable;
  work_items: WorkItemsTable;
  entities: EntitiesTable;
  links: LinksTable;
  signals: SignalsTable;
  assessments: AssessmentsTable;
  assessment_history: AssessmentHistoryTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  campaigns: CampaignsTable;
  campaign_members: CampaignMembersTable;
  campaign_events: CampaignEventsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  outbox: OutboxTable;
  suppressions: SuppressionsTable;
  policy_versions: PolicyVersionsTable;
}
