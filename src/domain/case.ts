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

export const CASE_STATES = ['open', 'confirmed', 'dismissed', 'escalated'] as const;
export type CaseState = (typeof CASE_STATES)[number];

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
