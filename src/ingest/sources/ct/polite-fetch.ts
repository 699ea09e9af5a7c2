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
};

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
      const text = await res.text();
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
  return politeGet(url, signal, policy, async (res) => new Uint8Array(await res.arrayBuffer()), {
    'accept-encoding': 'gzip, identity',
  });
}
