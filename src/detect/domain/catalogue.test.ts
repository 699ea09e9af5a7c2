import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBrandCatalog } from '../page/brand-catalog.js';
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
const explain = (r: DomainScore): string => JSON.stringify(r.signals);

describe('the shipped catalogue of banks, payment, postal, government and telecom services', () => {
  it('flags lure names on the institutions kits imitate and explains them by the brand', () => {
    for (const [name, brand] of [
      ['rbc-secure-login.com', 'rbc'],
      ['interac-etransfer-deposit.com', 'interac'],
      ['hdfcbank-kyc-update.online', 'hdfcbank'],
      ['auth-commbank.online', 'commbank'],
      ['ezpass-tollbill-pay.com', 'ezpass'],
      ['postnl-redelivery.top', 'postnl'],
    ] as const) {
      const r = score(name);
      assert.equal(r.flagged, true, `${name}: ${explain(r)}`);
      assert.equal(r.brand?.id, brand, name);
    }
  });

  it("leaves the institutions' own domains alone", () => {
    for (const name of [
      'www.rbcroyalbank.com',
      'online.commbank.com.au',
      'netbank.hdfcbank.com',
      'www.mercadolivre.com.br',
    ])
      assert.equal(score(name).flagged, false, name);
  });

  it('page analysis reads the list files too', async () => {
    const { catalog, problems } = await loadBrandCatalog(defaultBrandsDir());
    assert.deepEqual(problems, []);
    for (const id of ['rbc', 'postnl', 'microsoft'])
      assert.ok(
        catalog.brands.some((b) => b.id === id),
        id,
      );
  });
});

describe('what a brand token is not', () => {
  it('an English word one edit from a brand is that word, not a typo (data/brand-near-words.txt)', () => {
    assert.equal(score('revolve.com').flagged, false, explain(score('revolve.com')));
    assert.equal(score('revolutt.com').flagged, true, 'a misspelling that is no word still is');
  });

  it('an English word one edit from a lure word is that word, not its misspelling (data/near-words.txt)', () => {
    // `stake` joined the lure words; `state` is one edit from it and an English word.
    for (const name of ['state-bank.com', 'cdn2.state.ct.us'])
      assert.ok(
        !score(name).signals.some((s) => s.id === 'domain.misspelled-word'),
        `${name}: ${explain(score(name))}`,
      );
  });

  it('a token glued inside an English word that holds it is that word', () => {
    for (const name of ['interactivebrokers.com', 'marginalrevolution.com'])
      assert.equal(score(name).flagged, false, `${name}: ${explain(score(name))}`);
    assert.equal(score('interacdeposit.com').flagged, true);
  });

  it('a few letters before an everyday word are as weak as the word (`usbank`: `psbank`)', () => {
    assert.equal(score('psbank.ru').flagged, false, explain(score('psbank.ru')));
    assert.equal(score('usbank-login-verify.com').flagged, true);
  });

  it('a three-letter acronym under another suffix needs corroboration', () => {
    assert.equal(score('dnb.de').flagged, false, explain(score('dnb.de')));
    assert.equal(score('dnb-login.top').flagged, true);
  });

  it('look-alike letters plus an edit only read as long tokens', () => {
    assert.equal(score('llama.com').flagged, false, explain(score('llama.com')));
    assert.equal(score('rnicrosoftt.com').flagged, true);
  });
});

describe('damping that explains itself', () => {
  it('a brand beside words that ask nothing of a victim does not flag alone', () => {
    const r = score('sberbank-insurance.com');
    assert.equal(r.flagged, false, explain(r));
    assert.match(r.signals.find((s) => s.id === 'domain.combosquat')?.detail ?? '', /no lure word/);
    assert.equal(score('sberbank-insurance-verify.com').flagged, true);
  });

  it("a brand's name as a subdomain label flags only with a lure word, an abused TLD or a finding beside it", () => {
    // A vendor's host for its customer (`<brand>.<vendor>.com`) asks nothing of a victim.
    for (const name of ['paypal.partners.acmevendor.com', 'linkedin.acmevendor.io']) {
      const r = score(name);
      assert.equal(r.flagged, false, `${name}: ${explain(r)}`);
      assert.match(r.signals.find((s) => s.id === 'domain.brand-in-subdomain')?.detail ?? '', /no lure word/);
    }
    // The brand's own lure-like letters (`pay` in `paypal`) do not count; other labels' words do.
    for (const name of [
      'paypal.login.acmevendor.com',
      'paypal.acmevendor.top',
      'paypal.acme-secure.com',
      'paypal.acmevendor-verify.com',
      // Under a private-section suffix anyone registers, the label is the registrant's chosen name.
      'metamask.in.net',
    ]) {
      const r = score(name);
      assert.equal(r.flagged, true, `${name}: ${explain(r)}`);
    }
  });

  it("a platform tenant named exactly as a brand, with no lure word, is as often the brand's own account", () => {
    // GitHub organisation pages, Salesforce My Domain names, CDN endpoints: first come, and brands
    // take their own.
    // The brand's own letters are not a lure word (`pay` in `paypal`).
    for (const name of [
      'spotify.github.io',
      'coinbase.github.io',
      'steampowered.azureedge.net',
      'paypal.workers.dev',
    ]) {
      const r = score(name);
      assert.equal(r.flagged, false, `${name}: ${explain(r)}`);
      assert.match(r.signals.find((s) => s.id === 'domain.tld-swap')?.detail ?? '', /often the brand's own/);
      assert.equal(
        r.signals.some((s) => s.id === 'domain.platform-tenant'),
        false,
        name,
      );
    }
    // A lure word anywhere, a disguised spelling or other words beside the brand still flag.
    for (const name of [
      'login.spotify.github.io',
      'spotify-verify.github.io',
      'spotlfy.github.io',
      'coinbase-neo.web.app',
    ]) {
      const r = score(name);
      assert.equal(r.flagged, true, `${name}: ${explain(r)}`);
    }
  });

  it("a wallet's name beside what a drainer asks of its victim (swap, bridge, stake, claim) is a lure", () => {
    for (const name of [
      'metamask.token-swap.app',
      'uniswap.acme-bridge.app',
      'swap-uniswap.org',
      'metamaskswap.io',
      'pancakeswap-staking.com',
      'trezor-withdrawal.com',
    ]) {
      const r = score(name);
      assert.equal(r.flagged, true, `${name}: ${explain(r)}`);
      assert.ok(
        r.signals.some((s) => s.id === 'domain.lure-vocabulary'),
        name,
      );
    }
    // Weak alone: the words without a brand, or a vendor's host for a wallet, stay below the flag.
    for (const name of ['tokenswap.net', 'bridge-staking.com', 'metamask.acmevendor.com']) {
      const r = score(name);
      assert.equal(r.flagged, false, `${name}: ${explain(r)}`);
    }
  });

  it("a brand's exact name under .com/.net/.org is damped as an old registration, unless it is new", () => {
    const r = score('telstra.net');
    assert.equal(r.flagged, false, explain(r));
    assert.ok(r.signals.some((s) => s.id === 'domain.legacy-namesake' && s.weight < 0));
    assert.equal(score('telstra.online').flagged, true);
    const fresh = engine.score('telstra.net', {
      registeredAt: '2026-11-20T00:00:00Z',
      now: '2026-11-25T00:00:00Z',
    });
    assert.ok(fresh.ok && fresh.flagged, JSON.stringify(fresh));
  });
});
