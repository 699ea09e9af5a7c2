/**
 * Crawling one URL end to end: capture the page (ingest: fetch or render, the crawler's view, the
 * evidence), then analyze and judge it (detect: the page analyzer). Returns the record `precursor
 * crawl` prints. Lives in the app because it is the one place that needs both stages.
 * @module
 */
import type { PageAnalyzer } from '../detect/page/analyze-page.js';
import type { Signal, Verdict } from '../domain/index.js';
import { type CaptureDeps, capturePage } from '../ingest/crawl/capture-page.js';

export interface CrawlDeps extends CaptureDeps {
  readonly analyzer: PageAnalyzer;
  /** Signals the domain engine holds for the page's host, weighed with the page's own. */
  readonly nameSignals?: (host: string) => Promise<readonly Signal[]>;
}

export interface CrawlRecord {
  readonly url: string;
  readonly final_url: string;
  readonly status?: number;
  readonly score: number;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  readonly signals: ReadonlyArray<{ id: string; weight: number; detail: string }>;
  /** SHA-256 of the stored snapshot manifest. */
  readonly evidence?: string;
  readonly entities: readonly string[];
  readonly truncated?: boolean;
}

export async function crawlUrl(url: string, deps: CrawlDeps): Promise<CrawlRecord> {
  // Steps 1–3: the browser's view, the crawler's view, the evidence.
  const { snapshot, evidence } = await capturePage(url, deps);
  // Step 4: analysis and verdict.
  const analysis = deps.analyzer.analyze(snapshot, evidence);
  const host = (() => {
    try {
      return new URL(snapshot.finalUrl).hostname;
    } catch {
      return '';
    }
  })();
  const names = deps.nameSignals ? await deps.nameSignals(host) : [];
  const v = deps.analyzer.judge(analysis, names);
  return {
    url,
    final_url: snapshot.finalUrl,
    ...(snapshot.status === undefined ? {} : { status: snapshot.status }),
    score: v.score,
    flagged: v.flagged,
    verdict: v.verdict,
    signals: v.contributions.map((c) => ({ id: c.id, weight: c.weight, detail: c.detail })),
    ...(evidence ? { evidence } : {}),
    entities: [...(evidence ? [`snapshot:sha256:${evidence}`] : []), ...analysis.entities],
    ...(snapshot.truncated ? { truncated: true } : {}),
  };
}
