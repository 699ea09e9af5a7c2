/**
 * CDN and edge names that carry a customer's host name (`www.example.com.edgekey.net`,
 * `example.com.cdn.cloudflare.net`): the CNAME targets every big site has. Left alone, the engine reads
 * them as a brand's domain spelled out in the subdomains of an unrelated registrable domain, its
 * strongest combination — 83% of its false flags on full host names of a popularity list. The vendor
 * issues such a name for a host its customer serves, so the name is judged as the host it carries: the
 * brand's own host is the brand's, and a lookalike carried by a CDN stays a lookalike.
 *
 * Which suffixes: the private section of the Public Suffix List (tldts), where vendors register the
 * zones they hand out, plus vendors the PSL does not list (`data/edge-suffixes.txt`) — but not the
 * shared platforms (`data/platform-suffixes.txt`), where anyone picks any label.
 * @module
 */
import { checkedNameOptions, getPublicSuffix, parseHost as parse } from './public-suffix.js';
import type { NormalizedName } from './normalize.js';

export interface EdgeSuffixes {
  readonly vendors: ReadonlySet<string>;
  readonly platforms: ReadonlySet<string>;
  /** Platforms whose buckets may be named as the host they serve (data/host-bucket-suffixes.txt). */
  readonly hostBuckets?: ReadonlySet<string>;
}

export interface CarriedHost {
  /** The customer's host name the edge name carries (`www.example.com`). */
  readonly host: string;
  /** The edge suffix (`edgekey.net`). */
  readonly suffix: string;
  /**
   * True when the name carries no host but one label, the service the vendor named after its customer
   * (`google.map.fastly.net`); `host` is then that label.
   */
  readonly service?: true;
  /** True when the host is a storage bucket's name on a shared platform (`www.example.com.s3.amazonaws.com`). */
  readonly bucket?: true;
}

/**
 * The host a name carries in front of an edge suffix, or undefined. Only names of four labels or more
 * can carry one (`a.com` in front of `edgekey.net`), which keeps the PSL look-up off most names.
 */
export function carriedHost(name: NormalizedName, edges: EdgeSuffixes): CarriedHost | undefined {
  // labels exclude the ICANN suffix: `www.example.com.edgekey.net` → www, example, com, edgekey.
  if (name.labels.length < 3) return undefined;
  const ascii = name.ascii;
  const psl = getPublicSuffix(ascii, checkedNameOptions(name.isIdn, true));
  const suffix = psl === null || psl === name.suffix ? vendorSuffix(ascii, edges.vendors) : psl;
  if (suffix === undefined) return undefined;
  const host = ascii.slice(0, ascii.length - suffix.length - 1);
  // On a shared platform the tenant picks the label; only a bucket named as a whole host carries one.
  const bucket = edges.platforms.has(suffix);
  if (bucket && (edges.hostBuckets?.has(suffix) !== true || !host.includes('.'))) return undefined;
  if (host !== '' && !host.includes('.')) return { host, suffix, service: true };
  // The carried part must be a host name with a registrable domain under a real ICANN suffix
  // (`dscx` of `e123.dscx.akamaiedge.net` is not).
  const parsed = parse(host, checkedNameOptions(name.isIdn, false));
  if (parsed.isIcann !== true || parsed.domain === null || parsed.domainWithoutSuffix === '')
    return undefined;
  return bucket ? { host, suffix, bucket: true } : { host, suffix };
}

function vendorSuffix(ascii: string, vendors: ReadonlySet<string>): string | undefined {
  for (let dot = ascii.indexOf('.'); dot >= 0; dot = ascii.indexOf('.', dot + 1)) {
    const s = ascii.slice(dot + 1);
    if (vendors.has(s)) return s;
  }
  return undefined;
}
