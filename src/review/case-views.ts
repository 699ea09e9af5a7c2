/**
 * The case read models of docs/api.md and `precursor cases|case --json` (shapes shared with the
 * dashboard), and the conversion between a stored case and the state machine's record.
 * @module
 */
import type { CaseState, Decision, Tlp } from '../domain/index.js';
import type { CaseEventRecord, CaseMember, CaseRule, OutboxRow, StoredCase } from '../store/store.js';
import type { CaseRecord } from './case-machine.js';
import { PRIORITIES, type Priority } from './policy-schema.js';

/** `critical` → 1 … `low` → 4 (the API's priority). */
export const priorityNumber = (p: Priority): number => PRIORITIES.indexOf(p) + 1;
export const priorityName = (n: number): Priority => PRIORITIES[Math.min(3, Math.max(0, n - 1))] as Priority;

export interface CaseListItem {
  readonly id: string;
  readonly subject: string;
  readonly campaignId: string | null;
  readonly state: CaseState;
  readonly outcome: string;
  readonly priority: number;
  readonly queue: string;
  readonly score: number;
  readonly openedAt: string;
  readonly updatedAt: string;
  /** The next deadline: first response while open, resolution after (docs/policy.md, SLA). */
  readonly dueAt: string;
  readonly assignee: string | null;
  readonly summary: string;
  readonly memberCount: number;
  /** A superseded case: the case that now holds its subject's evidence (null otherwise, or when none does). */
  readonly supersededBy: string | null;
}

export interface CaseHistoryItem {
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly from: CaseState | null;
  readonly to: CaseState | null;
  readonly note: string | null;
}

export interface CaseDetailView extends CaseListItem {
  readonly members: readonly CaseMember[];
  readonly rules: readonly CaseRule[];
  readonly evidence: { readonly links: readonly unknown[]; readonly snapshots: readonly unknown[] };
  readonly history: readonly CaseHistoryItem[];
  readonly decision: {
    readonly as: Decision;
    readonly note: string;
    readonly actor: string;
    readonly at: string;
    readonly tlp: Tlp;
  } | null;
  /** Beyond the shared shape: deadlines, the policy that opened the case, its actions. */
  readonly sla: {
    readonly respondBy: string;
    readonly resolveBy: string;
    readonly respondedAt: string | null;
    readonly resolvedAt: string | null;
  };
  readonly policy: { readonly name: string; readonly revision: string; readonly hash: string };
  readonly reopened: number;
  /** The cases this one superseded (took over), oldest first; each stays readable with its history. */
  readonly supersedes: readonly string[];
  readonly actions: readonly {
    readonly id: string;
    readonly kind: string;
    readonly target: string;
    readonly status: string;
    readonly attempts: number;
    readonly createdAt: string;
    readonly deliveredAt: string | null;
  }[];
}

export function caseListItem(c: StoredCase): CaseListItem {
  return {
    id: c.id,
    subject: c.subject,
    campaignId: c.campaignId,
    state: c.state,
    outcome: c.outcome,
    priority: c.priority,
    queue: c.queue,
    score: c.score,
    openedAt: c.openedAt,
    updatedAt: c.updatedAt,
    dueAt: c.state === 'open' ? c.respondBy : c.resolveBy,
    assignee: c.assignee,
    summary: c.summary,
    memberCount: c.memberCount,
    supersededBy: c.supersededBy,
  };
}

export function caseDetail(
  c: StoredCase,
  history: readonly CaseEventRecord[],
  actions: readonly OutboxRow[],
  supersedes: readonly string[] = [],
): CaseDetailView {
  return {
    ...caseListItem(c),
    members: c.detail.members,
    rules: c.detail.rules,
    evidence: c.detail.evidence,
    history: history.map((e) => ({
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      from: e.from,
      to: e.to,
      note: e.note,
    })),
    decision: c.decision,
    sla: {
      respondBy: c.respondBy,
      resolveBy: c.resolveBy,
      respondedAt: c.respondedAt,
      resolvedAt: c.resolvedAt,
    },
    policy: c.detail.policy,
    reopened: c.reopened,
    supersedes,
    actions: actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      target: a.target,
      status: a.status,
      attempts: a.attempts,
      createdAt: a.createdAt,
      deliveredAt: a.deliveredAt,
    })),
  };
}

/** The state machine's view of a stored case. */
export function toRecord(c: StoredCase): CaseRecord {
  const kind = c.subject.startsWith('campaign:') ? 'campaign' : 'entity';
  return {
    id: c.id,
    subject: { kind, id: kind === 'campaign' ? c.subject.slice('campaign:'.length) : c.subject },
    state: c.state,
    priority: priorityName(c.priority),
    queue: c.queue,
    ...(c.assignee === null ? {} : { assignee: c.assignee }),
    openedAt: c.openedAt,
    updatedAt: c.updatedAt,
    respondBy: c.respondBy,
    resolveBy: c.resolveBy,
    ...(c.respondedAt === null ? {} : { respondedAt: c.respondedAt }),
    ...(c.resolvedAt === null ? {} : { resolvedAt: c.resolvedAt }),
    ...(c.decision === null
      ? {}
      : {
          decision: { as: c.decision.as, actor: c.decision.actor, at: c.decision.at, note: c.decision.note },
        }),
    ...(c.supersededBy === null ? {} : { supersededBy: c.supersededBy }),
    reopened: c.reopened,
    version: c.version,
  };
}

/** A stored case with the machine's new record applied (the rest — evidence, rules — unchanged). */
export function withRecord(c: StoredCase, r: CaseRecord, tlp?: Tlp): StoredCase {
  return {
    ...c,
    state: r.state,
    priority: priorityNumber(r.priority),
    queue: r.queue,
    assignee: r.assignee ?? null,
    updatedAt: r.updatedAt,
    respondBy: r.respondBy,
    resolveBy: r.resolveBy,
    respondedAt: r.respondedAt ?? null,
    resolvedAt: r.resolvedAt ?? null,
    decision: r.decision === undefined ? null : { ...r.decision, tlp: tlp ?? c.decision?.tlp ?? 'amber' },
    supersededBy: r.supersededBy ?? null,
    reopened: r.reopened,
    version: r.version,
  };
}
