/**
 * Campaigns as the CLI and the API show them: the correlate stage run with the app's configuration,
 * the list (keyset pages) and one campaign in full. Commands and routes call these and print.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { CORRELATE_STAGE, type CorrelateSummary, runCorrelateStage } from '../correlate/correlate-stage.js';
import { DEFAULT_CLUSTER_CONFIG } from '../correlate/cluster.js';
import { DEFAULT_SPLIT_CONFIG } from '../correlate/communities.js';
import { DEFAULT_EVIDENCE_CONFIG } from '../correlate/evidence-flow.js';
import { loadSharedInfrastructure, type SharedInfrastructure } from '../correlate/shared-infrastructure.js';
import { PrecursorError } from '../domain/index.js';
import type { CampaignDetail, CampaignFilter, CampaignSummary, Store } from '../store/store.js';
import { pivotModelFor } from './pivots-for.js';

let sharedList: SharedInfrastructure | undefined;
const shared = (): SharedInfrastructure => (sharedList ??= loadSharedInfrastructure());

/** Runs the correlate stage over everything stored, with the configured settings. */
export async function correlate(store: Store, config: Config): Promise<CorrelateSummary> {
  const c = config.correlate;
  return runCorrelateStage(store, {
    pivots: pivotModelFor(config),
    thresholds: config.scoring,
    shared: shared(),
    minMembers: c.minMembers,
    cluster: {
      ...DEFAULT_CLUSTER_CONFIG,
      conjunction: c.conjunction,
      mediumCap: c.mediumCap,
      alarmSize: c.alarmSize,
    },
    split: { ...DEFAULT_SPLIT_CONFIG, splitAbove: c.splitAbove },
    evidence: { ...DEFAULT_EVIDENCE_CONFIG, ...c.evidence, weakAlone: c.quiet.sources },
    quiet: c.quiet,
    position: await store.stages.cursor('detect'),
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
