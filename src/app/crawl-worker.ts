/**
 * The crawl queue's consumer inside a long-running process (`precursor demo`, `precursor run`): claim
 * flagged names the detect stage queued, capture each page through the SSRF guard, store the evidence
 * and a `snapshot` observation (the page detector judges it on the next detect run), and settle the
 * queue item. A name that does not answer with a page yet — the operator is still preparing — goes
 * back on the queue with a growing back-off, so the page is seen when it goes up.
 * @module
 */
import { capturePage } from '../ingest/crawl/capture-page.js';
import { isCrawlError } from '../ingest/crawl/crawl-error.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import { createPool } from '../ingest/crawl/pool.js';
import type { SsrfGuard } from '../ingest/crawl/ssrf-guard.js';
import { createMemorySource } from '../ingest/sources/memory-source.js';
import { evidenceDir } from './detectors.js';
import type { AppContext } from './open-app.js';
import { CRAWL_QUEUE } from './pipeline.js';

export interface CrawlWorkerOptions {
  readonly guard: SsrfGuard;
  /** Pages fetched at once (default 4). */
  readonly concurrency?: number;
  /** Wait before re-crawling a name that had no page, by attempts so far (default 1 h × 2^attempts, capped at 1 day). */
  readonly retryInMs?: (attempts: number) => number;
  /** Crawls of a name before it is parked as failed (default 8). */
  readonly maxAttempts?: number;
  /** Lease on claimed items: a worker that dies gives them back after this long (default 15 min). */
  readonly leaseMs?: number;
  /** The time a capture is recorded at (default the wall clock; the demo passes its replay clock). */
  readonly now?: () => string;
}

export interface CrawlDrain {
  readonly claimed: number;
  /** Pages that answered 200 and were stored. */
  readonly live: number;
  /** Names re-queued (no page yet, or the fetch failed). */
  readonly retried: number;
}

export interface CrawlWorker {
  /** Crawls up to `limit` ready items; resolves when they are settled. */
  drain(limit: number): Promise<CrawlDrain>;
}

const defaultRetry = (attempts: number): number => Math.min(86_400_000, 3_600_000 * 2 ** attempts);

export function createCrawlWorker(app: AppContext, options: CrawlWorkerOptions): CrawlWorker {
  const store = app.pipeline.store;
  const evidence = new EvidenceStore(evidenceDir(app.config));
  const retryInMs = options.retryInMs ?? defaultRetry;
  const maxAttempts = options.maxAttempts ?? 8;
  const now = options.now ?? (() => new Date().toISOString());
  return {
    async drain(limit) {
      const items = await store.queue.claim(CRAWL_QUEUE, limit, options.leaseMs ?? 15 * 60_000);
      if (items.length === 0) return { claimed: 0, live: 0, retried: 0 };
      const captured: { url: string; sha256: string; finalUrl: string; status: number | undefined }[] = [];
      const done: string[] = [];
      const retry: { key: string; attempts: number; error: string }[] = [];
      const pool = createPool(options.concurrency ?? 4);
      for (const item of items) {
        const url = typeof item.payload.url === 'string' ? item.payload.url : undefined;
        await pool.submit(async () => {
          if (!url) {
            retry.push({ key: item.key, attempts: maxAttempts, error: 'BAD_URL: the queue item has no url' });
            return;
          }
          try {
            const c = await capturePage(url, {
              guard: options.guard,
              store: evidence,
              differential: true,
              now,
            });
            if (c.evidence)
              captured.push({
                url,
                sha256: c.evidence,
                finalUrl: c.snapshot.finalUrl,
                status: c.snapshot.status,
              });
            if (c.snapshot.status === 200) done.push(item.key);
            else
              retry.push({
                key: item.key,
                attempts: item.attempts,
                error: `NOT_LIVE: HTTP ${c.snapshot.status}`,
              });
          } catch (e) {
            const code = isCrawlError(e) ? e.code : 'INTERNAL';
            retry.push({ key: item.key, attempts: item.attempts, error: `${code}: ${(e as Error).message}` });
          }
        });
      }
      await pool.drain();
      if (captured.length > 0) {
        const observedAt = now();
        const source = createMemorySource('crawl', captured, (r) => ({
          ok: true,
          observations: [
            {
              source: 'crawl',
              kind: 'snapshot',
              observedAt,
              dedupeKey: `crawl|${r.sha256}|${r.url}`,
              payload: {
                sha256: r.sha256,
                url: r.url,
                finalUrl: r.finalUrl,
                ...(r.status === undefined ? {} : { status: r.status }),
              },
            },
          ],
        }));
        await app.pipeline.ingest(source, { ignoreCheckpoint: true, detect: false });
      }
      await store.queue.complete(CRAWL_QUEUE, done);
      for (const r of retry)
        await store.queue.fail(CRAWL_QUEUE, r.key, r.error, {
          retryInMs: retryInMs(r.attempts),
          maxAttempts,
        });
      return { claimed: items.length, live: done.length, retried: retry.length };
    },
  };
}
