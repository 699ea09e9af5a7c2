/**
 * Small URL helpers shared by the analyzers; all total (bad input gives '' or undefined, never throws).
 * @module
 */
import { getDomain } from 'tldts';

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Registrable domain (`login.example.co.uk` → `example.co.uk`); the host itself for IPs and unknowns. */
export function siteOf(host: string): string {
  if (!host) return '';
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** True when `host` is `domain` or a subdomain of it. */
export const hostWithin = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** Cuts a matched string to something safe to show and store. */
export const excerpt = (s: string, max = 120): string => (s.length > max ? `${s.slice(0, max)}…` : s);
