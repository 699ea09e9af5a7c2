/**
 * `precursor eval tenants EVENTS --truth FILE`: the pipeline as configured — the events ingested and
 * stored, the tenant stage, the detectors and (when enabled) correlation — run on the user's own
 * labelled tenant events in a fresh store, then every account's final assessment scored against the
 * labels: recall, false-positive rate and precision over accounts, per operator (with the lead time of
 * its first flag before its first deployment), per signal, and the worst misses and false flags with
 * the signals that explain them. Unlike `simulate tenants --evaluate` (the tenant detectors alone, in
 * memory), this is what an analyst would see after `precursor ingest events`.
 * @module
 */
import { BULK_COMMIT_AFTER_MS } from './bulk-commits.js';
import { leadTime } from '../correlate/lead-time.js';
import type { Assessment, EntityKey } from '../domain/index.js';
import { createTenantFileSource } from '../ingest/sources/tenant/tenant-source.js';
import { median } from './median.js';
import type { AppContext } from './open-app.js';
import { stepTimer } from './step-timer.js';
import type { TenantLabels } from './tenant-labels.js';
import { tenantStageFor } from './tenant-stage-for.js';

export interface AccountRates {
  readonly operatorAccounts: number;
  readonly honestAccounts: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** Labelled operator accounts the events never mention (counted as misses). */
  readonly unseen: number;
  /** null when there is nothing to divide by. */
  readonly recall: number | null;
  readonly falsePositiveRate: number | null;
  readonly precision: number | null;
}

export interface OperatorReport {
  readonly id: string;
  readonly style?: string;
  readonly accounts: number;
  readonly flagged: number;
  /** Accounts labelled but absent from the events. */
  readonly unseen: number;
  readonly firstFlaggedAt: string | null;
  readonly firstDeploymentAt: string | null;
  /** firstDeploymentAt − firstFlaggedAt in hours (one decimal); positive: flagged before deploying. */
  readonly leadHours: number | null;
}

export interface SignalReport {
  readonly id: string;
  /** Accounts whose final assessment carries the signal. */
  readonly operatorAccounts: number;
  readonly honestAccounts: number;
  readonly recall: number | null;
  readonly falsePositiveRate: number | null;
  readonly precision: number | null;
}

export interface ExplainedAccount {
  readonly account: string;
  /** The operator it belongs to; absent for honest accounts. */
  readonly operator?: string;
  readonly score: number;
  readonly explanation: readonly { readonly id: string; readonly points: number; readonly detail: string }[];
}

export interface TenantEventsEvaluation {
  readonly files: readonly string[];
  readonly events: { readonly read: number; readonly stored: number; readonly rejected: number };
  readonly correlation: boolean;
  readonly threshold: number;
  readonly overall: AccountRates;
  readonly operators: readonly OperatorReport[];
  /** Median lead time over operators with both a flag and a deployment time. */
  readonly medianLeadHours: number | null;
  readonly signals: readonly SignalReport[];
  /** Operator accounts not flagged, highest score first. */
  readonly misses: readonly ExplainedAccount[];
  /** Honest accounts flagged, highest score first. */
  readonly falseFlags: readonly ExplainedAccount[];
  readonly seconds: Readonly<Record<string, number>>;
}

export interface TenantEventsEvalOptions {
  readonly worst?: number;
  readonly onProgress?: (step: string) => void;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);
const oneDecimal = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

