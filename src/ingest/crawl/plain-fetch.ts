/**
 * Plain HTTP fetch (no JavaScript) through the SSRF guard: each hop is pinned to the address the guard
 * checked, redirects are followed by hand so every hop is checked again, and time, bytes and hops are
 * bounded. Used for speed, for differential fetches and for fetching favicons.
 * @module
 */
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { CrawlError, isCrawlError } from './crawl-error.js';
import type { PinnedTarget, SsrfGuard } from './ssrf-guard.js';

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = Object.freeze({
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 8,
});

export interface FetchOptions {
  readonly guard: SsrfGuard;
  readonly limits?: Partial<FetchLimits>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RedirectHop {
  readonly url: string;
  readonly status: number;
  readonly location: string;
}

export interface FetchResult {
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The body was cut at `maxBytes`. */
  readonly truncated: boolean;
  readonly redirects: readonly RedirectHop[];
  /** The address the final hop connected to. */
  readonly address: string;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A `lookup` that answers only with the pinned address, so undici never resolves a name itself. */
function pinnedLookup(hostname: string, address: string, family: 4 | 6): LookupFunction {
  return (host, options, callback) => {
    if (host !== hostname) {
      const err = Object.assign(new Error(`unpinned host ${host}`), { code: 'ENOTFOUND' });
      callback(err, '', 0);
      return;
    }
    if (options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    else callback(null, address, family);
  };
}

export async function plainFetch(rawUrl: string, options: FetchOptions): Promise<FetchResult> {
  const limits = { ...DEFAULT_FETCH_LIMITS, ...options.limits };
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const redirects: RedirectHop[] = [];
  let current = rawUrl;
  for (let hop = 0; ; hop++) {
    const target = await options.guard.pin(current);
    const agent = new Agent({
      connect: {
        lookup: pinnedLookup(target.hostname, target.address, target.family),
        // Phishing hosts often have broken TLS; the crawler sends nothing secret, it only looks.
        rejectUnauthorized: false,
        servername: target.hostname,
        timeout: limits.timeoutMs,
      },
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
    });
    try {
      // A name of the demo's simulated world is served over plain HTTP by its loopback server, which
      // tells the sites apart by the Host header (see `ScenarioNetwork`).
      const res = await request(target.scenario ? scenarioUrl(target) : target.url, {
        dispatcher: agent,
        method: 'GET',
        signal: deadline,
        headers: {
          'accept-encoding': 'identity',
          ...options.headers,
          ...(target.scenario ? { host: target.hostname } : {}),
        },
      });
      const headers = flattenHeaders(res.headers);
      const location = headers.location;
      if (REDIRECT.has(res.statusCode) && location) {
        await res.body.dump().catch(() => undefined);
        const next = new URL(location, target.url).href;
        redirects.push({ url: target.url.href, status: res.statusCode, location: next });
        if (hop + 1 > limits.maxRedirects) {
          throw new CrawlError('TOO_MANY_REDIRECTS', rawUrl, `more than ${limits.maxRedirects} redirects`);
        }
        current = next;
        continue;
      }
      const { body, truncated } = await readCapped(res.body, limits.maxBytes);
      return {
        url: rawUrl,
        finalUrl: target.url.href,
        status: res.statusCode,
        headers,
        body,
        truncated,
        redirects,
        address: target.address,
      };
    } catch (e) {
      if (isCrawlError(e)) throw e;
      if (deadline.aborted)
        throw new CrawlError('TIMEOUT', rawUrl, `timed out after ${limits.timeoutMs} ms`, { cause: e });
      throw new CrawlError(
        'FETCH_FAILED',
        rawUrl,
        `fetch of ${target.url.href} failed: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    } finally {
      agent.close().catch(() => undefined);
    }
  }
}

function scenarioUrl(target: PinnedTarget): URL {
  const host = target.family === 6 ? `[${target.address}]` : target.address;
  return new URL(`http://${host}:${target.port}${target.url.pathname}${target.url.search}`);
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const room = maxBytes - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        body.destroy();
        return { body: Buffer.concat(chunks, size), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (e) {
    if (size >= maxBytes) return { body: Buffer.concat(chunks, size), truncated: true };
    throw e;
  }
  return { body: Buffer.concat(chunks, size), truncated: false };
}
