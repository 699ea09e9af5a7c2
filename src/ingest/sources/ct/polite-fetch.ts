/**
 * HTTP GET with the manners a public log deserves: a timeout per attempt, retries with exponential
 * backoff and full jitter on network errors, 5xx and 429 (honouring `Retry-After`), and an abort
 * signal that interrupts both the request and the waiting. Used by the CT sources and RDAP.
 * @module
 */
import { PrecursorError } from '../../../domain/index.js';

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<Response>;

export interface RetryPolicy {
  /** Attempts after the first (default 6). */
  readonly retries?: number;
  /** First backoff in ms (default 500); doubles per attempt, with full jitter. */
  readonly baseDelayMs?: number;
  /** Cap on one wait, including a server's `Retry-After` (default 60,000). */
  readonly maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 30,000). */
  readonly timeoutMs?: number;
  /**
   * Largest response body read, in bytes (default 64 MiB): an upstream that streams without end
   * (or a hostile one) must not fill the process's memory. Over it the request fails, not retried.
   */
  readonly maxBodyBytes?: number;
  /** Injected for tests; defaults to the global (undici) fetch. */
  readonly fetch?: FetchLike;
  /** Told about each retry (status or error, and the wait), for logs and tests. */
  readonly onRetry?: (info: { url: string; attempt: number; reason: string; waitMs: number }) => void;
}

export const DEFAULT_RETRY: Required<Omit<RetryPolicy, 'fetch' | 'onRetry'>> = {
  retries: 6,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
  maxBodyBytes: 64 * 1024 * 1024,
};

/**
 * Reads a response body, refusing one over `limit` bytes — by its `Content-Length` before reading,
 * and by counting while it streams (a length may be absent or false). Throws a non-retryable
 * `SOURCE_FAILED`: the same URL would send the same oversized body again.
 */
export async function readBodyCapped(res: Response, url: string, limit: number): Promise<Uint8Array> {
  const tooLarge = (seen: string): PrecursorError =>
    new PrecursorError('SOURCE_FAILED', `GET ${url} failed: body larger than ${limit} bytes (${seen})`, {
      details: { url, limit },
    });
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(`Content-Length ${declared}`);
  }
  if (res.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge('while reading');
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Spaces requests to each host at least `minIntervalMs` apart: the returned function resolves when
 * the caller's turn comes (RDAP servers rate-limit per client, and their terms ask for it).
 */
export function hostThrottle(minIntervalMs: number): (host: string, signal: AbortSignal) => Promise<void> {
  const nextSlot = new Map<string, number>();
  return async (host, signal) => {
    const now = Date.now();
    const at = Math.max(now, nextSlot.get(host) ?? 0);
    nextSlot.set(host, at + minIntervalMs);
    if (at > now) await sleep(at - now, signal);
  };
}

function retryAfterMs(h: string | null): number | undefined {
  if (h === null) return undefined;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const d = Date.parse(h);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

const RETRYABLE = (status: number): boolean => status === 429 || status === 408 || status >= 500;

/** A body that arrived but cannot be used (cut short, not JSON): retried like a 5xx. */
export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';
}

/**
 * GETs `url` and returns `read(response)` of the first successful attempt; `read` runs inside the
 * attempt, so a body cut short or rejected by `read` (throwing `BadBodyError`) is retried too.
 * Throws `PrecursorError('SOURCE_FAILED')` for a non-retryable status or when retries are exhausted,
 * and the signal's reason when aborted.
 */
export async function politeGet<T>(
  url: string,
  signal: AbortSignal,
  policy: RetryPolicy,
  read: (res: Response) => Promise<T>,
  headers: Record<string, string> = {},
): Promise<T> {
  const p = { ...DEFAULT_RETRY, ...policy };
  const doFetch: FetchLike = policy.fetch ?? ((u, init) => fetch(u, init));
  let lastReason = '';
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(p.timeoutMs);
    let serverWait: number | undefined;
    try {
      const res = await doFetch(url, { signal: AbortSignal.any([signal, timeout]), headers });
      if (res.ok) return await read(res);
      await res.body?.cancel().catch(() => {});
      lastReason = `HTTP ${res.status}`;
      if (!RETRYABLE(res.status)) {
        throw new PrecursorError('SOURCE_FAILED', `GET ${url} failed: ${lastReason}`, {
          details: { url, status: res.status },
        });
      }
      serverWait = retryAfterMs(res.headers.get('retry-after'));
    } catch (e) {
      if (e instanceof PrecursorError) throw e;
      if (signal.aborted) throw signal.reason;
      lastReason = timeout.aborted
        ? `timed out after ${p.timeoutMs} ms`
        : e instanceof Error
          ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`
          : String(e);
    }
    if (attempt >= p.retries) {
      throw new PrecursorError(
        'SOURCE_FAILED',
        `GET ${url} failed after ${attempt + 1} attempts: ${lastReason}`,
        {
          details: { url, attempts: attempt + 1 },
        },
      );
    }
    const backoff = Math.random() * Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt);
    const waitMs = Math.min(p.maxDelayMs, serverWait ?? backoff);
    policy.onRetry?.({ url, attempt: attempt + 1, reason: lastReason, waitMs });
    await sleep(waitMs, signal);
  }
}

/** GET and parse JSON; a body that is not JSON counts as a failed attempt of the upstream. */
export function politeGetJson(url: string, signal: AbortSignal, policy: RetryPolicy = {}): Promise<unknown> {
  return politeGet(
    url,
    signal,
    policy,
    async (res) => {
      const text = new TextDecoder().decode(
        await readBodyCapped(res, url, policy.maxBodyBytes ?? DEFAULT_RETRY.maxBodyBytes),
      );
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new BadBodyError(`body is not JSON: ${(e as Error).message}`);
      }
    },
    { accept: 'application/json' },
  );
}

/** GET the body as bytes (gzip `Content-Encoding` is undone by fetch). */
export function politeGetBytes(
  url: string,
  signal: AbortSignal,
  policy: RetryPolicy = {},
): Promise<Uint8Array> {
  const limit = policy.maxBodyBytes ?? DEFAULT_RETRY.maxBodyBytes;
  return politeGet(url, signal, policy, (res) => readBodyCapped(res, url, limit), {
    'accept-encoding': 'gzip, identity',
  });
}
