/**
 * Renders suspicious pages in Debian's Chromium through playwright-core: one fresh context per page,
 * every request through a guarded proxy session, bounded time, bytes and requests. Records what the
 * page analyzers and an analyst need: final URL, redirect chain, status and headers, rendered DOM,
 * screenshot, favicon, requests, console and script bodies.
 * @module
 */
import { existsSync } from 'node:fs';
import type { Browser, Request, Response } from 'playwright-core';
import { imageHashesOf } from '../../evidence/image-hash.js';
import type { PageSnapshot, SnapshotRequest, SnapshotScript } from '../../domain/index.js';
import { CrawlError } from './crawl-error.js';
import { openProxySession } from './guarded-proxy.js';
import { plainFetch } from './plain-fetch.js';
import type { SsrfGuard } from './ssrf-guard.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface RenderLimits {
  readonly timeoutMs: number;
  /** Extra time after `load` for late scripts (gates reveal content on timers). */
  readonly settleMs: number;
  readonly maxBytes: number;
  readonly maxRequests: number;
  readonly maxScriptBytes: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = Object.freeze({
  timeoutMs: 20_000,
  settleMs: 1_500,
  maxBytes: 20 * 1024 * 1024,
  maxRequests: 300,
  maxScriptBytes: 2 * 1024 * 1024,
});

export interface RendererOptions {
  readonly guard: SsrfGuard;
  readonly executablePath?: string;
  readonly limits?: Partial<RenderLimits>;
  /** Event time source for `fetchedAt` (defaults to the clock: a render is itself the event). */
  readonly now?: () => string;
}

export interface RenderRequest {
  readonly userAgent?: string;
  readonly referer?: string;
}

// Flags: no sandbox (containers lack user namespaces; isolation comes from the proxy and a fresh
// context), no QUIC (UDP would bypass the proxy), no WebRTC leaks, nothing phoning home. The browser
// tests launch Chromium with the same flags (test/browser/browser.ts).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--proxy-bypass-list=<-loopback>',
];

const MAX_CONSOLE = 200;
const MAX_SCRIPT = 512 * 1024;

function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return `${u.hostname.replace(/^\[|\]$/g, '')}:${port}`;
  } catch {
    return undefined;
  }
}

export class PageRenderer {
  readonly #browser: Browser;
  readonly #guard: SsrfGuard;
  readonly #limits: RenderLimits;
  readonly #now: () => string;

  private constructor(browser: Browser, options: RendererOptions) {
    this.#browser = browser;
    this.#guard = options.guard;
    this.#limits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
    this.#now = options.now ?? (() => new Date().toISOString());
  }

