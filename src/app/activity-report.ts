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
  /** `live`: stored observations in the last five minutes; `idle`: none (a quiet or stopped feed). */
  readonly state: 'live' | 'idle';
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
    state: r.recent > 0 ? ('live' as const) : ('idle' as const),
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
  /** Entity types present, largest total first: the columns of every item. */
  readonly types: readonly string[];
  /**
   * One row per bucket from the first to the last with a flag (empty buckets between them are zeros),
   * `{at, <type>: n, …}` with every type of `types`: chart-ready.
   */
  readonly items: ReadonlyArray<Readonly<Record<string, string | number>>>;
  readonly totals: Readonly<Record<string, number>>;
}

const STEP: Record<FlagBucketSize, number> = { hour: 3_600_000, day: 86_400_000 };

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
  const byBucket = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const t = Date.parse(r.bucket);
    const row = byBucket.get(t) ?? {};
    row[r.type] = r.flagged;
    byBucket.set(t, row);
  }
  const items: Record<string, string | number>[] = [];
  if (byBucket.size > 0) {
    const times = [...byBucket.keys()];
    const last = Math.max(...times);
    for (let t = Math.min(...times); t <= last; t += STEP[options.bucket]) {
      const row = byBucket.get(t) ?? {};
      items.push({
        at: new Date(t).toISOString(),
        ...Object.fromEntries(types.map((k) => [k, row[k] ?? 0])),
      });
    }
  }
  return { bucket: options.bucket, types, items, totals };
}
