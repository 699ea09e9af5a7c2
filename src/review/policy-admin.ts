/**
 * Changing the policy safely: `describe` the live one, `dryRun` a candidate over what the store holds
 * now (every campaign and flagged entity, with the decisions already taken on them) beside the live
 * policy, and `apply` it — recorded in the store (so every process agrees on it) with its audit entry,
 * in one transaction.
 * @module
 */
import { PrecursorError } from '../domain/index.js';
import type { Aggregates } from '../store/store.js';
import { opensCase } from './case-open.js';
import { evaluatePolicy, loadPolicy, type Policy } from './policy.js';
import { type ReplaySummary, replayPolicy } from './policy-replay.js';
import { livePolicy } from './policy-source.js';
import type { PolicySubject } from './policy-vars.js';
import { reviewSubjects } from './review-stage.js';

export interface PolicyDescription {
  readonly name: string;
  readonly revision: string;
  readonly hash: string;
  /** `store` (applied with `policy apply`) or the file it was read from. */
  readonly source: string;
  readonly text: string;
  readonly queues: readonly string[];
  readonly rules: readonly {
    readonly id: string;
    readonly description: string | null;
    readonly when: string;
    readonly outcome: string;
    readonly priority: string | null;
    readonly queue: string | null;
    readonly target: string | null;
    readonly enabled: boolean;
  }[];
}

export interface DryRun extends ReplaySummary {
  readonly holds: number;
  readonly live: { readonly name: string; readonly revision: string; readonly hash: string };
  /** Subjects that would get a case under the candidate and not under the live policy, and the reverse. */
  readonly versusLive: {
    readonly gained: number;
    readonly lost: number;
    readonly gainedSubjects: readonly string[];
    readonly lostSubjects: readonly string[];
  };
}

const SAMPLE = 20;

/**
 * Every webhook an enabled rule names must be configured (`webhooks`): a typo would queue actions
 * nobody can deliver. CONFIG_INVALID naming the policy, the rule and the name.
 */
export function checkPolicyTargets(p: Policy, webhooks: readonly string[], source: string): void {
  for (const r of p.rules) {
    if (!r.enabled || r.target === undefined || webhooks.includes(r.target)) continue;
    throw new PrecursorError(
      'CONFIG_INVALID',
      `policy ${source}: rule "${r.id}": target '${r.target}' is not a webhook under webhooks (configured: ${webhooks.join(', ') || 'none'})`,
      { details: { file: source, rule: r.id, target: r.target } },
    );
  }
}

export function describePolicy(p: Policy, text: string, source: string): PolicyDescription {
  return {
    name: p.name,
    revision: p.revision,
    hash: p.hash,
    source,
    text,
    queues: p.queues,
    rules: p.rules.map((r) => ({
      id: r.id,
      description: r.description ?? null,
      when: r.when,
      outcome: r.outcome,
      priority: r.priority ?? null,
      queue: r.queue ?? null,
      target: r.target ?? null,
      enabled: r.enabled,
    })),
  };
}

export async function describeLivePolicy(
  store: Aggregates,
  configuredFile?: string,
): Promise<PolicyDescription> {
  const live = await livePolicy(store, configuredFile);
  return describePolicy(live.policy, live.text, live.source);
}

/** Evaluates `text` (a policy file) over the stored subjects; changes nothing. */
export async function dryRunPolicy(
  store: Aggregates,
  text: string,
  source: string,
  options: {
    configuredFile?: string | undefined;
    at?: string;
    signal?: AbortSignal;
    /** The configured webhook names: a rule naming another is CONFIG_INVALID. */
    webhooks?: readonly string[];
  } = {},
): Promise<DryRun> {
  const candidate = loadPolicy(text, source);
  if (options.webhooks) checkPolicyTargets(candidate, options.webhooks, source);
  const live = (await livePolicy(store, options.configuredFile)).policy;
  const at = options.at ?? new Date().toISOString();
  const subjects: PolicySubject[] = [];
  for await (const s of reviewSubjects(store, at, options.signal)) subjects.push(s.subject);
  const summary = replayPolicy(candidate, subjects);
  const gained: string[] = [];
  const lost: string[] = [];
  for (const s of subjects) {
    const now = opensCase(evaluatePolicy(candidate, s));
    const before = opensCase(evaluatePolicy(live, s));
    const name = s.kind === 'campaign' ? `campaign:${s.id}` : s.id;
    if (now && !before) gained.push(name);
    if (before && !now) lost.push(name);
  }
  return {
    ...summary,
    holds: summary.outcomes['hold-and-review'],
    live: { name: live.name, revision: live.revision, hash: live.hash },
    versusLive: {
      gained: gained.length,
      lost: lost.length,
      gainedSubjects: gained.slice(0, SAMPLE),
      lostSubjects: lost.slice(0, SAMPLE),
    },
  };
}

/** Makes `text` the live policy: validated, recorded and audited in one transaction. */
export async function applyPolicy(
  store: Aggregates,
  text: string,
  source: string,
  actor: string,
  options: { configuredFile?: string | undefined; at?: string; webhooks?: readonly string[] } = {},
): Promise<PolicyDescription & { audit: { seq: number | null; hash: string | null } }> {
  const p = loadPolicy(text, source);
  if (options.webhooks) checkPolicyTargets(p, options.webhooks, source);
  const at = options.at ?? new Date().toISOString();
  const before = await livePolicy(store, options.configuredFile);
  return store.transaction(async (tx) => {
    await tx.cases.recordPolicy({
      name: p.name,
      revision: p.revision,
      hash: p.hash,
      kind: 'policy',
      text,
      appliedAt: at,
      actor,
    });
    const entry = await tx.audit.append({
      at,
      actor,
      action: 'policy.apply',
      subject: `policy:${p.name}`,
      detail: {
        before: {
          name: before.policy.name,
          revision: before.policy.revision,
          hash: before.policy.hash,
          source: before.source,
        },
        name: p.name,
        revision: p.revision,
        hash: p.hash,
        source,
        rules: p.rules.map((r) => r.id),
      },
    });
    return { ...describePolicy(p, text, 'store'), audit: { seq: entry.seq, hash: entry.hash } };
  });
}
