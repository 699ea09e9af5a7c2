import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EntityKey } from '../../domain/index.js';
import type { DetectContext } from '../detector.js';
import { loadBrandProfiles } from './brand-profiles.js';
import { type CertificateFacts, type OwnershipEvidence, ownershipEvidence } from './co-named.js';
import { createDomainDetector } from './detector.js';
import { createDomainEngine, type DomainEngine, type DomainScore } from './engine.js';
import { defaultBrandsDir } from './package-paths.js';

let engine: DomainEngine;
let evidence: OwnershipEvidence;
before(() => {
  engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
  evidence = ownershipEvidence(engine);
});

const NOW = '2026-03-10T00:00:00Z';
const scored = (name: string): DomainScore => {
  const r = engine.score(name);
  assert.ok(r.ok && r.score > 0 && r.brand, name);
  return r;
};
const cert = (names: string[], more: Partial<CertificateFacts> = {}): CertificateFacts => ({
  key: 'cert:sha256:aa' as EntityKey,
  names,
  notBefore: '2026-03-01T00:00:00Z',
  notAfter: '2026-05-30T00:00:00Z',
  ...more,
});
const judge = (name: string, c: CertificateFacts, registeredAt?: string) =>
  evidence.fromCertificate(scored(name), c, registeredAt ? { now: NOW, registeredAt } : { now: NOW });

describe('ownership evidence from certificates', () => {
  it("clears a name a certificate names together with the brand's own domain, and says why", () => {
    const s = judge(
      'yahoo-net.jp',
      cert(['yahoo.co.jp', 'www.yahoo.co.jp', 'yahoo-net.jp', 'www.yahoo-net.jp']),
    );
    assert.ok(s, 'evidence');
    assert.equal(s.id, 'domain.brand-co-named');
    assert.equal(s.weight, -100);
    assert.match(s.detail, /named on one certificate with yahoo\.co\.jp, which Yahoo/);
    assert.deepEqual(
      s.evidence.map((e) => (e.kind === 'entity' ? e.key : '')),
      ['domain:yahoo-net.jp', 'cert:sha256:aa', 'domain:yahoo.co.jp'],
    );
    // A subdomain of the name on the certificate is the same name; a wildcard over the brand's zone anchors.
    assert.ok(judge('www.yahoo-net.jp', cert(['*.yahoo.co.jp', 'www.yahoo-net.jp'])));
  });

  it("takes no shared certificate: the brand's domains must be at least as many as the others, and few", () => {
    // An old CDN shared certificate: the CDN's own name, the brand and another customer.
    assert.equal(
      judge('yahoo-net.jp', cert(['sni1234.cdnshared.com', 'yahoo.co.jp', 'yahoo-net.jp'])),
      undefined,
    );
    const customers = Array.from({ length: 40 }, (_, i) => `customer${i}.com`);
    assert.equal(
      judge('yahoo-net.jp', cert(['yahoo.co.jp', 'yahoo.com', 'yahoo.fr', 'yahoo-net.jp', ...customers])),
      undefined,
    );
    // Four of the brand's own beside four others is still too many others.
    assert.equal(
      judge(
        'yahoo-net.jp',
        cert([
          'yahoo.co.jp',
          'yahoo.com',
          'yahoo.fr',
          'yahoo.de',
          'yahoo-net.jp',
          'a1.com',
          'a2.com',
          'a3.com',
        ]),
      ),
      undefined,
    );
    assert.ok(judge('yahoo-net.jp', cert(['yahoo.co.jp', 'yahoo.com', 'yahoo-net.jp', 'yahoo-jp.net'])));
  });

  it("takes no certificate with a name under a CDN, edge or shared-platform suffix (an intermediary's)", () => {
    assert.ok(judge('yahoo-net.jp', cert(['yahoo.co.jp', 'yahoo.com', 'yahoo-net.jp'])));
    for (const other of ['x1.herokudns.com', 'app.azurewebsites.net', 'me.github.io'])
      assert.equal(
        judge('yahoo-net.jp', cert(['yahoo.co.jp', 'yahoo.com', 'yahoo-net.jp', other])),
        undefined,
        other,
      );
  });

  it("needs the brand's registrable domain itself: a subdomain may have been taken over", () => {
    assert.equal(judge('yahoo-net.jp', cert(['promo.yahoo.co.jp', 'yahoo-net.jp'])), undefined);
  });

  it("counts only the brand the name reads as, by its profile's exact domains", () => {
    assert.equal(judge('yahoo-net.jp', cert(['paypal.com', 'yahoo-net.jp'])), undefined);
    assert.equal(judge('yahoo-net.jp', cert(['yahoo.co.jp', 'other-name.jp'])), undefined);
  });

  it('says nothing of a name that may have changed hands: expired, or issued before its registration', () => {
    const names = ['yahoo.co.jp', 'yahoo-net.jp'];
    assert.equal(judge('yahoo-net.jp', cert(names, { notAfter: '2026-03-09T00:00:00Z' })), undefined);
    assert.equal(judge('yahoo-net.jp', cert(names), '2026-03-05T00:00:00Z'), undefined);
    assert.ok(judge('yahoo-net.jp', cert(names), '2019-01-01T00:00:00Z'));
    // The certificate entity keeps 100 names: a list that long may have lost the foreign ones.
    assert.equal(
      judge('yahoo-net.jp', cert([...names, ...Array.from({ length: 98 }, () => 'yahoo.com')])),
      undefined,
    );
  });
});

