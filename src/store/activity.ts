/**
 * The activity read model: what the dashboard's overview and `GET /v1/feeds` / `GET /v1/stats/flags`
 * show — per-source feed health and flags over time. Reads only; every figure is derived from rows
 * other aggregates write (observations, checkpoints, dead letters, assessment history).
 * @module
 */
import type { EntityKey } from '../domain/index.js';

export interface FeedActivity {
  /** Source id (`certstream:…`, `tenant:api`, `ct:…`). */
  readonly source: string;
  readonly observations: number;
  /** Newest `observedAt` of the source's observations (data time). */
  readonly lastObservedAt: string | null;
  /** When the newest observation was stored (wall clock). */
  readonly lastIngestedAt: string | null;
  /** Observations stored at or after `recentSince` (the caller's rate window). */
  readonly recent: number;
  /** When the source's checkpoint last moved. */
  readonly checkpointAt: string | null;
  readonly deadLetters: number;
  readonly lastDeadLetterAt: string | null;
}

export type FlagBucketSize = 'hour' | 'day';

export interface FlagBucket {
  /** Start of the bucket, ISO-8601 UTC (`2026-03-02T14:00:00.000Z`). */
  readonly bucket: string;
  /** Entity type (`domain`, `account`, `snapshot`, …). */
  readonly type: string;
  /** Entities first flagged in the bucket. */
  readonly flagged: number;
}

export interface ActivityStore {
  /** One row per source that has observations, a checkpoint or dead letters, by source id. */
  feeds(options: { readonly recentSince: string }): Promise<FeedActivity[]>;
  /**
   * Entities by the bucket of their *first* flag (assessment history, data time), per entity type,
   * oldest bucket first; `since`/`until` bound the first-flag time (inclusive, exclusive).
   */
  flagSeries(options: {
    readonly bucket: FlagBucketSize;
    readonly since?: string;
    readonly until?: string;
  }): Promise<FlagBucket[]>;
  /** When each of `keys` was first flagged (absent: never flagged). */
  firstFlagged(keys: readonly EntityKey[]): Promise<Map<EntityKey, string>>;
}
