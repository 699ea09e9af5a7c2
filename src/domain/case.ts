/**
 * Campaigns, cases and the audit trail. Decisions are append-only; a case's state is the fold of its
 * events.
 * @module
 */
import type { EntityKey } from './entity.js';

export interface Campaign {
  readonly id: string;
  readonly label: string;
  readonly members: readonly EntityKey[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly risk: number;
  readonly explanation: string;
}

/**
 * A case's states; the transitions between them are the review stage's (src/review/case-machine.ts).
 * `superseded`: the review stage closed the case because its subject went away (a campaign a recluster
 * dissolved or merged, a lone entity that joined a campaign with its own case); terminal unless reopened.
 */
export const CASE_STATES = [
  'open',
  'in-review',
  'confirmed-malicious',
  'benign',
  'escalated',
  'superseded',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** What an analyst can decide about a case. */
export const DECISIONS = ['malicious', 'benign', 'escalated'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Case {
  readonly id: string;
  /** The campaign or the lone entity the case is about. */
  readonly subject: string;
  readonly state: CaseState;
  readonly score: number;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly summary: string;
}

export interface AuditEvent {
  readonly id: number;
  readonly at: string;
  /** Who acted: `key:<id>`, `cli:<user>`, `system`. */
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: Readonly<Record<string, unknown>>;
}
