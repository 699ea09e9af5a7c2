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

  it('apply to a storage bucket named as the host it serves, not to one-label or non-host buckets', () => {
    const own = score('www.paypal.com.s3.amazonaws.com');
    assert.equal(own.flagged, false);
    assert.match(own.signals[0]?.detail ?? '', /storage bucket under `s3.amazonaws.com` named as the host/);
    // The regional endpoints (PSL private section) already read it so; the global one agrees now.
    assert.equal(score('www.paypal.com.s3.eu-west-1.amazonaws.com').flagged, false);
    const look = score('www.paypa1-login.com.s3.amazonaws.com');
    assert.equal(look.flagged, true);
    assert.ok(look.signals.some((s) => s.id === 'domain.edge-alias' && s.weight === 0));
    assert.equal(score('paypal-login.s3.amazonaws.com').flagged, true);
    assert.equal(score('paypal.login.s3.amazonaws.com').flagged, true);
  });

  it("read a vendor's own domain as infrastructure, not as a look-alike of a brand it resembles", () => {
    // `bcdn` is Meta's `fbcdn` with the `f` left out; `b-cdn.net` is bunny.net's.
    for (const n of ['b-cdn.net', 'myshop.b-cdn.net', 'id-google-ru.b-cdn.net']) {
      const r = score(n);
      assert.ok(
        !r.signals.some((s) => s.id.startsWith('domain.typo.')),
        `${n}: ${JSON.stringify(r.signals)}`,
      );
      assert.equal(r.flagged, false, n);
    }
    // A customer's label in front of it is still judged: the brand in it is named.
    const customer = score('google-login-verify.b-cdn.net');
    assert.ok(customer.signals.some((s) => s.id === 'domain.brand-in-subdomain'));
    assert.ok(!customer.signals.some((s) => s.id.startsWith('domain.typo.')));
  });

  it('do not apply on shared platforms, where tenants choose labels, nor to vendor names without a host', () => {
    assert.equal(score('www.paypal.com.workers.dev').flagged, true);
    const plain = score('e1234.dscx.akamaiedge.net');
    assert.ok(!plain.signals.some((s) => s.id === 'domain.edge-alias'));
    // The brand spelled out in front of an ordinary registrable domain is still the classic phish.
    assert.equal(score('www.microsoft.com.secure-login.net').flagged, true);
  });
});

describe('misspelt lure words and nicknames', () => {
  it('reads doubled and dropped letters in stacked lure words, and weighs two or more higher', () => {
    const one = score('loogin-docs.com');
    assert.ok(
      one.signals.some((s) => s.id === 'domain.misspelled-word' && /`loogin` for `login`/.test(s.detail)),
    );
    const two = score('clloud-docss.com');
    const s = two.signals.find((x) => x.id === 'domain.misspelled-word');
    assert.match(s?.detail ?? '', /`clloud` for `cloud`, `docss` for `docs`/);
    assert.ok((s?.weight ?? 0) > (one.signals.find((x) => x.id === 'domain.misspelled-word')?.weight ?? 0));
  });

  it('stacks the file-share and mailbox words of Microsoft 365 kits, which are weak one at a time', () => {
    for (const name of ['identity-sesion-verify.top', 'folder-share-docss.online']) {
      const r = score(name);
      assert.equal(r.flagged, true, `${name}: ${JSON.stringify(r.signals)}`);
    }
    for (const name of ['voice-message.com', 'sharing-storage.com', 'message-archive.org']) {
      const r = score(name);
      assert.equal(r.flagged, false, `${name}: ${JSON.stringify(r.signals)}`);
      assert.ok(
        r.signals.some((s) => s.id === 'domain.lure-vocabulary'),
        name,
      );
    }
  });

  it('does not read a real English word or a word spelt right as a misspelling', () => {
    assert.ok(
      !score('stone-line.com').signals.some((x) => x.id === 'domain.misspelled-word'),
      'stone is a word',
    );
    assert.ok(!score('asosservices.com').signals.some((x) => x.id === 'domain.misspelled-word'));
    assert.ok(!score('businessstudio.ru').signals.some((x) => x.id === 'domain.misspelled-word'));
  });

  it('knows the nicknames operators write for Microsoft 365 and Acrobat', () => {
    assert.equal(score('o365-clloud-docss-share.com').flagged, true);
    assert.equal(score('1drv-secure-login.com').brand?.id, 'microsoft');
    assert.equal(score('1drv.ms').flagged, false, "Microsoft's own short domain");
    assert.equal(score('acrbt-docs-view.online').brand?.id, 'adobe');
  });
});

describe('CDN/edge service names', () => {
  it("read a brand's exact name as its own service, and explain it; a lure beside it is not that", () => {
    for (const n of ['google.map.fastly.net', 'tiktok.global.ssl.fastly.net']) {
      const r = score(n);
      assert.equal(r.flagged, false, n);
      assert.match(r.signals[0]?.detail ?? '', /CDN\/edge service named .* most likely its own service/);
    }
    assert.ok(score('paypal-login.global.ssl.fastly.net').score > 0);
    // A shared platform is not a CDN vendor: its tenant is not read as the brand's own service.
    const tenant = score('paypal.workers.dev');
    assert.ok(
      !/most likely its own service/.test(tenant.signals[0]?.detail ?? ''),
      JSON.stringify(tenant.signals),
    );
    assert.equal(score('paypal-login.workers.dev').flagged, true);
  });
});

describe('brand-agnostic lure framing', () => {
  it('flags a short unknown name framed by lure words on an abused TLD or with a second lure word', () => {
    // Banrural (Guatemala) has no profile.
    const r = score('banrural-secure.online');
    assert.equal(r.flagged, true);
    assert.match(
      r.signals.find((s) => s.id === 'domain.lure-frame')?.detail ?? '',
      /unknown name `banrural`/,
    );
    assert.equal(score('nordea-login-verify.com').flagged, true);
  });

  it("does not flag a company's own support name, nor frame a profiled brand or a misspelling", () => {
    assert.equal(score('acme-support.com').flagged, false);
    assert.ok(!score('paypal-secure.online').signals.some((s) => s.id === 'domain.lure-frame'));
    assert.ok(!score('acme-loogin.com').signals.some((s) => s.id === 'domain.lure-frame'));
  });
});
