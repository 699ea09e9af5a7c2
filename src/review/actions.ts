/**
 * From a policy evaluation to outbox actions (pure). An action's id is derived from what it asks — kind,
 * target, subject, case, payload and the policy that decided — so evaluating the same subject again
 * yields the same id and the outbox (insert-or-ignore on id) keeps one row; a changed request (more
 * accounts to hold) is a new action. Receivers dedupe on the same id.
 * @module
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Anchor } from './audit-chain.js';
import type { ActionKind, OutboxAction } from './outbox.js';
import type { PolicyEvaluation } from './policy.js';

export function actionId(
  kind: ActionKind,
  target: string,
  subject: string,
  payload: Readonly<Record<string, unknown>>,
): string {
  const text = canonicalize({ kind, target, subject, payload }) ?? '';
  return `act_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** The actions an evaluation asks for: the hold or block of its deciding rule, and its notifications. */
export function actionsFor(
  e: PolicyEvaluation,
  context: {
    readonly at: string;
    readonly caseId?: string;
    readonly details?: Readonly<Record<string, unknown>>;
  },
): OutboxAction[] {
  if (e.suppressed) return [];
  const base = {
    subject: `${e.subject.kind} ${e.subject.id}`,
    subjectId: e.subject.id,
    ...(context.caseId === undefined ? {} : { caseId: context.caseId }),
    policy: e.policy,
    ...context.details,
  };
  const out: OutboxAction[] = [];
  const add = (kind: ActionKind, target: string, rule: string) => {
    const payload = { ...base, rule, reason: `policy ${e.policy.name} rule ${rule}` };
    out.push({
      id: actionId(kind, target, e.subject.id, payload),
      kind,
      target,
      createdAt: context.at,
      payload,
    });
  };
  if ((e.outcome === 'hold-and-review' || e.outcome === 'block') && e.target !== undefined && e.decidedBy)
    add(e.outcome, e.target, e.decidedBy);
  for (const n of e.notify) add('notify', n.target, n.rule);
  return out;
}

/** An audit anchor sent to a webhook (besides, or instead of, the anchor file). */
export function anchorAction(anchor: Anchor, target: string, at: string): OutboxAction {
  const payload = { count: anchor.count, head: anchor.head };
  return {
    id: actionId('audit.anchor', target, 'audit', payload),
    kind: 'audit.anchor',
    target,
    createdAt: at,
    payload,
  };
}
