/**
 * The site of a name: its registrable domain by the public suffix list, private suffixes included, so
 * tenants of a platform (`x.workers.dev`, `y.pages.dev`) are sites of their own and never one site.
 * @module
 */
import { getDomain } from 'tldts';

/** The registrable domain of `host` (the host itself for IPs and names under no known suffix). */
export function siteOf(host: string): string {
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** Prefix of the shared value that ties the hosts of one site (`site:<registrable domain>`). */
export const SITE_PREFIX = 'site:';

/**
 * Strength of a host's link to its site: one registrant holds every host of a registrable domain, so
 * the tie is strong (a site with more hosts than its kind's degree cap stops conducting, as any value).
 */
export const SITE_STRENGTH = 0.9;
