/**
 * `precursor eval world DIR`: the real pipeline on a simulated world (docs/simulate.md), scored against
 * its truth.json. The world's files go in as a user would feed them — tenant events, certstream
 * messages, transactions — and its pages as snapshots of the names they sit on (analysed from disk: the
 * world's names do not resolve), each observed when its page was deployed (the kit page's
 * `deployedAt`; honest pages from the world's start). Then the tenant stage, detection and correlation
 * run, and the figures are computed over the store with `world-metrics.ts`: before correlation (each
 * entity judged alone) and after it.
 * @module
 */
import { BULK_COMMIT_AFTER_MS } from './bulk-commits.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorrelateSummary } from '../correlate/correlate-stage.js';
import type { PageSnapshot } from '../domain/index.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import { createCertstreamSource } from '../ingest/sources/certstream/certstream-source.js';
import { createMemorySource } from '../ingest/sources/memory-source.js';
import { createTenantFileSource } from '../ingest/sources/tenant/tenant-source.js';
import { createTransactionSource } from '../ingest/sources/transactions/transaction-source.js';
import { operatorOfEntities, type WorldTruth } from '../simulate/world/truth.js';
import {
  type BestCampaign,
  type FalseComponents,
  type FlagRates,
  type PairBreakdown,
  scoreWorld,
} from '../simulate/world-metrics.js';
import { firstOwnFlag } from '../correlate/lead-time.js';
import type { ScoreThresholds } from '../detect/score.js';
import { evidenceDir } from './detectors.js';
import type { AppContext } from './open-app.js';
import { stepTimer } from './step-timer.js';
import { tenantStageFor } from './tenant-stage-for.js';

/** The entity types truth.json labels exhaustively (`operatorOfEntities`). */
export const LABELLED_TYPES: ReadonlySet<string> = new Set([
  'account',
  'domain',
  'cert',
  'wallet',
  'telegram-bot',
]);

export interface WorldEvaluation {
  readonly dir: string;
  readonly seed: string;
  readonly scale: string;
  readonly counts: Readonly<Record<string, number>>;
  /** Each entity judged alone (detectors and the tenant stage, no correlation). */
  readonly before: { readonly names: FlagRates; readonly accounts: FlagRates };
  readonly after: {
    readonly adjustedRandIndex: number;
    /** Where the ARI's lost pairs come from (split operators vs merged campaigns). */
    readonly pairs: PairBreakdown;
    readonly operators: readonly BestCampaign[];
    readonly falseComponents: FalseComponents;
    readonly names: FlagRates;
    readonly accounts: FlagRates;
    readonly campaigns: number;
    readonly flaggedCampaigns: number;
  };
  readonly correlate: CorrelateSummary;
  readonly seconds: Readonly<Record<string, number>>;
}

export interface WorldEvalOptions {
  readonly onProgress?: (step: string) => void;
}

export async function evaluateWorld(
  app: AppContext,
  dir: string,
  options: WorldEvalOptions = {},
): Promise<WorldEvaluation> {
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as WorldTruth;
  const { pipeline } = app;
  const store = pipeline.store;
  const { timed, seconds } = stepTimer(options.onProgress);
  const noCorrelation = {
    ignoreCheckpoint: true,
    correlate: false,
    commitAfterMs: BULK_COMMIT_AFTER_MS,
  } as const;
  // A kept store (`--store DIR`) that already holds the world is scored again without re-ingesting.
  const reuse = (await store.stages.cursor('detect')) > 0;
  if (!reuse) await ingestWorld();
  async function ingestWorld() {
    await timed('tenant events', async () => {
      await pipeline.ingest(
        createTenantFileSource({ path: join(dir, 'tenant-events.jsonl') }),
        noCorrelation,
      );
      const stage = tenantStageFor(store, app.config, { commitAfterMs: BULK_COMMIT_AFTER_MS });
      await stage.run();
      await stage.persist();
    });
    await timed('certstream', () =>
      pipeline.ingest(createCertstreamSource({ input: join(dir, 'certstream.jsonl') }), noCorrelation),
    );
    await timed('transactions', () =>
      pipeline.ingest(createTransactionSource({ path: join(dir, 'transactions.jsonl') }), noCorrelation),
    );
    await timed('pages', () => ingestPages(app, dir, truth));
  }

  const names = (await readFile(join(dir, 'names.txt'), 'utf8')).split('\n').filter((n) => n !== '');
  const operatorNames = new Set(Object.keys(truth.names));
  const operatorAccounts = new Set(truth.operators.flatMap((o) => o.accounts));
  const before = await flagsOf(app, operatorAccounts, true, thresholdsOf(app));

  const correlate = await timed('correlate', async () => (await pipeline.correlate({ force: true }))!);

  const after = await flagsOf(app, operatorAccounts, false, thresholdsOf(app));
  // The clustering is scored on the entity types the truth labels completely (an account, name,
  // certificate, wallet or Telegram bot the truth does not list is honest); mailboxes, devices, cards,
  // addresses, URLs and pages carry no label, so they are left out rather than counted as honest.
  const labelled = (key: string) => LABELLED_TYPES.has(key.slice(0, key.indexOf(':')));
  const campaignOf = new Map<string, string>();
  for (const c of await store.campaigns.memberSets())
    for (const m of c.members) if (labelled(m)) campaignOf.set(m, c.id);
  const universe: string[] = [];
  for (let afterKey: string | undefined; ; ) {
    const page = await store.entities.list({ limit: 10_000, ...(afterKey ? { after: afterKey } : {}) });
    for (const v of page) if (labelled(v.entity.key)) universe.push(v.entity.key);
    if (page.length < 10_000) break;
    afterKey = page[page.length - 1]!.entity.key;
  }
  const score = scoreWorld({
    entities: universe,
    operatorOf: operatorOfEntities(truth),
    campaignOf,
    names,
    operatorNames,
    flaggedNames: after.names,
    accounts: after.accountUniverse,
    operatorAccounts,
    flaggedAccounts: after.accounts,
  });
  const flagged = await store.campaigns.list({ flagged: true, limit: 10_000 });
  return {
    dir,
    seed: truth.seed,
    scale: truth.scale,
    counts: truth.counts,
    before: {
      names: before.rates(names, operatorNames).names,
      accounts: before.rates(names, operatorNames).accounts,
    },
    after: {
      adjustedRandIndex: score.adjustedRandIndex,
      pairs: score.pairs,
      operators: score.operators,
      falseComponents: score.falseComponents,
      names: score.names,
      accounts: score.accounts,
      campaigns: campaignOf.size === 0 ? 0 : new Set(campaignOf.values()).size,
      flaggedCampaigns: flagged.length,
    },
    correlate,
    seconds,
  };
}

