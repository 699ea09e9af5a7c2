/**
 * What each kind of observation says about the world: the entities it mentions and how they relate.
 * One pure function per kind, in one exhaustive map (a new kind does not compile until it has one).
 * Every link's strength comes from the pivot model (`src/correlate/pivots.ts`); the app builds the
 * extractor with the configured model and identity rules (`createExtractor`).
 * @module
 */
import { domainToUnicode } from 'node:url';
import type {
  EntityKey,
  Extraction,
  Observation,
  ObservationKind,
  ObservationPayloads,
} from '../domain/index.js';
import { DEFAULT_IDENTITY_CONFIG, type IdentityConfig } from '../correlate/identity/identity.js';
import { DEFAULT_PIVOTS, type PivotModel } from '../correlate/pivots.js';
import { canonicalHost } from './canonical-host.js';
import { extractTenantEvent } from './sources/tenant/tenant-extract.js';
import { extractTransaction } from './sources/transactions/transaction-extract.js';

type Extractor<K extends ObservationKind> = (
  payload: ObservationPayloads[K],
  o: Observation<K>,
) => Extraction;

const EMPTY: Extraction = { entities: [], links: [] };

/** Lower-case ASCII host names without an A-label: their Unicode form is themselves. */
const PLAIN = /^[a-z0-9._-]*$/;

const domainEntity = (name: string, attrs?: Record<string, unknown>) => {
  const key = `domain:${name}` as EntityKey;
  // ICU's UTS #46 mapping was a third of certificate extraction; it can change only a name with an
  // A-label (`xn--`) or a character outside lower-case LDH (extract.test.ts checks they agree).
  const unicode = PLAIN.test(name) && !name.includes('xn--') ? name : domainToUnicode(name) || name;
  return {
    key,
    type: 'domain' as const,
    display: unicode,
    attrs: { ...(unicode !== name ? { unicode } : {}), ...attrs },
  };
};

type CertificatePayload = ObservationPayloads['certificate'];

const certKey = (p: CertificatePayload) => `cert:sha256:${p.sha256}` as EntityKey;

/** A certificate's names as entity names: canonical, each once, in order; a bad one left out. */
function certificateNames(p: CertificatePayload): string[] {
  const out = new Set<string>();
  for (const n of p.names) {
    const h = canonicalHost(n);
    if (h.ok) out.add(h.ascii);
  }
  return [...out];
}

/**
 * The keys of the entities the extractor gives for `o`, without building them (displays, attributes,
 * links): a cheap test of whether an observation touches a set of keys before extracting it in full.
 * Undefined for a kind that has no such shortcut (extract it instead).
 */
export function mentionedKeys(o: Observation): EntityKey[] | undefined {
  if (o.kind !== 'certificate') return undefined;
  const p = o.payload as CertificatePayload;
  const keys = [certKey(p)];
  for (const n of certificateNames(p)) keys.push(`domain:${n}` as EntityKey);
  return keys;
}

export type Extractors = { readonly [K in ObservationKind]: Extractor<K> };

export interface ExtractorOptions {
  readonly pivots?: PivotModel;
  /** The identity rules of tenant events (`detectors.tenant.identity`), as the tenant detectors use them. */
  readonly identity?: IdentityConfig;
}

