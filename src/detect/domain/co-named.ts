/**
 * Ownership evidence from certificates: a name that shares a certificate with a brand's own domain is
 * the brand's. A CA validates control of every name on a certificate (domain validation), so whoever
 * holds one naming `yahoo.co.jp` and `yahoo-net.jp` controls both; a phisher cannot get the brand's
 * own domain put on theirs. The name-alone verdict of a brand's secondary and country domains
 * (`yahoo-net.jp` reads as a URL mimic of Yahoo) is then cleared, and says why.
 *
 * Where that argument fails, the evidence is not taken:
 * - An intermediary validated the names for several customers: a CDN's or host's shared certificate
 *   (the old shared SNI certificates held dozens of unrelated sites). Taken only when the brand's own
 *   registrable domains on the certificate are at least as many as the others, and the others at most
 *   `coNaming.maxForeignDomains`; a certificate with a name under a shared platform, a CDN/edge
 *   suffix or the Public Suffix List's private section is an intermediary's and never counts.
 * - A subdomain of the brand taken over (a dangling CNAME to a cloud app anyone can claim) lets a
 *   stranger validate `promo.brand.com`: only the brand's registrable domain itself, its `www` host or
 *   a wildcard over it (validated through the zone) anchors the evidence.
 * - The name changed hands: a certificate that expired before the judging time, or that was issued
 *   before the name's current registration (RDAP `registeredAt`), says nothing of its holder now.
 * - Only the brand the name reads as counts, by the exact domains of its profile (not `brand.*`
 *   any-suffix labels, which approximate a portfolio).
 * @module
 */
import type { EntityKey, Signal } from '../../domain/index.js';
import type { BrandProfile } from './brand-profiles.js';
import type { DomainEngine, DomainScore } from './engine.js';
import { normalizeHost } from './normalize.js';
import { checkedNameOptions, parseHost } from './public-suffix.js';
import { DOMAIN_SIGNALS as S } from './signal-ids.js';

/** What a certificate says that the evidence needs (a `cert` entity's attributes). */
export interface CertificateFacts {
  readonly key: EntityKey;
  /** The names on the certificate as issued (the `cert` entity keeps the first 100). */
  readonly names: readonly string[];
  readonly notBefore?: string;
  readonly notAfter?: string;
}

/** The certificate entity keeps this many names: a list that long may have been cut. */
export const STORED_CERT_NAMES = 100;

export interface OwnershipEvidence {
  /**
   * The signal a certificate gives `score`'s name, or undefined when it is no evidence. `now` is the
   * judging time; `registeredAt` the name's registration time (RDAP), when known.
   */
  fromCertificate(
    score: DomainScore,
    cert: CertificateFacts,
    facts: { readonly now: string; readonly registeredAt?: string },
  ): Signal | undefined;
}

/** Whether instant `a` is known to lie before instant `b` (ISO 8601; false when either is unknown). */
function before(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isFinite(x) && Number.isFinite(y) && x < y;
}

/**
 * Whether some name on the certificate lies outside `registrable` (most certificates name one domain
 * and its `www`: no other domain, no evidence, and no name to parse).
 */
function namesOther(names: readonly string[], registrable: string): boolean {
  for (const raw of names) {
    const n = raw.startsWith('*.') ? raw.slice(2) : raw;
    if (n.length === registrable.length ? n !== registrable : !n.endsWith(`.${registrable}`)) return true;
  }
  return false;
}

export function ownershipEvidence(engine: DomainEngine): OwnershipEvidence {
  const { index, config } = engine;
  const weight = config.weights.brandCoNamed;
  const maxForeign = config.coNaming.maxForeignDomains;
  const profiles = new Map<string, BrandProfile>();
  for (const p of index.profiles) if (!profiles.has(p.id)) profiles.set(p.id, p);
  const owned = new Map<string, ReadonlySet<string>>();
  const ownedBy = (brandId: string): ReadonlySet<string> => {
    let set = owned.get(brandId);
    if (set === undefined) {
      set = new Set(profiles.get(brandId)?.official ?? []);
      owned.set(brandId, set);
    }
    return set;
  };
  const vocabulary = index.vocabulary;
  const shared = new Set([...vocabulary.platformSuffixes, ...(vocabulary.edgeSuffixes ?? [])]);

  /** Whether a normalised name lies under a suffix intermediaries hand out names under. */
  const intermediary = (ascii: string, isIdn: boolean): boolean => {
    if (parseHost(ascii, checkedNameOptions(isIdn, true)).isPrivate === true) return true;
    for (let dot = ascii.indexOf('.'); dot >= 0; dot = ascii.indexOf('.', dot + 1))
      if (shared.has(ascii.slice(dot + 1))) return true;
    return false;
  };

  return {
    fromCertificate(score, cert, facts) {
      if (weight === 0 || score.brand === null) return undefined;
      if (cert.names.length === 0 || cert.names.length >= STORED_CERT_NAMES) return undefined;
      if (before(cert.notAfter, facts.now) || before(cert.notBefore, facts.registeredAt)) return undefined;
      const portfolio = ownedBy(score.brand.id);
      if (portfolio.has(score.registrable) || !namesOther(cert.names, score.registrable)) return undefined;
      const mine = new Set<string>();
      const foreign = new Set<string>();
      let anchor: string | undefined;
      for (const raw of cert.names) {
        const n = normalizeHost(raw.trim().toLowerCase());
        if (!n.ok) continue;
        if (intermediary(n.ascii, n.isIdn)) return undefined;
        if (!portfolio.has(n.registrable)) {
          foreign.add(n.registrable);
          continue;
        }
        mine.add(n.registrable);
        if (n.ascii === n.registrable || n.ascii === `www.${n.registrable}`) anchor ??= n.registrable;
      }
      if (anchor === undefined || !foreign.has(score.registrable)) return undefined;
      if (foreign.size > mine.size || foreign.size > maxForeign) return undefined;
      const on = `${mine.size + foreign.size} registrable domain${mine.size + foreign.size > 1 ? 's' : ''}`;
      return {
        id: S.brandCoNamed,
        detector: 'domain',
        weight,
        detail: `named on one certificate with ${anchor}, which ${score.brand.name} owns (${on} on it; a CA checks control of every name on a certificate, so its holder controls both)`,
        evidence: [
          { kind: 'entity', key: `domain:${score.domain}` },
          { kind: 'entity', key: cert.key },
          { kind: 'entity', key: `domain:${anchor}` },
        ],
      };
    },
  };
}
