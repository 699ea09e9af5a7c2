/**
 * Campaigns as the CLI and the API show them: the correlate stage run with the app's configuration,
 * the list (keyset pages) and one campaign in full. Commands and routes call these and print.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import {
  CORRELATE_STAGE,
  type CorrelateSummary,
  type DeferredGraphView,
  type FullRunState,
  runCorrelateStage,
} from '../correlate/correlate-stage.js';
import { LiveCorrelation } from '../correlate/live-correlation.js';
import { DEFAULT_CLUSTER_CONFIG } from '../correlate/cluster.js';
import { DEFAULT_SPLIT_CONFIG } from '../correlate/communities.js';
import { DEFAULT_EVIDENCE_CONFIG } from '../correlate/evidence-flow.js';
import { loadSharedInfrastructure, type SharedInfrastructure } from '../correlate/shared-infrastructure.js';
import { PrecursorError } from '../domain/index.js';
import type { CampaignDetail, CampaignFilter, CampaignSummary, Store } from '../store/store.js';
import { extractorFor, pivotModelFor } from './pivots-for.js';
import { mentionedKeys } from '../ingest/extract.js';
import { canonicalHost } from '../ingest/canonical-host.js';

let sharedList: SharedInfrastructure | undefined;
const shared = (): SharedInfrastructure => (sharedList ??= loadSharedInfrastructure());

const clusterConfig = (config: Config) => ({
  ...DEFAULT_CLUSTER_CONFIG,
  conjunction: config.correlate.conjunction,
  mediumCap: config.correlate.mediumCap,
  alarmSize: config.correlate.alarmSize,
});
const evidenceConfig = (config: Config) => ({
  ...DEFAULT_EVIDENCE_CONFIG,
  ...config.correlate.evidence,
  weakAlone: config.correlate.quiet.sources,
});

/**
 * The first test of a deferred certificate (`deferred.prefilter`) on its hash and names: false when its
 * own key is in the graph (it was materialised) or none of its names as `extract` canonicalises them
 * (its `domain:` entities) is. A payload of another shape is tested whole.
 */
function certificateMay(fields: Readonly<Record<string, unknown>>, graph: DeferredGraphView): boolean {
  const { sha256, names } = fields;
  if (Array.isArray(names) && !names.some((n) => typeof n !== 'string' || namedInGraph(n, graph)))
    return false;
  // Tested second: most certificates name nothing in the graph, and the key is built to ask.
  return typeof sha256 !== 'string' || !graph.has(`cert:sha256:${sha256}`);
}

const namedInGraph = (name: string, graph: DeferredGraphView): boolean => {
  const h = canonicalHost(name);
  return h.ok && graph.hasName(h.ascii);
};

/**
 * Runs the correlate stage over everything stored (a full recluster), with the configured settings;
 * `onState` receives what it ended in (the seed of incremental updates).
 */
export async function correlate(
  store: Store,
  config: Config,
  onState?: (state: FullRunState) => void,
): Promise<CorrelateSummary> {
  const c = config.correlate;
  return runCorrelateStage(store, {
    pivots: pivotModelFor(config),
    thresholds: config.scoring,
    shared: shared(),
    minMembers: c.minMembers,
    cluster: clusterConfig(config),
    split: { ...DEFAULT_SPLIT_CONFIG, splitAbove: c.splitAbove },
    evidence: evidenceConfig(config),
    quiet: c.quiet,
    position: await store.stages.cursor('detect'),
    ...(config.detect.materialise === 'signalled'
      ? {
          deferred: {
            kinds: ['certificate'] as const,
            extract: extractorFor(config),
            mentions: mentionedKeys,
            prefilter: { fields: ['sha256', 'names'], may: certificateMay },
          },
        }
      : {}),
    ...(onState ? { onState } : {}),
  });
}

/** Incremental correlation continuing from a full run, with the same settings. */
export function liveCorrelation(state: FullRunState, config: Config): LiveCorrelation {
  const c = config.correlate;
  return LiveCorrelation.from(state, {
    pivots: pivotModelFor(config),
    thresholds: config.scoring,
    shared: shared(),
    cluster: clusterConfig(config),
    splitAbove: c.splitAbove,
    evidence: evidenceConfig(config),
    minMembers: c.minMembers,
    quiet: c.quiet,
    extract: extractorFor(config),
  });
}

/** Whether detect has processed observations correlation has not seen yet. */
export async function correlationBehind(store: Store): Promise<boolean> {
  return (await store.stages.cursor('detect')) > (await store.stages.cursor(CORRELATE_STAGE));
}

export interface CampaignPage {
  readonly items: readonly CampaignSummary[];
  /** The id to pass as `after` for the next page, or null on the last one. */
  readonly next: string | null;
}

export async function listCampaigns(
  store: Store,
  filter: CampaignFilter & { limit: number },
): Promise<CampaignPage> {
  const items = await store.campaigns.list(filter);
  const last = items[items.length - 1];
  return { items, next: items.length === filter.limit && last ? last.id : null };
}

export async function campaignDetail(store: Store, id: string): Promise<CampaignDetail> {
  const c = await store.campaigns.get(id);
  if (!c) throw new PrecursorError('CAMPAIGN_NOT_FOUND', `no campaign ${id}`, { details: { id } });
  return c;
}