describe('the domain detector reads the certificates of a name it scores', () => {
  const certKey = 'cert:sha256:bb' as EntityKey;
  const ctx = (names: string[]): DetectContext => ({
    now: NOW,
    config: () => undefined,
    signals: async () => [],
    entity: async (k) =>
      k === certKey
        ? {
            key: k,
            type: 'cert',
            display: 'c',
            firstSeen: NOW,
            lastSeen: NOW,
            attrs: { names, notBefore: '2026-03-01T00:00:00Z', notAfter: '2026-06-01T00:00:00Z' },
          }
        : undefined,
    links: async (k) => [
      {
        from: certKey,
        to: k,
        pivot: 'cert-name',
        strength: 1,
        firstSeen: NOW,
        lastSeen: NOW,
        provenance: ['t'],
      },
    ],
  });
  const subject = {
    key: 'domain:yahoo-net.jp' as EntityKey,
    type: 'domain' as const,
    display: 'yahoo-net.jp',
    // Extraction marks a name a certificate named.
    attrs: { lastCertAt: '2026-03-01T00:00:00Z' },
  };

  it('does not read the graph for a name no certificate has named', async () => {
    let reads = 0;
    const counting: DetectContext = {
      ...ctx(['yahoo.co.jp', 'yahoo-net.jp']),
      links: async () => {
        reads++;
        return [];
      },
    };
    const signals = await createDomainDetector(engine).detect({ ...subject, attrs: {} }, counting);
    assert.equal(reads, 0);
    assert.ok(signals.some((s) => s.id === 'domain.url-mimic'));
  });

  it('adds the co-naming signal from a linked certificate, and nothing from an unrelated one', async () => {
    const detector = createDomainDetector(engine);
    const cleared = await detector.detect(subject, ctx(['yahoo.co.jp', 'yahoo-net.jp']));
    assert.ok(cleared.some((s) => s.id === 'domain.url-mimic' && s.weight > 0));
    assert.ok(cleared.some((s) => s.id === 'domain.brand-co-named' && s.weight === -100));
    const alone = await detector.detect(subject, ctx(['yahoo-net.jp', 'www.yahoo-net.jp']));
    assert.ok(!alone.some((s) => s.id === 'domain.brand-co-named'));
  });

  it('switches off with a weight of 0', async () => {
    const off = createDomainDetector(
      createDomainEngine({
        profiles: loadBrandProfiles(defaultBrandsDir()),
        config: { weights: { brandCoNamed: 0 } },
      }),
    );
    const signals = await off.detect(subject, ctx(['yahoo.co.jp', 'yahoo-net.jp']));
    assert.ok(!signals.some((s) => s.id === 'domain.brand-co-named'));
  });
});
