/**
 * Where RDAP enrichment finds its servers: the IANA bootstrap files (RFC 9224), read from a URL
 * (bounded like every lookup) or a file. Domains default to IANA's live `dns.json`; IP networks
 * default to the copies of `ipv4.json` and `ipv6.json` shipped in `data/rdap/` (data/SOURCE.md), which
 * change rarely (a new block for a registry every few years), so IP enrichment works without asking
 * IANA first.
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageFile } from '../correlate/package-file.js';
import { PrecursorError } from '../domain/index.js';
import { type IpRdapBootstrap, parseIpRdapBootstrap } from '../ingest/enrich/rdap-ip.js';
import { politeGetJson, type RetryPolicy } from '../ingest/sources/ct/polite-fetch.js';

export const IANA_DNS_BOOTSTRAP = 'https://data.iana.org/rdap/dns.json';

/** The shipped IANA IP bootstrap files. */
export const shippedIpBootstrap = (family: 'ipv4' | 'ipv6'): string =>
  packageFile('data', 'rdap', `${family}.json`);

/** A bootstrap file's JSON; `label` names the option it came from in errors (`--bootstrap`). */
export async function readRdapBootstrap(
  src: string,
  cwd: string,
  signal: AbortSignal,
  retry: RetryPolicy,
  label: string,
): Promise<unknown> {
  if (/^https?:\/\//.test(src)) return politeGetJson(src, signal, retry);
  const text = readFileSync(resolve(cwd, src), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PrecursorError('VALIDATION_FAILED', `${label} ${src}: not JSON: ${(e as Error).message}`);
  }
}

/** The IP bootstrap table from the IPv4 and IPv6 files given (the shipped ones by default). */
export async function loadIpRdapBootstrap(
  files: { readonly ipv4?: string | undefined; readonly ipv6?: string | undefined },
  cwd: string,
  signal: AbortSignal,
  retry: RetryPolicy,
  label: (family: 'ipv4' | 'ipv6') => string,
): Promise<IpRdapBootstrap> {
  const v4 = files.ipv4 ?? shippedIpBootstrap('ipv4');
  const v6 = files.ipv6 ?? shippedIpBootstrap('ipv6');
  return parseIpRdapBootstrap(
    await readRdapBootstrap(v4, cwd, signal, retry, label('ipv4')),
    await readRdapBootstrap(v6, cwd, signal, retry, label('ipv6')),
  );
}
