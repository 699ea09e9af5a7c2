/**
 * Scores the tenant detectors against a simulation's ground truth: precision and recall of account
 * flags, and for each operator how many hours before its first phishing deployment its first account
 * was flagged. Runs the same `TenantState` and scoring as the stage, in memory, in arrival order, with
 * the store's idempotency (an event id seen twice counts once) and its edge validation.
 * @module
 */
import type { PivotModel } from '../correlate/pivots.js';
import { aggregate } from '../detect/score.js';
import { DEFAULT_TENANT_CONFIG, type TenantConfig } from '../detect/tenant/tenant-config.js';
import { type DomainScorer, TenantState } from '../detect/tenant/tenant-state.js';
import { type EntityKey, tenantDedupeKey } from '../domain/index.js';
import { parseTenantEvent } from '../ingest/sources/tenant/tenant-schema.js';

/**
 * The part of a simulation's ground truth this evaluation reads (the simulator lives in `src/simulate/`;
 * any truth of this shape will do).
 */
export interface TenantTruth {
  readonly operators: readonly {
    readonly id: string;
    readonly style: string;
    readonly accounts: readonly string[];
    /** ISO time of the operator's first phishing deployment. */
    readonly firstDeploymentAt: string;
  }[];
}

export interface OperatorResult {
  readonly id: string;
  readonly style: string;
  readonly accounts: number;
  readonly flaggedAccounts: number;
  /** Operator accounts flagged before the operator's first deployment. */
  readonly flaggedBeforeLaunch: number;
  /** Hours between the first flag on any of its accounts and its first deployment (negative: after). */
  readonly leadHours: number | null;
}

export interface TenantEvaluation {
  readonly events: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly accounts: number;
  readonly flagged: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly operators: readonly OperatorResult[];
  /** Honest accounts flagged, by persona. */
  readonly falsePositivesByPersona: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export function evaluateTenantSimulation(
  events: readonly unknown[],
  truth: TenantTruth,
  options: {
    config?: TenantConfig;
    scoreDomain?: DomainScorer;
    pivots?: PivotModel;
    personaOf?: ReadonlyMap<string, string>;
  } = {},
): TenantEvaluation {
  const started = performance.now();
  const config = options.config ?? DEFAULT_TENANT_CONFIG;
  const state = new TenantState({
    config,
    ...(options.scoreDomain ? { scoreDomain: options.scoreDomain } : {}),
    ...(options.pivots ? { pivots: options.pivots } : {}),
  });
  const seen = new Set<string>();
  const accounts = new Set<string>();
  const firstFlag = new Map<EntityKey, number>();
  let rejected = 0;
  let duplicates = 0;
  let watermark = 0;
  for (const raw of events) {
    const r = parseTenantEvent(raw);
    if (!r.ok) {
      rejected += 1;
      continue;
    }
    const key = tenantDedupeKey(r.event);
    if (seen.has(key)) {
      duplicates += 1;
      continue;
    }
    seen.add(key);
    accounts.add(`account:${r.event.provider}/${r.event.account_id}`);
    watermark = Math.max(watermark, Date.parse(r.event.ts));
    state.apply(r.event, key);
    for (const acc of state.drainDirty()) {
      if (firstFlag.has(acc)) continue;
      const provider = acc.slice('account:'.length, acc.indexOf('/'));
      if (aggregate(state.signalsOf(acc), state.rules.for(provider).thresholds).flagged)
        firstFlag.set(acc, watermark);
    }
  }
  const bad = new Set(truth.operators.flatMap((o) => o.accounts));
  let tp = 0;
  let fp = 0;
  const byPersona: Record<string, number> = {};
  for (const acc of firstFlag.keys()) {
    if (bad.has(acc)) tp += 1;
    else {
      fp += 1;
      const p = options.personaOf?.get(acc) ?? 'unknown';
      byPersona[p] = (byPersona[p] ?? 0) + 1;
    }
  }
  const operators = truth.operators.map((o) => {
    const launch = Date.parse(o.firstDeploymentAt);
    const flags = o.accounts
      .map((a) => firstFlag.get(a as EntityKey))
      .filter((t): t is number => t !== undefined);
    const first = flags.length > 0 ? Math.min(...flags) : undefined;
    return {
      id: o.id,
      style: o.style,
      accounts: o.accounts.length,
      flaggedAccounts: flags.length,
      flaggedBeforeLaunch: flags.filter((t) => t < launch).length,
      leadHours: first === undefined ? null : Math.round(((launch - first) / 3_600_000) * 10) / 10,
    };
  });
  const fn = bad.size - tp;
  return {
    events: events.length,
    rejected,
    duplicates,
    accounts: accounts.size,
    flagged: firstFlag.size,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: bad.size === 0 ? 1 : tp / bad.size,
    operators,
    falsePositivesByPersona: byPersona,
    seconds: (performance.now() - started) / 1000,
  };
}
