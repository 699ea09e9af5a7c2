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

describe('a brand glued to lure words in one subdomain label', () => {
  it('flags on any registrable domain, saying so', () => {
    for (const n of [
      'paypal-login-verify.greenvalley-garden.com',
      'secure-paypal-login.myblog.org',
      'microsoft-account-update.some-company.net',
    ]) {
      const r = score(n);
      assert.equal(r.flagged, true, `${n}: ${JSON.stringify(r.signals)}`);
      assert.ok(
        r.signals.some((s) => s.id === 'domain.brand-in-subdomain' && /with lure words/.test(s.detail)),
      );
    }
  });

  it('does not read the brand’s own letters, its own product names or URL parts as lure words', () => {
    // `paypal` holds `pay`; `googleusercontent` and `microsoftapp` are the brands' own domains' labels.
    for (const n of [
      'paypalobjects.example.com',
      'googleusercontent.okta.com',
      'microsoftapp.global.ssl.fastly.net',
      'googleadservices.global.ssl.fastly.net',
      // A host name written as one label: URL parts and filler are not a lure.
      'www-google-es.b-cdn.net',
      'events-yahoo-co-jp.example.net',
    ]) {
      const r = score(n);
      assert.ok(
        !r.signals.some((s) => /with lure words/.test(s.detail)),
        `${n}: ${JSON.stringify(r.signals)}`,
      );
      assert.equal(r.flagged, false, n);
    }
  });
});

describe('look-alike letter pairs inside an English word', () => {
  it('are the word’s spelling, not a disguised brand letter', () => {
    // `corner` spells its own `rn`: `baycorner` is not `bancomer` (`m` from `rn`, plus one edit).
    const honest = score('baycorner.com');
    assert.ok(!honest.signals.some((s) => s.id === 'domain.homoglyph'), JSON.stringify(honest.signals));
    // A pair standing in no word still reads as the brand's letter.
    for (const n of ['rnicrosoftomline.com', 'mythervvallet.com']) {
      const r = score(n);
      assert.ok(
        r.signals.some((s) => s.id === 'domain.homoglyph' && /letter pairs/.test(s.detail)),
        n,
      );
    }
  });
});