/** The extractor of every kind, with link strengths from `pivots`. */
export function extractorsFor(options: ExtractorOptions = {}): Extractors {
  const pivots = options.pivots ?? DEFAULT_PIVOTS;
  const identity = options.identity ?? DEFAULT_IDENTITY_CONFIG;
  return {
    domain: (p) => ({ entities: [domainEntity(p.name)], links: [] }),

    url: (p) => {
      const url = new URL(p.url);
      const host = canonicalHost(url.hostname);
      const u = {
        key: `url:${p.url}` as EntityKey,
        type: 'url' as const,
        display: p.url,
        attrs: { host: url.hostname },
      };
      if (!host.ok) return { entities: [u], links: [] };
      const d = domainEntity(host.ascii);
      return {
        entities: [u, d],
        links: [{ from: d.key, to: u.key, pivot: 'hosts', strength: pivots.strength('hosts') }],
      };
    },

    certificate: (p) => {
      const cert = {
        key: certKey(p),
        type: 'cert' as const,
        display: `${p.subject ?? p.names[0] ?? p.sha256.slice(0, 16)} (${p.issuer ?? 'unknown issuer'})`,
        attrs: {
          issuer: p.issuer,
          serial: p.serial,
          notBefore: p.notBefore,
          notAfter: p.notAfter,
          names: p.names.slice(0, 100),
          precert: p.precert,
        },
      };
      const names = certificateNames(p);
      // A certificate for hundreds of names (a CDN's shared cert) says little about any pair of them.
      const strength = pivots.sharedStrength('cert-name', names.length);
      const domains = names.map((n) => domainEntity(n, { lastCertAt: p.notBefore }));
      return {
        entities: [cert, ...domains],
        links: domains.map((d) => ({ from: cert.key, to: d.key, pivot: 'cert-name' as const, strength })),
      };
    },

    delegation: (p) => {
      const d = domainEntity(p.name, { delegation: p.change, zone: p.zone });
      const ns = p.ns.flatMap((n) => {
        const h = canonicalHost(n);
        return h.ok ? [{ key: `ns:${h.ascii}` as EntityKey, type: 'ns' as const, display: h.unicode }] : [];
      });
      return {
        entities: [d, ...ns],
        links:
          p.change === 'removed'
            ? []
            : ns.map((n) => ({
                from: d.key,
                to: n.key,
                pivot: 'uses-ns' as const,
                strength: pivots.strength('uses-ns'),
              })),
      };
    },

    'tenant-event': (p) => extractTenantEvent(p.event, identity, pivots),

    transaction: (p) => extractTransaction(p, pivots),

    snapshot: (p) => {
      const s = {
        key: `snapshot:sha256:${p.sha256}` as EntityKey,
        type: 'snapshot' as const,
        display: p.finalUrl,
        attrs: { url: p.url, finalUrl: p.finalUrl, status: p.status },
      };
      const u = { key: `url:${p.url}` as EntityKey, type: 'url' as const, display: p.url };
      const entities: Extraction['entities'][number][] = [s, u];
      const links: Extraction['links'][number][] = [
        { from: s.key, to: u.key, pivot: 'snapshot-of', strength: pivots.strength('snapshot-of') },
      ];
      const host = (() => {
        try {
          return canonicalHost(new URL(p.finalUrl).hostname);
        } catch {
          return undefined;
        }
      })();
      if (host?.ok) {
        const d = domainEntity(host.ascii);
        entities.push(d);
        links.push({ from: d.key, to: s.key, pivot: 'serves', strength: pivots.strength('serves') });
      }
      // What the page names (kits, exfiltration endpoints) is not read from the observation: the page
      // detector derives it from the stored snapshot each time it analyses the page, so a new kit rule
      // re-links old pages on replay. (`entities`, which older crawls wrote, is ignored.)
      return { entities, links };
    },

    enrichment: (p) => {
      const i = p.entity.indexOf(':');
      const type = p.entity.slice(0, i);
      // An address's network facts (IP RDAP: range, registrant, abuse contact) are its attributes.
      if (type === 'ip')
        return {
          entities: [{ key: p.entity, type: 'ip', display: p.entity.slice(i + 1), attrs: p.facts }],
          links: [],
        };
      if (type !== 'domain') return EMPTY;
      const d = domainEntity(p.entity.slice(i + 1), p.facts);
      // DNS answers relate the name to its addresses and name servers (the correlate stage's pivots).
      const dns = (p.facts.dns ?? {}) as { a?: unknown; aaaa?: unknown; ns?: unknown };
      const strings = (v: unknown): string[] =>
        Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      const ips = [...strings(dns.a), ...strings(dns.aaaa)].map((ip) => ({
        key: `ip:${ip}` as EntityKey,
        type: 'ip' as const,
        display: ip,
      }));
      const ns = strings(dns.ns).flatMap((n) => {
        const h = canonicalHost(n);
        return h.ok ? [{ key: `ns:${h.ascii}` as EntityKey, type: 'ns' as const, display: h.unicode }] : [];
      });
      return {
        entities: [d, ...ips, ...ns],
        links: [
          ...ips.map((ip) => ({
            from: d.key,
            to: ip.key,
            pivot: 'resolves-to' as const,
            strength: pivots.strength('resolves-to'),
          })),
          ...ns.map((n) => ({
            from: d.key,
            to: n.key,
            pivot: 'uses-ns' as const,
            strength: pivots.strength('uses-ns'),
          })),
        ],
      };
    },
  };
}

/** An extractor of any observation, with link strengths from the given (configured) pivot model. */
export function createExtractor(options: ExtractorOptions = {}): (o: Observation) => Extraction {
  const extractors = extractorsFor(options);
  return (o) => {
    const fn = extractors[o.kind] as Extractor<ObservationKind> | undefined;
    return fn ? fn(o.payload, o) : EMPTY;
  };
}

/** The extractor with every default (tests and tools without configuration). */
export const extract: (o: Observation) => Extraction = createExtractor();
