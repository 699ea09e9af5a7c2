/**
 * The campaigns aggregate: what the correlate stage concluded — campaigns with stable ids, their
 * members, pivots, growth, risk, lead time and explanation — and each campaign's timeline of events.
 * The shapes are the contract of `precursor campaigns|campaign` and `/v1/campaigns` (docs/api.md).
 * @module
 */
import type { EntityKey, EntityType } from '../domain/index.js';

export type CampaignState = 'active' | 'dissolved';
export type PivotStrengthClass = 'strong' | 'medium' | 'weak';

/** A value the members share (a certificate, a payment instrument, a wallet …) and how many share it. */
export interface CampaignPivot {
  readonly key: string;
  /** The value's kind: its entity type (`cert`, `payment`, `wallet`, `ip`, …) or `template`. */
  readonly kind: string;
  readonly strength: PivotStrengthClass;
  /** 0..1: the strongest link through it, after the ubiquity discount. */
  readonly weight: number;
  readonly members: number;
}

export type CampaignTopPivot = Omit<CampaignPivot, 'weight'>;

export interface CampaignMember {
  readonly key: EntityKey;
  readonly type: EntityType;
  readonly display: string;
  /** The member's current score (0 for a shared value, which is not assessed). */
  readonly score: number;
  readonly flagged: boolean;
}

export interface CampaignTimelineEntry {
  readonly at: string;
  /** `created`, `grew`, `shrank`, `merged`, `split`, `dissolved`, `flagged`, `went-live`, … */
  readonly kind: string;
  readonly detail: string;
}

export interface CampaignGrowthPoint {
  /** `YYYY-MM-DD` (UTC), by the members' first sighting. */
  readonly day: string;
  /** Members seen by the end of that day. */
  readonly members: number;
}

export interface CampaignLeadTime {
  /** The earliest moment a member was flagged on its own evidence. */
  readonly firstFlaggedAt: string | null;
  /** The first crawl that found a live credential form on a member's page, else the first deployment. */
  readonly goLiveAt: string | null;
  /** What go-live was taken from (null until it is known). */
  readonly basis?: 'live-form' | 'deployment' | null;
  /** goLiveAt − firstFlaggedAt in hours; null until both are known. */
  readonly hours: number | null;
}

/** The list item (`precursor campaigns --json`, `GET /v1/campaigns`). */
export interface CampaignSummary {
  readonly id: string;
  readonly name: string;
  readonly state: CampaignState;
  readonly risk: number;
  readonly flagged: boolean;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly updatedAt: string;
  readonly memberCount: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly topPivots: readonly CampaignTopPivot[];
  readonly leadTimeHours: number | null;
  readonly explanation: string;
}

/** One campaign in full (`precursor campaign ID --json`, `GET /v1/campaigns/{id}`). */
export interface CampaignDetail extends CampaignSummary {
  readonly members: readonly CampaignMember[];
  readonly pivots: readonly CampaignPivot[];
  readonly timeline: readonly CampaignTimelineEntry[];
  readonly growth: readonly CampaignGrowthPoint[];
  readonly leadTime: CampaignLeadTime | null;
}

/** What the correlate stage writes: everything but the timeline, which is appended as events. */
export type CampaignWrite = Omit<CampaignDetail, 'timeline' | 'leadTimeHours'>;

export interface CampaignEventWrite extends CampaignTimelineEntry {
  readonly campaignId: string;
}

export interface CampaignFilter {
  /** Default `active`; `all` lists dissolved ones too. */
  readonly state?: CampaignState | 'all';
  readonly flagged?: boolean;
  readonly minRisk?: number;
  readonly limit?: number;
  /** Keyset: the campaigns after this id in the list order (risk, highest first, then id). */
  readonly after?: string;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   await tx.campaigns.save([campaign]);
 *   await tx.campaigns.appendEvents([{ campaignId: campaign.id, at, kind: 'created', detail: '12 members' }]);
 * });
 * const page = await store.campaigns.list({ limit: 50, flagged: true });
 * ```
 */
export interface CampaignStore {
  get(id: string): Promise<CampaignDetail | undefined>;
  /** Ordered by risk (highest first), then id; page with `after` = the last id of a page. */
  list(filter?: CampaignFilter): Promise<CampaignSummary[]>;
  /** The campaigns (active first) that hold the entity as a member. */
  ofMember(key: EntityKey): Promise<CampaignSummary[]>;
  /** Ids and member keys of every active campaign (what the next recluster is matched against). */
  memberSets(): Promise<Array<{ readonly id: string; readonly members: readonly string[] }>>;
  /** Inserts or replaces campaigns, their read model and their members; state as given. */
  save(campaigns: readonly CampaignWrite[]): Promise<void>;
  /** Marks campaigns dissolved (their members are kept for the record). */
  dissolve(ids: readonly string[], at: string): Promise<void>;
  appendEvents(events: readonly CampaignEventWrite[]): Promise<void>;
}
