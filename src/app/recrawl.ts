/**
 * When a flagged name's page is live, and when to look again if it is not. A name is usually flagged
 * while it is being prepared — parked, a bare gate, nothing at all — and goes live later; its go-live
 * (the first crawl that finds a credential form) is what a campaign's lead time is measured against,
 * so a queued crawl that finds no live form is put back on a back-off schedule instead of being done.
 * @module
 */
import { LIVE_FORM_SIGNALS } from '../correlate/lead-time.js';

export interface RecrawlSchedule {
  /** Wait before the first re-crawl. */
  readonly firstMs: number;
  /** Each further wait is this many times longer … */
  readonly factor: number;
  /** … up to this. */
  readonly maxMs: number;
  /** Crawls of a name that never goes live before it is parked (`failed`, last error NOT_LIVE). */
  readonly maxAttempts: number;
}

/** 1 h, 2 h, 4 h … capped at a day; a name that stays dark for about two weeks is parked. */
export const DEFAULT_RECRAWL: RecrawlSchedule = {
  firstMs: 3_600_000,
  factor: 2,
  maxMs: 86_400_000,
  maxAttempts: 18,
};

/** Whether a crawl found the page live: a 2xx answer with a credential form. */
export function isLive(record: {
  readonly status?: number;
  readonly signals: ReadonlyArray<{ id: string }>;
}): boolean {
  if (record.status !== undefined && (record.status < 200 || record.status >= 300)) return false;
  return record.signals.some((s) => LIVE_FORM_SIGNALS.has(s.id));
}

/** The wait before crawl attempt `attempts + 1` (attempts: crawls made so far, ≥ 1). */
export function recrawlDelayMs(attempts: number, schedule: RecrawlSchedule = DEFAULT_RECRAWL): number {
  const n = Math.max(1, attempts);
  return Math.min(schedule.maxMs, schedule.firstMs * schedule.factor ** (n - 1));
}
