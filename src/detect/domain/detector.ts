/**
 * The domain engine as a pipeline detector for `domain` entities. The registration date, once RDAP
 * enrichment has stored it as `attrs.registeredAt`, adds the new/old-registration signals. A name the
 * engine gives a score and a brand is also looked up in its neighbourhood: a certificate that names it
 * together with that brand's own domain is ownership evidence (co-named.ts).
 * @module
 */
import type { Link, Signal } from '../../domain/index.js';
import type { DetectContext, DetectSubject, SignalDetector } from '../detector.js';
import { type CertificateFacts, ownershipEvidence } from './co-named.js';
import type { DomainEngine, DomainScore } from './engine.js';

/** Certificates of one name read for ownership evidence, the latest first. */
const MAX_CERTIFICATES = 32;

export interface DomainDetectorOptions {
  /**
   * Read a scored name's certificates for ownership evidence (default true). Without, the detector
   * judges the name alone and answers synchronously: whether a certificate matters to anything
   * (detect-stage.ts) comes out the same, since a name the evidence clears had a score to clear and
   * the signal cites the certificate.
   */
  readonly certificates?: boolean;
}

export function createDomainDetector(
  engine: DomainEngine,
  options: DomainDetectorOptions = {},
): SignalDetector {
  const certificates = options.certificates ?? true;
  const owners = ownershipEvidence(engine);

  /** The co-naming signal of the name's certificates, from the latest that is evidence; or undefined. */
  const coNamed = async (
    r: DomainScore,
    subject: DetectSubject,
    ctx: DetectContext,
  ): Promise<Signal | undefined> => {
    const certs: Link[] = [];
    for (const l of await ctx.links(subject.key))
      if (l.pivot === 'cert-name' && l.to === subject.key && l.from.startsWith('cert:')) certs.push(l);
    certs.sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
    const registeredAt = subject.attrs.registeredAt;
    const facts = typeof registeredAt === 'string' ? { now: ctx.now, registeredAt } : { now: ctx.now };
    for (const l of certs.slice(0, MAX_CERTIFICATES)) {
      const cert = certificateFacts(l.from, (await ctx.entity(l.from))?.attrs);
      const s = cert && owners.fromCertificate(r, cert, facts);
      if (s) return s;
    }
    return undefined;
  };

  return {
    id: 'domain',
    entityTypes: ['domain'],
    detect(subject, ctx): readonly Signal[] | Promise<readonly Signal[]> {
      const name = subject.key.slice(subject.key.indexOf(':') + 1);
      const registeredAt = subject.attrs.registeredAt;
      const r = engine.score(name, typeof registeredAt === 'string' ? { registeredAt, now: ctx.now } : {});
      if (!r.ok) {
        // Weight 0: the name is unusable for this detector, which is worth seeing but proves nothing.
        return [
          {
            id: 'domain.invalid',
            detector: 'domain',
            weight: 0,
            detail: `${name}: ${r.reason}`,
            evidence: [],
          },
        ];
      }
      const signals: Signal[] = r.signals.map((s) => ({
        ...s,
        evidence: [{ kind: 'entity', key: subject.key }],
      }));
      // Only a name with something to clear is looked up (most names in a feed have no score), and only
      // one a certificate has named: extraction marks those (`lastCertAt`), so the names tenants attach
      // and crawls find, which no certificate names, skip a read of the graph per name.
      if (!certificates || r.score === 0 || r.brand === null || subject.attrs.lastCertAt === undefined)
        return signals;
      return coNamed(r, subject, ctx).then((s) => (s ? [...signals, s] : signals));
    },
  };
}

function certificateFacts(
  key: CertificateFacts['key'],
  attrs: Readonly<Record<string, unknown>> | undefined,
): CertificateFacts | undefined {
  const names = attrs?.names;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return undefined;
  const { notBefore, notAfter } = attrs as { notBefore?: unknown; notAfter?: unknown };
  return {
    key,
    names,
    ...(typeof notBefore === 'string' ? { notBefore } : {}),
    ...(typeof notAfter === 'string' ? { notAfter } : {}),
  };
}