/** Flagged names (as in names.txt) and accounts, and every account the store knows. */
const thresholdsOf = (app: AppContext): ScoreThresholds => app.config.scoring;

/**
 * Flagged names and accounts, and every account the store knows. `own`: flagged on their own signals
 * (what the detectors alone concluded: the correlate stage's signals left out).
 */
async function flagsOf(
  app: AppContext,
  operatorAccounts: ReadonlySet<string>,
  own: boolean,
  thresholds: ScoreThresholds,
) {
  const store = app.pipeline.store;
  const flaggedNames = new Set<string>();
  const flaggedAccounts = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await store.entities.list({
      ...(own ? {} : { flagged: true }),
      limit: 10_000,
      ...(after ? { after } : {}),
    });
    for (const v of page) {
      const a = v.assessment;
      if (!a) continue;
      if (own ? firstOwnFlag([a], thresholds) === null : !a.flagged) continue;
      if (v.entity.type === 'domain') flaggedNames.add(v.entity.key.slice('domain:'.length));
      if (v.entity.type === 'account') flaggedAccounts.add(v.entity.key);
    }
    if (page.length < 10_000) break;
    after = page[page.length - 1]!.entity.key;
  }
  const accountUniverse: string[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.entities.list({ type: 'account', limit: 10_000, ...(after ? { after } : {}) });
    for (const v of page) accountUniverse.push(v.entity.key);
    if (page.length < 10_000) break;
    after = page[page.length - 1]!.entity.key;
  }
  const rates = (allNames: readonly string[], positives: ReadonlySet<string>) =>
    scoreWorld({
      entities: [],
      operatorOf: new Map(),
      campaignOf: new Map(),
      names: allNames,
      operatorNames: positives,
      flaggedNames,
      accounts: accountUniverse,
      operatorAccounts,
      flaggedAccounts,
    });
  return { names: flaggedNames, accounts: flaggedAccounts, accountUniverse, rates };
}

/**
 * Every page of `pages/<host>/` as a snapshot of `https://<host>/`, stored as evidence and ingested as
 * a `snapshot` observation, as a crawl of the name would have recorded it.
 */
async function ingestPages(app: AppContext, dir: string, truth: WorldTruth): Promise<void> {
  const pagesDir = join(dir, 'pages');
  let hosts: string[];
  try {
    hosts = (await readdir(pagesDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return;
  }
  const deployed = new Map<string, string>();
  for (const op of truth.operators) for (const k of op.kitPages) deployed.set(k.host, k.deployedAt);
  const evidence = new EvidenceStore(evidenceDir(app.config));
  const records: Array<{ sha256: string; url: string; at: string }> = [];
  for (const host of hosts.sort()) {
    let html: string;
    try {
      html = await readFile(join(pagesDir, host, 'index.html'), 'utf8');
    } catch {
      continue;
    }
    const at = deployed.get(host) ?? truth.start;
    const url = `https://${host}/`;
    const snapshot: PageSnapshot = {
      url,
      finalUrl: url,
      fetchedAt: at,
      mode: 'fetch',
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      redirectChain: [],
      html,
      scripts: [],
      requests: [],
      console: [],
    };
    records.push({ sha256: await evidence.putSnapshot(snapshot), url, at });
  }
  const source = createMemorySource('eval:pages', records, (r) => ({
    ok: true,
    observations: [
      {
        source: 'eval:pages',
        kind: 'snapshot',
        observedAt: r.at,
        dedupeKey: `eval-page|${r.sha256}|${r.url}`,
        payload: { sha256: r.sha256, url: r.url, finalUrl: r.url, status: 200 },
      },
    ],
  }));
  await app.pipeline.ingest(source, { ignoreCheckpoint: true, correlate: false });
}