  static async launch(options: RendererOptions): Promise<PageRenderer> {
    const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
    if (!existsSync(executablePath)) {
      throw new CrawlError('BROWSER_UNAVAILABLE', '', `no browser at ${executablePath}`);
    }
    try {
      // Loaded on first render: importing playwright-core costs ~35 MB of heap, which every other
      // command (an ingest, a key, a migration) would otherwise carry.
      const { chromium } = await import('playwright-core');
      // The launch-level proxy points nowhere useful: if a context ever lost its own proxy, its
      // traffic would fail instead of leaving unguarded.
      const browser = await chromium.launch({
        executablePath,
        args: CHROMIUM_ARGS,
        proxy: { server: 'http://127.0.0.1:9', bypass: '<-loopback>' },
        timeout: 30_000,
      });
      return new PageRenderer(browser, options);
    } catch (e) {
      throw new CrawlError(
        'BROWSER_UNAVAILABLE',
        '',
        `cannot start ${executablePath}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }

  async render(rawUrl: string, request: RenderRequest = {}): Promise<PageSnapshot> {
    const target = await this.#guard.pin(rawUrl);
    const limits = this.#limits;
    const session = await openProxySession(this.#guard, limits.maxBytes);
    const context = await this.#browser.newContext({
      proxy: { server: session.server, bypass: '<-loopback>' },
      ignoreHTTPSErrors: true,
      serviceWorkers: 'block',
      acceptDownloads: false,
      viewport: { width: 1280, height: 800 },
      ...(request.userAgent ? { userAgent: request.userAgent } : {}),
      ...(request.referer ? { extraHTTPHeaders: { referer: request.referer } } : {}),
    });
    const fetchedAt = this.#now();
    const requests: SnapshotRequest[] = [];
    const scripts: SnapshotScript[] = [];
    const consoleLines: string[] = [];
    const pending: Promise<unknown>[] = [];
    let scriptBytes = 0;
    let truncated = false;
    try {
      const page = await context.newPage();
      page.on('request', (r: Request) => {
        requests.push({ url: r.url().slice(0, 2000), method: r.method(), type: r.resourceType() });
        if (requests.length === limits.maxRequests) {
          truncated = true;
          pending.push(page.route('**/*', (route) => route.abort()).catch(() => undefined));
        }
      });
      page.on('response', (r: Response) => {
        const i = requests.findIndex((q) => q.url === r.url().slice(0, 2000) && q.status === undefined);
        if (i >= 0) requests[i] = { ...(requests[i] as SnapshotRequest), status: r.status() };
        if (r.request().resourceType() !== 'script' || scriptBytes >= limits.maxScriptBytes) return;
        pending.push(
          r
            .body()
            .then((b) => {
              if (scriptBytes >= limits.maxScriptBytes) return;
              const body = b.subarray(0, MAX_SCRIPT).toString('utf8');
              scriptBytes += body.length;
              scripts.push({ url: r.url(), body });
            })
            .catch(() => undefined),
        );
      });
      page.on('console', (m) => {
        if (consoleLines.length < MAX_CONSOLE) consoleLines.push(`${m.type()}: ${m.text().slice(0, 500)}`);
      });
      page.on('dialog', (d) => d.dismiss().catch(() => undefined));

      let response: Response | null;
      try {
        response = await page.goto(target.url.href, { timeout: limits.timeoutMs, waitUntil: 'load' });
      } catch (e) {
        const refused = session.stats.refused[0];
        if (refused && requests.length <= 1) throw new CrawlError('SSRF_REFUSED', rawUrl, refused.reason);
        if (/Timeout/i.test((e as Error).message)) truncated = true;
        else
          throw new CrawlError(
            'FETCH_FAILED',
            rawUrl,
            `render of ${rawUrl} failed: ${(e as Error).message}`,
            { cause: e },
          );
        response = null;
      }
      const chain: string[] = [];
      for (let r = response?.request().redirectedFrom(); r; r = r.redirectedFrom()) chain.unshift(r.url());
      // The proxy answers a refused main-document hop itself; that is a refusal, not the page.
      const refusedHop = [...chain, response?.url() ?? page.url()].find((u) => {
        const hp = hostPort(u);
        return hp !== undefined && session.stats.refused.some((r) => r.host === hp);
      });
      if (refusedHop) {
        const reason =
          session.stats.refused.find((r) => r.host === hostPort(refusedHop))?.reason ?? 'refused';
        throw new CrawlError('SSRF_REFUSED', rawUrl, reason);
      }
      await page.waitForLoadState('networkidle', { timeout: limits.settleMs }).catch(() => undefined);
      const html = await page.content().catch(() => '');
      const screenshot = await page.screenshot({ type: 'png', timeout: 5_000 }).catch(() => undefined);
      const finalUrl = page.url();
      // A string expression: this module is compiled without DOM types.
      const iconHref = String(
        await page.evaluate(`document.querySelector('link[rel~="icon"]')?.href ?? ''`).catch(() => ''),
      );
      await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 2_000))]);
      const favicon = await this.#favicon(iconHref || new URL('/favicon.ico', finalUrl).href);
      // Hashed once at capture: the store keeps the hashes and every analysis reads them.
      const imageHashes = imageHashesOf({
        ...(screenshot ? { screenshot } : {}),
        ...(favicon ? { favicon } : {}),
      });
      return {
        url: rawUrl,
        finalUrl,
        fetchedAt,
        mode: 'render',
        ...(response ? { status: response.status() } : {}),
        headers: response ? await response.allHeaders().catch(() => ({})) : {},
        redirectChain: chain,
        html,
        scripts,
        requests,
        console: consoleLines,
        ...(screenshot ? { screenshot } : {}),
        ...(favicon ? { favicon } : {}),
        ...(imageHashes ? { imageHashes } : {}),
        ...(truncated || session.stats.exhausted ? { truncated: true } : {}),
      };
    } finally {
      await context.close().catch(() => undefined);
      await session.close();
    }
  }

  async #favicon(url: string): Promise<Buffer | undefined> {
    if (!/^https?:/.test(url)) return undefined;
    try {
      const r = await plainFetch(url, {
        guard: this.#guard,
        limits: { timeoutMs: 5_000, maxBytes: 256 * 1024, maxRedirects: 3 },
      });
      return r.status === 200 && r.body.length > 0 && !r.truncated ? r.body : undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.#browser.close().catch(() => undefined);
  }
}
