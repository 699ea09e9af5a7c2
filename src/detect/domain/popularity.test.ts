import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type BrandProfile, loadBrandProfiles } from './brand-profiles.js';
import { createDomainEngine, type DomainEngine, type DomainScore } from './engine.js';
import { defaultBrandsDir } from './package-paths.js';
import { popularityFinding, popularityList } from './popularity.js';
import { resolveDomainConfig } from './config.js';
import { loadVocabulary } from './vocabulary.js';

let profiles: BrandProfile[];
let plain: DomainEngine;
let engine: DomainEngine;
// Ranks: telefonica.de 3, com.ru 4, azurewebsites.net 5, rnicrosoft.com 20,001 (past the top 10,000).
const fillers = Array.from({ length: 20_000 }, (_, i) => `filler${i}.example`);
const list = popularityList('test list', [
  'example.com',
  'example.org',
  'telefonica.de',
  'com.ru',
  'azurewebsites.net',
  ...fillers.slice(5),
  'rnicrosoft.com',
]);
before(() => {
  profiles = loadBrandProfiles(defaultBrandsDir());
  const vocabulary = { ...loadVocabulary(), popular: list };
  const { popular: _, ...withoutList } = vocabulary;
  plain = createDomainEngine({ profiles, vocabulary: withoutList });
  engine = createDomainEngine({ profiles, vocabulary });
});
const score = (e: DomainEngine, name: string): DomainScore => {
  const r = e.score(name);
  assert.ok(r.ok, name);
  return r;
};
const popular = (r: DomainScore) => r.signals.find((s) => s.id === 'domain.popular');

describe('a popularity list', () => {
  it('gives each listed domain its rank and nothing else one', () => {
    const l = popularityList('l', ['a.com', 'Example.com', 'example.co', 'a.com', ...fillers]);
    assert.equal(l.rankOf('a.com'), 1);
    assert.equal(l.rankOf('example.com'), 2);
    assert.equal(l.rankOf('example.co'), 3);
    assert.equal(l.rankOf('filler19999.example'), 20_004);
    for (const other of ['example.c', 'example.comm', 'xa.com', '', 'filler20000.example'])
      assert.equal(l.rankOf(other), undefined, other);
  });
});

describe('the popularity prior', () => {
  it('damps a listed name and says why, by rank', () => {
    const before = score(plain, 'telefonica.de');
    assert.equal(before.flagged, true, JSON.stringify(before.signals));
    const r = score(engine, 'telefonica.de');
    assert.equal(r.flagged, false, JSON.stringify(r.signals));
    const s = popular(r);
    assert.equal(s?.weight, -45);
    assert.match(s?.detail ?? '', /test list, rank 3\)/);
    // The brand finding stays in the explanation: damped, not cleared.
    assert.ok(r.signals.some((x) => x.id === 'domain.tld-swap'));
    assert.equal(r.brand?.id, before.brand?.id);
  });

  it('does not clear: a strong enough imitation on the list still flags', () => {
    const before = score(plain, 'rnicrosoft.com');
    const r = score(engine, 'rnicrosoft.com');
    assert.equal(popular(r)?.weight, -35);
    assert.equal(r.score, Math.max(0, before.score - 35));
    assert.equal(r.flagged, true, JSON.stringify(r.signals));
  });

  it('leaves names without findings, brands in subdomains and platform tenants alone', () => {
    assert.deepEqual(score(engine, 'example.com'), score(plain, 'example.com'));
    // Anyone gets a subdomain of some popular registrable domains (`com.ru`), as on platforms.
    for (const name of ['paypal.com.ru', 'paypal-login.azurewebsites.net']) {
      const r = score(engine, name);
      assert.equal(popular(r), undefined, name);
      assert.equal(r.score, score(plain, name).score, name);
    }
  });

  it('does not apply to a listed name registered recently: it changed hands', () => {
    const r = engine.score('telefonica.de', {
      registeredAt: '2026-11-20T00:00:00Z',
      now: '2026-11-25T00:00:00Z',
    });
    assert.ok(r.ok && r.flagged && popular(r) === undefined, JSON.stringify(r));
  });

  it('reaches a CDN/edge name through the host it carries', () => {
    const r = score(engine, 'www.telefonica.de.edgekey.net');
    assert.equal(r.flagged, false, JSON.stringify(r.signals));
    assert.ok(popular(r) !== undefined);
  });

  it('is switched off by weight 0', () => {
    const off = createDomainEngine({
      profiles,
      vocabulary: { ...loadVocabulary(), popular: list },
      config: { weights: { popular: { top1k: 0 } } },
    });
    assert.deepEqual(score(off, 'telefonica.de'), score(plain, 'telefonica.de'));
  });

  it('writes the rank as en-US grouping does', () => {
    const config = resolveDomainConfig({});
    for (const rank of [1, 12, 999, 1000, 12_345, 100_000, 123_456, 1_234_567, 9_007_199_254_740_991, 2.5])
      assert.match(
        popularityFinding(config, list, 'example.com', rank)?.signal.detail ?? '',
        new RegExp(`, rank ${rank.toLocaleString('en-US').replace('.', '\\.')}\\)`),
      );
  });

  it('ships a Tranco list, read on first use', () => {
    const shipped = createDomainEngine({ profiles });
    const r = score(shipped, 'facebook.com.br');
    assert.match(popular(r)?.detail ?? '', /Tranco 2025-02-19, rank [0-9,]+\)/);
  });
});

describe('popularity list labels', () => {
  it('gives the same first labels by span as cut out and lower-cased', () => {
    const l = popularityList('spans', ['Example.COM', 'bücher.de', 'single', 'A-B.co.uk', 'İstanbul.tr']);
    const cut: string[] = [];
    l.forEachLabel((label) => cut.push(label));
    const spans: string[] = [];
    l.forEachLabelSpan?.((text, start, end) => spans.push(text.slice(start, end).toLowerCase()));
    assert.deepEqual(spans, cut);
    assert.deepEqual(cut, ['example', 'bücher', 'single', 'a-b', 'i̇stanbul']);
  });
  it('scores a listed name with mixed case the same whether the engine reads spans or labels', () => {
    const mixed = popularityList('mixed', ['RNICROSOFT.com', 'example.com']);
    const vocabulary = { ...loadVocabulary(), popular: mixed };
    const { forEachLabelSpan: _, ...labelsOnly } = mixed;
    const bySpan = createDomainEngine({ profiles, vocabulary });
    const byLabel = createDomainEngine({ profiles, vocabulary: { ...vocabulary, popular: labelsOnly } });
    for (const name of ['rnicrosoft.com', 'www.rnicrosoft.com', 'rnicrosoft.top']) {
      const a = bySpan.score(name);
      const b = byLabel.score(name);
      assert.deepEqual(a, b, name);
    }
    const r = bySpan.score('rnicrosoft.com') as DomainScore;
    assert.ok(r.signals.some((s) => s.id === 'domain.popular'));
  });
});