export async function evaluateTenantEvents(
  app: AppContext,
  files: readonly string[],
  labels: TenantLabels,
  options: TenantEventsEvalOptions = {},
): Promise<TenantEventsEvaluation> {
  const worst = options.worst ?? 20;
  const { pipeline } = app;
  const store = pipeline.store;
  const { timed, seconds } = stepTimer(options.onProgress);

  // As `precursor ingest events` does it: store and detect per file, the tenant stage once the
  // events are in, correlation last (skipped when the configuration switches it off).
  const events = { read: 0, stored: 0, rejected: 0 };
  await timed('ingest', async () => {
    for (const path of files) {
      const { ingest } = await pipeline.ingest(createTenantFileSource({ path }), {
        ignoreCheckpoint: true,
        correlate: false,
        commitAfterMs: BULK_COMMIT_AFTER_MS,
      });
      events.read += ingest.records;
      events.stored += ingest.inserted;
      events.rejected += ingest.rejected;
    }
  });
  await timed('tenant', async () => {
    const stage = tenantStageFor(store, app.config, { commitAfterMs: BULK_COMMIT_AFTER_MS });
    await stage.run();
    await stage.persist();
  });
  const correlation = await timed('correlate', async () => (await pipeline.correlate()) !== undefined);

  const operatorOf = new Map<string, string>();
  for (const op of labels.operators) for (const a of op.accounts) operatorOf.set(a, op.id);
  const assessments = new Map<string, Assessment | undefined>();
  await timed('score', async () => {
    for (let after: string | undefined; ; ) {
      const page = await store.entities.list({ type: 'account', limit: 10_000, ...(after ? { after } : {}) });
      for (const v of page) assessments.set(v.entity.key, v.assessment);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.entity.key;
    }
  });

  const flagged = (a: Assessment | undefined) => a?.flagged === true;
  let tp = 0;
  let fp = 0;
  let honest = 0;
  const signalCounts = new Map<string, { op: number; honest: number }>();
  const misses: ExplainedAccount[] = [];
  const falseFlags: ExplainedAccount[] = [];
  for (const [account, a] of assessments) {
    const operator = operatorOf.get(account);
    if (operator === undefined) honest++;
    if (flagged(a)) {
      if (operator === undefined) {
        fp++;
        falseFlags.push(explain(account, a, undefined));
      } else tp++;
    } else if (operator !== undefined) misses.push(explain(account, a, operator));
    for (const id of new Set(a?.contributions.map((c) => c.id))) {
      const c = signalCounts.get(id) ?? { op: 0, honest: 0 };
      if (operator === undefined) c.honest++;
      else c.op++;
      signalCounts.set(id, c);
    }
  }
  // Labelled accounts the events never mention are misses too: nothing could have flagged them.
  let unseenTotal = 0;
  for (const [account, operator] of operatorOf)
    if (!assessments.has(account)) {
      unseenTotal++;
      misses.push({ account, operator, score: 0, explanation: [] });
    }
  const operatorAccounts = operatorOf.size;

  const operators: OperatorReport[] = [];
  for (const op of labels.operators) {
    let flaggedHere = 0;
    let unseen = 0;
    let first: string | null = null;
    for (const account of op.accounts) {
      if (!assessments.has(account)) unseen++;
      if (!flagged(assessments.get(account))) continue;
      flaggedHere++;
      const at = await firstFlaggedAt(app, account as EntityKey);
      if (at !== null && (first === null || at < first)) first = at;
    }
    const deployed = op.firstDeploymentAt ?? null;
    operators.push({
      id: op.id,
      ...(op.style ? { style: op.style } : {}),
      accounts: op.accounts.length,
      flagged: flaggedHere,
      unseen,
      firstFlaggedAt: first,
      firstDeploymentAt: deployed,
      leadHours: leadTime(first, [], deployed === null ? [] : [deployed])?.hours ?? null,
    });
  }

  const byScore = (x: ExplainedAccount, y: ExplainedAccount) =>
    y.score - x.score || (x.account < y.account ? -1 : 1);
  return {
    files,
    events,
    correlation,
    threshold: app.config.scoring.flag,
    overall: {
      operatorAccounts,
      honestAccounts: honest,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: operatorAccounts - tp,
      unseen: unseenTotal,
      recall: ratio(tp, operatorAccounts),
      falsePositiveRate: ratio(fp, honest),
      precision: ratio(tp, tp + fp),
    },
    operators,
    medianLeadHours: oneDecimal(
      median(operators.flatMap((o) => (o.leadHours === null ? [] : [o.leadHours]))),
    ),
    signals: [...signalCounts]
      .map(([id, c]) => ({
        id,
        operatorAccounts: c.op,
        honestAccounts: c.honest,
        recall: ratio(c.op, operatorAccounts),
        falsePositiveRate: ratio(c.honest, honest),
        precision: ratio(c.op, c.op + c.honest),
      }))
      .sort(
        (x, y) =>
          y.operatorAccounts + y.honestAccounts - (x.operatorAccounts + x.honestAccounts) ||
          (x.id < y.id ? -1 : 1),
      ),
    misses: misses.sort(byScore).slice(0, worst),
    falseFlags: falseFlags.sort(byScore).slice(0, worst),
    seconds,
  };
}

function explain(account: string, a: Assessment | undefined, operator: string | undefined): ExplainedAccount {
  return {
    account,
    ...(operator !== undefined ? { operator } : {}),
    score: a?.score ?? 0,
    explanation: (a?.contributions ?? [])
      .filter((c) => c.points > 0)
      .sort((x, y) => y.points - x.points)
      .map((c) => ({ id: c.id, points: Math.round(c.points * 10) / 10, detail: c.detail })),
  };
}

/** When the account's assessment history first reached the flag threshold (event time). */
async function firstFlaggedAt(app: AppContext, key: EntityKey): Promise<string | null> {
  for (const h of await app.pipeline.store.assessments.history(key)) if (h.flagged) return h.assessedAt;
  return null;
}
