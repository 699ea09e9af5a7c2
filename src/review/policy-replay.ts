/**
 * The dry run of a policy (pure): evaluate it over stored subjects and summarise what it would have done —
 * cases by queue and priority, holds, blocks, notifications, each rule's hits, failures and decisive hits,
 * and the past human decisions it contradicts — before `policy apply` makes it live.
 * @module
 */
import { evaluatePolicy, type Policy, type PolicyEvaluation } from './policy.js';
import type { LadderOutcome } from './policy-schema.js';
import type { PolicySubject } from './policy-vars.js';

export interface Contradiction {
  readonly subject: string;
  /** The last human decision on the subject. */
  readonly decided: 'malicious' | 'benign';
  readonly outcome: LadderOutcome;
  readonly rule?: string;
}

export interface RuleStats {
  readonly hits: number;
  /** Times this rule set the outcome. */
  readonly decisive: number;
  readonly failures: number;
}

export interface ReplaySummary {
  readonly policy: PolicyEvaluation['policy'];
  readonly subjects: number;
  readonly outcomes: Record<LadderOutcome | 'suppressed', number>;
  /** Cases the policy would open (open-case, hold-and-review, block), by queue then priority. */
  readonly cases: Record<string, Record<string, number>>;
  readonly notifications: number;
  readonly rules: Record<string, RuleStats>;
  readonly contradictions: readonly Contradiction[];
}

const CASE: ReadonlySet<LadderOutcome> = new Set(['open-case', 'hold-and-review', 'block']);

export function replayPolicy(policy: Policy, subjects: Iterable<PolicySubject>): ReplaySummary {
  const outcomes = { allow: 0, 'open-case': 0, 'hold-and-review': 0, block: 0, suppressed: 0 };
  const cases: Record<string, Record<string, number>> = {};
  const rules: Record<string, { hits: number; decisive: number; failures: number }> = {};
  for (const r of policy.rules) rules[r.id] = { hits: 0, decisive: 0, failures: 0 };
  const contradictions: Contradiction[] = [];
  let notifications = 0;
  let n = 0;
  for (const s of subjects) {
    n++;
    const e = evaluatePolicy(policy, s);
    for (const t of e.trace) {
      const st = rules[t.rule]!;
      if (t.matched) st.hits++;
      if (t.error) st.failures++;
    }
    if (e.decidedBy !== undefined) rules[e.decidedBy]!.decisive++;
    notifications += e.notify.length;
    if (e.suppressed) outcomes.suppressed++;
    else outcomes[e.outcome]++;
    if (!e.suppressed && CASE.has(e.outcome) && e.queue !== undefined && e.priority !== undefined) {
      const q = cases[e.queue] ?? {};
      q[e.priority] = (q[e.priority] ?? 0) + 1;
      cases[e.queue] = q;
    }
    const last = s.previous?.last;
    const actsOn = !e.suppressed && CASE.has(e.outcome);
    if ((last === 'benign' && actsOn) || (last === 'malicious' && !actsOn)) {
      contradictions.push({
        subject: s.id,
        decided: last,
        outcome: e.outcome,
        ...(e.decidedBy === undefined ? {} : { rule: e.decidedBy }),
      });
    }
  }
  return {
    policy: { name: policy.name, revision: policy.revision, hash: policy.hash },
    subjects: n,
    outcomes,
    cases,
    notifications,
    rules,
    contradictions,
  };
}
