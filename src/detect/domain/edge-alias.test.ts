import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBrandProfiles } from './brand-profiles.js';
import { createDomainEngine, type DomainEngine, type DomainScore } from './engine.js';
import { defaultBrandsDir } from './package-paths.js';

let engine: DomainEngine;
before(() => {
  engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
});
const score = (name: string): DomainScore => {
  const r = engine.score(name);
  assert.ok(r.ok, name);
  return r;
};

describe('CDN/edge names carrying a customer host', () => {
  it("are the brand's own when the carried host is in its portfolio (PSL private section and vendor list)", () => {
    for (const n of [
      'www.microsoft.com.edgekey.net',
      'office.com.cdn.cloudflare.net',
      'www.paypal.com.akamaized.net',
      'login.microsoftonline.com.herokudns.com',
    ]) {
      const r = score(n);
      assert.equal(r.flagged, false, `${n}: ${JSON.stringify(r.signals)}`);
      assert.equal(r.signals[0]?.id, 'domain.edge-alias');
      assert.match(r.signals[0]?.detail ?? '', /carrying the host .* belongs to the/);
      assert.equal(r.domain, n, 'the result is about the edge name');
    }
  });

  it('stay lookalikes when the carried host is one, explained as an edge alias', () => {
    const r = score('www.micros0ft-login.com.edgekey.net');
    assert.equal(r.flagged, true);
    assert.equal(r.brand?.id, 'microsoft');
    assert.ok(r.signals.some((s) => s.id === 'domain.edge-alias' && s.weight === 0));
  });

  it('do not apply on shared platforms, where tenants choose labels, nor to vendor names without a host', () => {
    assert.equal(score('www.paypal.com.workers.dev').flagged, true);
    const plain = score('e1234.dscx.akamaiedge.net');
    assert.ok(!plain.signals.some((s) => s.id === 'domain.edge-alias'));
    // The brand spelled out in front of an ordinary registrable domain is still the classic phish.
    assert.equal(score('www.microsoft.com.secure-login.net').flagged, true);
  });
});
