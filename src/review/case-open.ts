/**
 * Opening a case, or attaching new evidence to the one a subject already has: one case per subject
 * for ever (a decided case reopens on new evidence instead of a second one being opened). Writes the
 * case, its history event and the policy's actions (a hold for the provider, notifications) in the
 * caller's transaction.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Aggregates, CaseMember, CaseRule, OutboxRow, StoredCase } from '../store/store.js';
import { actionsFor } from './actions.js';
import { applyCaseEvent, openCase } from './case-machine.js';
import { priorityNumber, toRecord, withRecord } from './case-views.js';
import type { Policy, PolicyEvaluation } from './policy.js';
import { ladderRank, type LadderOutcome } from './policy-schema.js';

export interface CaseEvidence {
  /** `campaign:C-…` or an entity key. */
  readonly subject: string;
  readonly campaignId: string | null;
  readonly score: number;
  readonly summary: string;
  readonly members: readonly CaseMember[];
  readonly links: readonly unknown[];
  readonly snapshots: readonly unknown[];
}

export type CaseChange = 'opened' | 'attached' | 'reopened' | 'unchanged' | 'none';

/** `K-` and 10 hex digits of the subject's hash: stable, so a replay finds the same case. */
export function caseIdFor(subject: string): string {
  return `K-${createHash('sha256').update(subject).digest('hex').slice(0, 10)}`;
}

const CASE_OUTCOMES: ReadonlySet<LadderOutcome> = new Set(['open-case', 'hold-and-review', 'block']);

export function opensCase(e: PolicyEvaluation): boolean {
  return !e.suppressed && CASE_OUTCOMES.has(e.outcome) && e.priority !== undefined && e.queue !== undefined;
}

function rulesOf(e: PolicyEvaluation): CaseRule[] {
  return e.trace.map((t) => ({
    id: t.rule,
    matched: t.matched,
    outcome: t.outcome,
    trace: {
      enabled: t.enabled,
      values: t.values,
      ...(t.error === undefined ? {} : { error: t.error }),
      ...(e.decidedBy === t.rule ? { decisive: true } : {}),
    },
  }));
}

/** What the analyst has not seen yet: members new to the case, or members whose signals changed. */
function newEvidence(before: readonly CaseMember[], after: readonly CaseMember[]): string[] {
  const known = new Map(before.map((m) => [m.key, m]));
  const changed: string[] = [];
  for (const m of after) {
    const k = known.get(m.key);
    if (k === undefined) changed.push(m.key);
    else {
      const had = new Set(k.signals.map((s) => s.id));
      if (m.signals.some((s) => !had.has(s.id))) changed.push(m.key);
    }
  }
  return changed;
}

function actionRows(e: PolicyEvaluation, c: StoredCase, at: string): OutboxRow[] {
  const accounts = c.detail.members.filter((m) => m.type === 'account').map((m) => m.key);
  return actionsFor(e, {
    at,
    caseId: c.id,
    details: { accounts, entities: c.detail.members.map((m) => m.key), summary: c.summary },
  }).map((a) => ({
    id: a.id,
    kind: a.kind,
    target: a.target,
    caseId: c.id,
    createdAt: a.createdAt,
    payload: a.payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: a.createdAt,
    deliveredAt: null,
    lastError: null,
  }));
}

/**
 * Applies one policy evaluation of a subject to its case. A subject the policy does not send to a
 * human is left alone (an open case is never closed here: only a person decides, or the review stage
 * supersedes it when its subject goes away — case-supersede.ts).
 */
export async function applyEvaluation(
  tx: Aggregates,
  policy: Policy,
  e: PolicyEvaluation,
  ev: CaseEvidence,
  at: string,
): Promise<{ change: CaseChange; case?: StoredCase; actions: number }> {
  const existing = await tx.cases.bySubject(ev.subject);
  if (!opensCase(e)) return { change: existing ? 'unchanged' : 'none', actions: 0 };
  const detail = {
    members: ev.members,
    rules: rulesOf(e),
    evidence: { links: ev.links, snapshots: ev.snapshots },
    policy: e.policy,
  };
  if (existing === undefined) {
    const id = caseIdFor(ev.subject);
    const kind = ev.subject.startsWith('campaign:') ? 'campaign' : 'entity';
    const r = openCase(
      {
        id,
        subject: { kind, id: kind === 'campaign' ? ev.subject.slice('campaign:'.length) : ev.subject },
        priority: e.priority!,
        queue: e.queue!,
        at,
      },
      policy.sla,
    );
    const c: StoredCase = {
      id,
      subject: ev.subject,
      campaignId: ev.campaignId,
      state: 'open',
      outcome: e.outcome,
      priority: priorityNumber(r.priority),
      queue: r.queue,
      score: ev.score,
      openedAt: at,
      updatedAt: at,
      respondBy: r.respondBy,
      resolveBy: r.resolveBy,
      respondedAt: null,
      resolvedAt: null,
      assignee: null,
      summary: ev.summary,
      memberCount: ev.members.length,
      reopened: 0,
      version: r.version,
      decision: null,
      supersededBy: null,
      detail,
    };
    await tx.cases.insert(c);
    await tx.cases.appendEvent({
      caseId: id,
      at,
      actor: 'system',
      kind: 'open',
      from: null,
      to: 'open',
      note: null,
      detail: { rule: e.decidedBy ?? null, outcome: e.outcome, members: ev.members.length },
    });
    const actions = actionRows(e, c, at);
    await tx.outbox.enqueue(actions);
    return { change: 'opened', case: c, actions: actions.length };
  }
  const added = newEvidence(existing.detail.members, ev.members);
  // A superseded case whose subject is judged again (a lone entity back on its own) is back, even with
  // nothing new: its successor no longer holds it.
  if (added.length === 0 && existing.state !== 'superseded')
    return { change: 'unchanged', case: existing, actions: 0 };
  const t = applyCaseEvent(toRecord(existing), { type: 'evidence', at, priority: e.priority! }, policy.sla);
  const stronger = ladderRank(e.outcome) > ladderRank(existing.outcome as LadderOutcome);
  const next: StoredCase = {
    ...withRecord(existing, t.after),
    outcome: stronger ? e.outcome : existing.outcome,
    score: ev.score,
    summary: ev.summary,
    memberCount: ev.members.length,
    detail,
  };
  if (!(await tx.cases.update(next, existing.version)))
    return { change: 'unchanged', case: existing, actions: 0 }; // someone acted meanwhile: the next pass retries
  await tx.cases.appendEvent({
    caseId: existing.id,
    at,
    actor: 'system',
    kind: t.reopened ? 'reopen' : 'evidence',
    from: t.from,
    to: t.to,
    note: null,
    detail: { added: added.slice(0, 100), addedCount: added.length, rule: e.decidedBy ?? null },
  });
  const actions = actionRows(e, next, at);
  const n = await tx.outbox.enqueue(actions);
  return { change: t.reopened ? 'reopened' : 'attached', case: next, actions: n };
}
