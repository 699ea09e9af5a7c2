/**
 * Typed failures of the crawl stage. Callers branch on `code`; the message names the URL and the limit.
 * @module
 */

export const CRAWL_ERROR_CODES = {
  /** The URL is not an absolute http(s) URL. */
  BAD_URL: 'the URL cannot be crawled',
  /** The SSRF guard refused the target (private, loopback, metadata, … address). */
  SSRF_REFUSED: 'the target address is not public',
  /** The name did not resolve. */
  DNS_FAILED: 'the name did not resolve',
  /** More redirects than allowed. */
  TOO_MANY_REDIRECTS: 'too many redirects',
  /** The time budget ran out. */
  TIMEOUT: 'the crawl took too long',
  /** Connection or protocol failure. */
  FETCH_FAILED: 'the page could not be fetched',
  /** The browser could not be started or crashed. */
  BROWSER_UNAVAILABLE: 'the browser is unavailable',
} as const;

export type CrawlErrorCode = keyof typeof CRAWL_ERROR_CODES;

export class CrawlError extends Error {
  readonly code: CrawlErrorCode;
  readonly url: string;

  constructor(code: CrawlErrorCode, url: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrawlError';
    this.code = code;
    this.url = url;
  }
}

export const isCrawlError = (e: unknown): e is CrawlError => e instanceof CrawlError;
