import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CORPUS, corpusSnapshot, FIXTURES, LOOKALIKE, REPO } from '../../../test/support/page-corpus.js';
import { createPageAnalyzer, type PageAnalyzer } from './analyze-page.js';
import { loadBrandCatalog } from './brand-catalog.js';
import { loadKitRules } from './kit-rules.js';
import { PAGE_SIGNAL_IDS } from './page-signals.js';

describe('page analysis on the corpus', () => {
  let analyzer: PageAnalyzer;
  before(async () => {
    const brands = await loadBrandCatalog(join(FIXTURES, 'brands'));
    assert.equal(brands.catalog.brands.length, 3);
    assert.equal(brands.problems.length, 1, 'the broken profile is reported, not fatal');
    const kits = await loadKitRules(join(REPO, 'kits'));
    assert.deepEqual(kits.problems, []);
    analyzer = createPageAnalyzer({ brands: brands.catalog, kitRules: kits.rules });
  });

  for (const c of CORPUS) {
    it(`${c.file} at ${c.url}${c.lookalike ? ' (lookalike name)' : ''} → ${c.verdict}`, () => {
      const analysis = analyzer.analyze(corpusSnapshot(c), 'ab'.repeat(32));
      const verdict = analyzer.judge(analysis, c.lookalike ? [LOOKALIKE] : []);
      const ids = new Set(verdict.signals.map((s) => s.id));
      const explain = verdict.signals.map((s) => `${s.id}=${s.weight}`).join(', ');
      for (const id of c.expect) assert.ok(ids.has(id), `missing ${id}; got ${explain}`);
      for (const id of c.absent ?? [])
        assert.ok(!ids.has(id), `unexpected ${id}: ${verdict.signals.find((s) => s.id === id)?.detail}`);
      assert.equal(verdict.verdict, c.verdict, `score ${verdict.score}: ${explain}`);
    });
  }

  it('every catalogued signal is expected by at least one corpus page', () => {
    const expected = new Set(CORPUS.flatMap((c) => c.expect));
    const missing = PAGE_SIGNAL_IDS.filter((id) => !expected.has(id));
    assert.deepEqual(missing, [], 'each signal needs a page that proves it');
  });

  it('explains each signal and points at the snapshot', () => {
    const c = CORPUS.find((x) => x.file === 'demo/m365-gated-clone.html');
    assert.ok(c);
    const a = analyzer.analyze(corpusSnapshot(c), 'cd'.repeat(32));
    for (const s of a.signals) {
      assert.ok(s.detail.length > 10, s.id);
      assert.deepEqual(s.evidence[0], { kind: 'snapshot', sha256: 'cd'.repeat(32) });
    }
    assert.ok(a.entities.includes('telegram-bot:5823412907'));
    assert.ok(a.entities.includes('kit:telegram-relay'));
    assert.ok(
      !JSON.stringify(a.signals).includes('AAHq3v7TqXr9s'),
      'the bot secret is never stored in a signal',
    );
  });

  it('never throws on garbage', () => {
    for (const html of [
      '',
      '<',
      '<<<<>>>>',
      '\u0000\uffff',
      '<form action="http://[bad">',
      '<base href="::::">x'.repeat(100),
    ]) {
      const a = analyzer.analyze({ ...corpusSnapshot(CORPUS[0]!), html, url: 'not a url', finalUrl: '' });
      analyzer.judge(a);
    }
  });
});
