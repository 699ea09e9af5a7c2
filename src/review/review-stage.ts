/**
 * The review stage: the live policy over the subjects worth a look — campaigns (from the correlation
 * stage) and lone flagged entities — opening one case per subject, attaching new evidence to the case
 * a subject already has (reopening a decided one), and writing the policy's actions (holds,
 * notifications) to the outbox with the case. Then it supersedes the open cases whose subject went
 * away (`case-supersede.ts`: a dissolved or merged campaign, a lone entity now in a campaign with its
 * own case). Runs after correlation; safe to re-run (a subject with nothing new leaves its case
 * untouched).
 * @module
 */
import type { Assessment, Entity, EntityKey } from '../domain/index.js';
import type { Aggregates, Store } from '../store/store.js';
import { applyEvaluation, type CaseChange, type CaseEvidence } from './case-open.js';
import { supersedeGoneSubjects } from './case-supersede.js';
import { evaluatePolicy } from './policy.js';
import { livePolicy } from './policy-source.js';
import type { PolicySubject } from './policy-vars.js';
import { loneSubjectKey } from './lone-unit.js';
import { campaignSubject, domainGroupSubject, entitySubject } from './subjects.js';

export interface ReviewStageOptions {
  readonly policyFile?: string | undefined;
  /** Webhook for a hold or block whose rule names no target. */
  readonly provider?: string | undefined;
  /** The evaluation's time (default: now). */
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  /** Subjects that are campaign members are judged with their campaign, not alone. */
  readonly campaignSubjects?: (
    store: Store,
    at: string,
  ) => AsyncIterable<{ subject: PolicySubject; evidence: CaseEvidence; memberKeys: readonly string[] }>;
}

export interface ReviewStageReport {
  readonly policy: { readonly name: string; readonly revision: string; readonly hash: string };
  readonly subjects: number;
  readonly opened: number;
  readonly attached: number;
  readonly reopened: number;
  /** Open cases closed because their subject went away (docs/policy.md, superseded cases). */
  readonly superseded: number;
  readonly holds: number;
  readonly actions: number;
  readonly ruleFailures: number;
}

const PAGE = 1000;

export async function runReviewStage(
  store: Store,
  options: ReviewStageOptions = {},
): Promise<ReviewStageReport> {
  const { policy } = await livePolicy(store, options.policyFile);
  const at = (options.now?.() ?? new Date()).toISOString();
  const counts = { subjects: 0, opened: 0, attached: 0, reopened: 0, holds: 0, actions: 0, ruleFailures: 0 };
  const tally = (change: CaseChange, outcome: string, actions: number) => {
    if (change === 'opened') counts.opened++;
    if (change === 'attached') counts.attached++;
    if (change === 'reopened') counts.reopened++;
    if (
      (change === 'opened' || change === 'attached' || change === 'reopened') &&
      outcome === 'hold-and-review'
    )
      counts.holds++;
    counts.actions += actions;
  };
  const judged = new Set<string>();
  const judge = async (subject: PolicySubject, evidence: CaseEvidence) => {
    judged.add(evidence.subject);
    const e = evaluatePolicy(policy, subject);
    counts.subjects++;
    counts.ruleFailures += e.failures;
    const target = withDefaultTarget(e, options.provider);
    const r = await store.transaction((tx) => applyEvaluation(tx, policy, target, evidence, at));
    tally(r.change, e.outcome, r.actions);
  };

  for await (const { subject, evidence } of reviewSubjects(store, at, options.signal))
    await judge(subject, evidence);
  const gone = await supersedeGoneSubjects(store, judged, policy.sla, at, options.signal);
  return {
    policy: { name: policy.name, revision: policy.revision, hash: policy.hash },
    ...counts,
    superseded: gone.superseded,
  };
}

/** A hold or block whose rule names no webhook goes to the configured provider. */
function withDefaultTarget<E extends ReturnType<typeof evaluatePolicy>>(
  e: E,
  provider: string | undefined,
): E {
  if (provider === undefined || e.target !== undefined) return e;
  if (e.outcome !== 'hold-and-review' && e.outcome !== 'block') return e;
  return { ...e, target: provider };
}

/**
 * Every subject worth the policy's look, with the evidence its case would show: active campaigns
 * first, then flagged entities that are not a campaign's members.
 */
export async function* reviewSubjects(
  store: Aggregates,
  at: string,
  signal?: AbortSignal,
): AsyncGenerator<{ subject: PolicySubject; evidence: CaseEvidence }> {
  const inCampaign = new Set<string>();
  for (let after: string | undefined; ; ) {
    signal?.throwIfAborted();
    const page = await store.campaigns.list({ state: 'active', limit: PAGE, ...(after ? { after } : {}) });
    for (const summary of page) {
      const c = await store.campaigns.get(summary.id);
      if (c === undefined) continue;
      const existing = await store.cases.bySubject(`campaign:${c.id}`);
      const s = await campaignSubject(store, c, existing, at);
      for (const k of s.memberKeys) inCampaign.add(k);
      yield s;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  // Lone domains are judged by their unit (the registrable domain, or a platform tenant's name): one
  // case for `x.lat` and `www.x.lat`. Other lone entities are judged alone.
  const units = new Map<EntityKey, { entity: Entity; assessment: Assessment | undefined }[]>();
  for (let after: string | undefined; ; ) {
    signal?.throwIfAborted();
    const page = await store.entities.list({ flagged: true, limit: PAGE, ...(after ? { after } : {}) });
    for (const v of page) {
      if (inCampaign.has(v.entity.key)) continue;
      const unit = loneSubjectKey(v.entity.key);
      if (v.entity.type === 'domain') {
        const list = units.get(unit) ?? [];
        list.push({ entity: v.entity, assessment: v.assessment });
        units.set(unit, list);
        continue;
      }
      const existing = await store.cases.bySubject(v.entity.key);
      yield await entitySubject(store, v.entity, v.assessment, existing, at);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.entity.key;
  }
  for (const [unit, items] of units) {
    signal?.throwIfAborted();
    const existing = await store.cases.bySubject(unit);
    yield await domainGroupSubject(store, unit, items, existing, at);
  }
}
