// JSON shapes of the API the dashboard reads (docs/api.md and the session contracts). The dashboard
// talks only to the API; these types are its half of that contract.

import type { ServerClock } from './clock.js';

export type Role = 'admin' | 'analyst' | 'reader' | 'ingest';

export interface Me {
  id: string;
  label: string;
  role: Role;
  /** Absent on servers older than the data clock. */
  clock?: ServerClock;
}

export interface Contribution {
  id: string;
  weight: number;
  points: number;
  detail: string;
}
export interface Assessment {
  entity?: string;
  score: number;
  flagged: boolean;
  verdict: string;
  contributions: Contribution[];
  assessedAt: string;
}
export interface Entity {
  key: string;
  type: string;
  display: string;
  firstSeen: string;
  lastSeen: string;
  attrs: Record<string, unknown>;
}
export interface EntityRow {
  entity: Entity;
  assessment?: Assessment | null;
}
export interface Link {
  from: string;
  to: string;
  pivot: string;
  strength: number;
  firstSeen?: string;
  lastSeen?: string;
  provenance?: string[];
}
export interface EntityDetail {
  entity: Entity;
  assessment: Assessment | null;
  history: Assessment[];
  links: Link[];
}
export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Strength = 'strong' | 'medium' | 'weak';
export interface CampaignItem {
  id: string;
  name: string;
  state: 'active' | 'dissolved';
  risk: number;
  flagged: boolean;
  firstSeen: string;
  lastSeen: string;
  updatedAt: string;
  memberCount: number;
  counts: Record<string, number>;
  topPivots: { key: string; kind: string; strength: Strength; members: number }[];
  leadTimeHours: number | null;
  explanation: string;
}
export interface CampaignMember {
  key: string;
  type: string;
  display: string;
  score: number;
  flagged: boolean;
}
export interface CampaignPivot {
  key: string;
  kind: string;
  strength: Strength;
  weight: number;
  /** How many members share it. */
  members: number;
}
export interface CampaignGraphEdge {
  from: string;
  to: string;
  pivot: string;
  strength: Strength;
  weight: number;
}
/** `GET /v1/campaigns/{id}/graph`. */
export interface CampaignGraphData {
  id: string;
  nodes: CampaignMember[];
  edges: CampaignGraphEdge[];
  truncated: boolean;
}
export interface CampaignDetail extends CampaignItem {
  members: CampaignMember[];
  pivots: CampaignPivot[];
  timeline: { at: string; kind: string; detail: string }[];
  growth: { day: string; members: number }[];
  leadTime: { firstFlaggedAt: string | null; goLiveAt: string | null; hours: number | null } | null;
}

export type CaseOutcome = 'open-case' | 'hold-and-review' | 'block';
export interface CaseItem {
  id: string;
  subject: string;
  campaignId: string | null;
  state: string;
  outcome: CaseOutcome;
  priority: number;
  queue: string;
  score: number;
  openedAt: string;
  updatedAt: string;
  dueAt: string | null;
  assignee: string | null;
  summary: string;
  memberCount: number;
  /** A superseded case's successor (absent from servers before superseded cases existed). */
  supersededBy?: string | null;
}
export interface Signal {
  id: string;
  weight: number;
  detail: string;
}
export interface CaseMember extends CampaignMember {
  signals: Signal[];
}
export interface CaseDetail extends CaseItem {
  members: CaseMember[];
  rules: { id: string; matched: boolean; outcome: string; trace: unknown }[];
  evidence: { links: unknown[]; snapshots: unknown[] };
  history: {
    at: string;
    actor: string;
    kind: string;
    from: string | null;
    to: string | null;
    note: string | null;
  }[];
  decision: { as: string; note: string; actor: string; at: string; tlp?: string } | null;
  /** The cases this one took over. */
  supersedes?: string[];
}
export type DecisionAs = 'malicious' | 'benign' | 'escalated';
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];
