/**
 * Capturing one URL: fetch (or render) the page as a browser arriving from webmail, fetch it again as
 * a crawler for the differential check, and store the evidence. What the page means is analysis's
 * business (`src/app/crawl-page.ts` runs both).
 * @module
 */
import type { PageSnapshot } from '../../domain/index.js';
import type { EvidenceStore } from './evidence-store.js';
import { type FetchLimits, type FetchResult, plainFetch } from './plain-fetch.js';
import type { PageRenderer } from './page-renderer.js';
import { SsrfGuard } from './ssrf-guard.js';

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const CRAWLER_UA = 'PrecursorBot/0.1 (+phishing-preparation-scanner)';
/** Victims arrive from webmail; kits that cloak often let only such visitors through. */
export const WEBMAIL_REFERER = 'https://outlook.live.com/';

export interface CaptureDeps {
  /** The SSRF guard; when absent one is made from `allowPrivate`. */
  readonly guard?: SsrfGuard;
  /**
   * The caller's `crawl.allowPrivate` (config, `--allow-private`), used when no `guard` is given.
   * Default false: private, loopback, link-local, CGNAT and metadata addresses are refused.
   */
  readonly allowPrivate?: boolean;
  readonly store?: EvidenceStore;
  /** Present → render with the browser; absent → plain fetch. */
  readonly renderer?: PageRenderer;
  readonly fetchLimits?: Partial<FetchLimits>;
  /** Skip the crawler-view fetch (halves the requests; loses the cloaking signal). */
  readonly differential?: boolean;
  readonly now?: () => string;
}

export interface Capture {
  /** The browser-like view, with the crawler's view attached when it was fetched. */
  readonly snapshot: PageSnapshot;
  /** SHA-256 of the stored snapshot manifest, when an evidence store was given. */
  readonly evidence?: string;
}

function decodeBody(r: FetchResult): string {
  const charset = /charset=([\w-]+)/i.exec(r.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(r.body);
  } catch {
    return new TextDecoder('utf-8').decode(r.body);
  }
}

export function snapshotFromFetch(url: string, r: FetchResult, fetchedAt: string): PageSnapshot {
  return {
    url,
    finalUrl: r.finalUrl,
    fetchedAt,
    mode: 'fetch',
    status: r.status,
    headers: r.headers,
    redirectChain: r.redirects.map((h) => h.url),
    html: decodeBody(r),
    scripts: [],
    requests: [],
    console: [],
    ...(r.truncated ? { truncated: true } : {}),
  };
}

export async function capturePage(url: string, deps: CaptureDeps): Promise<Capture> {
  const now = deps.now ?? (() => new Date().toISOString());
  if (deps.guard && deps.allowPrivate !== undefined && deps.guard.allowPrivate !== deps.allowPrivate)
    throw new Error('capturePage: allowPrivate disagrees with the guard it was given');
  const guard = deps.guard ?? new SsrfGuard({ allowPrivate: deps.allowPrivate === true });
  const fetchedAt = now();
  const fetchAs = (headers: Record<string, string>) =>
    plainFetch(url, {
      guard,
      headers,
      ...(deps.fetchLimits ? { limits: deps.fetchLimits } : {}),
    });
  // Step 1: the browser-like view (rendered or fetched) — errors here are the caller's to report.
  const browserView: PageSnapshot = deps.renderer
    ? await deps.renderer.render(url, { userAgent: BROWSER_UA, referer: WEBMAIL_REFERER })
    : snapshotFromFetch(
        url,
        await fetchAs({ 'user-agent': BROWSER_UA, referer: WEBMAIL_REFERER }),
        fetchedAt,
      );
  // Step 2: the crawler view; a failure only means no differential evidence.
  let snapshot = browserView;
  if (deps.differential !== false) {
    const crawler = await fetchAs({ 'user-agent': CRAWLER_UA }).catch(() => undefined);
    if (crawler) {
      const v = snapshotFromFetch(url, crawler, fetchedAt);
      snapshot = {
        ...browserView,
        crawlerView: {
          ...(v.status === undefined ? {} : { status: v.status }),
          finalUrl: v.finalUrl,
          html: v.html,
        },
      };
    }
  }
  // Step 3: evidence, content-addressed.
  const evidence = deps.store ? await deps.store.putSnapshot(snapshot) : undefined;
  return evidence ? { snapshot, evidence } : { snapshot };
}
