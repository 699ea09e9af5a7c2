/**
 * Feed health and flags over time, as the dashboard's overview shows them (`GET /v1/feeds`,
 * `GET /v1/stats/flags`). Lag is measured against the caller's clock: the wall clock in production,
 * the replay clock in the live demo (whose data lives in simulated time).
 * @module
 */
import type { FlagBucketSize, Store } from '../store/store.js';

/** Rates are averaged over this window. */
export const FEED_RATE_WINDOW_MS = 5 * 60_000;

export interface FeedHealth {
  readonly source: string;
  readonly observations: number;
  /** Observations stored per minute over the last five minutes (wall clock). */
  readonly ratePerMinute: number;
  readonly lastObservedAt: string | null;
  readonly lastIngestedAt: string | null;
  /** Seconds from the newest observation's own time to now (null: no observations). */
  readonly lagSeconds: number | null;
  readonly checkpointAt: string | null;
  readonly deadLetters: number;
  readonly lastDeadLetterAt: string | null;
}

export async function feedHealth(
  store: Pick<Store, 'activity'>,
  now: Date,
): Promise<{ now: string; windowSeconds: number; items: FeedHealth[] }> {
  const wall = Date.now();
  const rows = await store.activity.feeds({
    recentSince: new Date(wall - FEED_RATE_WINDOW_MS).toISOString(),
  });
  const items = rows.map((r) => ({
    source: r.source,
    observations: r.observations,
    ratePerMinute: Math.round((r.recent / (FEED_RATE_WINDOW_MS / 60_000)) * 10) / 10,
    lastObservedAt: r.lastObservedAt,
    lastIngestedAt: r.lastIngestedAt,
    lagSeconds:
      r.lastObservedAt === null
        ? null
        : Math.max(0, Math.round((now.getTime() - Date.parse(r.lastObservedAt)) / 1000)),
    checkpointAt: r.checkpointAt,
    deadLetters: r.deadLetters,
    lastDeadLetterAt: r.lastDeadLetterAt,
  }));
  return { now: now.toISOString(), windowSeconds: FEED_RATE_WINDOW_MS / 1000, items };
}

export interface FlagSeries {
  readonly bucket: FlagBucketSize;
  /** Entity types present, in order of their totals (largest first). */
  readonly types: readonly string[];
  readonly items: ReadonlyArray<{ at: string; type: string; flagged: number }>;
  readonly totals: Readonly<Record<string, number>>;
}

export async function flagsOverTime(
  store: Pick<Store, 'activity'>,
  options: { bucket: FlagBucketSize; since?: string | undefined; until?: string | undefined },
): Promise<FlagSeries> {
  const rows = await store.activity.flagSeries({
    bucket: options.bucket,
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  });
  const totals: Record<string, number> = {};
  for (const r of rows) totals[r.type] = (totals[r.type] ?? 0) + r.flagged;
  const types = Object.keys(totals).sort((a, b) => (totals[b] ?? 0) - (totals[a] ?? 0) || (a < b ? -1 : 1));
  return {
    bucket: options.bucket,
    types,
    items: rows.map((r) => ({ at: r.bucket, type: r.type, flagged: r.flagged })),
    totals,
  };
}
