/**
 * Small URL helpers shared by the analyzers; all total (bad input gives '' or undefined, never throws).
 * @module
 */
import { getDomain } from 'tldts';

/**
 * One parse per URL: the analyzers ask for the host and path of the same few hundred URLs of a page
 * a dozen times over (and pages share CDN hosts), and WHATWG URL parsing plus the public-suffix look-up
 * were a tenth of the analysis time of a small page. Bounded memos, cleared when full; results are
 * pure functions of the input, so the memo changes nothing but the time.
 */
const MEMO_MAX = 8192;
const MEMO_KEY_MAX = 2048;
const parsedUrls = new Map<string, { host: string; path: string }>();
const sites = new Map<string, string>();

function parsed(url: string): { host: string; path: string } {
  let p = parsedUrls.get(url);
  if (p) return p;
  try {
    const u = new URL(url);
    p = { host: u.hostname.toLowerCase(), path: u.pathname };
  } catch {
    p = { host: '', path: '' };
  }
  if (url.length > MEMO_KEY_MAX) return p; // keep the memo small: long URLs are rare and unshared
  if (parsedUrls.size >= MEMO_MAX) parsedUrls.clear();
  parsedUrls.set(url, p);
  return p;
}

export function hostOf(url: string): string {
  return parsed(url).host;
}

/** Registrable domain (`login.example.co.uk` → `example.co.uk`); the host itself for IPs and unknowns. */
export function siteOf(host: string): string {
  if (!host) return '';
  let site = sites.get(host);
  if (site === undefined) {
    site = getDomain(host, { allowPrivateDomains: true }) ?? host;
    if (sites.size >= MEMO_MAX) sites.clear();
    sites.set(host, site);
  }
  return site;
}

/** True when `host` is `domain` or a subdomain of it. */
export const hostWithin = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);

export function pathOf(url: string): string {
  return parsed(url).path;
}

/** Cuts a matched string to something safe to show and store. */
export const excerpt = (s: string, max = 120): string => (s.length > max ? `${s.slice(0, max)}…` : s);
