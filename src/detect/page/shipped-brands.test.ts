import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  CORPUS,
  corpusSnapshot,
  FIXTURES,
  LOOKALIKE,
  REPO,
  readFixture,
} from '../../../test/support/page-corpus.js';
import { createPageAnalyzer } from './analyze-page.js';
import { type BrandCatalog, loadBrandCatalog } from './brand-catalog.js';
import type { PageSnapshot } from '../../domain/index.js';

const snapshot = (file: string, url: string): PageSnapshot => ({
  url,
  finalUrl: url,
  fetchedAt: '2025-03-01T00:00:00.000Z',
  mode: 'fetch',
  status: 200,
  headers: {},
  redirectChain: [],
  html: readFixture(file),
  scripts: [],
  requests: [],
  console: [],
});

describe('shipped brand catalogue (brands/*.yaml)', () => {
  let shipped: BrandCatalog;
  let testCatalogue: BrandCatalog;
  before(async () => {
    testCatalogue = (await loadBrandCatalog(join(FIXTURES, 'brands'))).catalog;
    const load = await loadBrandCatalog(join(REPO, 'brands'));
    assert.deepEqual(load.problems, [], 'every shipped profile loads');
    shipped = load.catalog;
  });

  it('carries sign-in markers and asset hosts for the most impersonated brands', () => {
    const byId = new Map(shipped.brands.map((b) => [b.id, b]));
    const ms = byId.get('microsoft');
    for (const m of ['loginfmt', 'i0116', 'idPartnerPL', 'flowToken', 'aadcdn.msauth.net'])
      assert.ok(ms?.signInMarkers.includes(m), `microsoft marker ${m}`);
    for (const h of ['aadcdn.msauth.net', 'aadcdn.msftauth.net', 'logincdn.msauth.net'])
      assert.ok(ms?.assetHosts.includes(h), `microsoft asset host ${h}`);
    for (const id of ['google', 'paypal', 'apple', 'amazon', 'facebook', 'bankofamerica', 'yahoo'])
      assert.ok((byId.get(id)?.signInMarkers.length ?? 0) >= 2, `${id} has at least two markers`);
    for (const id of ['docusign', 'adobe', 'dropbox', 'netflix', 'chase', 'wellsfargo'])
      assert.ok((byId.get(id)?.assetHosts.length ?? 0) >= 1, `${id} has an asset host`);
  });

  it('recognises a Microsoft 365 clone that only the shipped data describes', () => {
    const snap = snapshot('demo/m365-mfa-clone.html', 'https://rnicrosoft-verify.top/common/otc');
    const ids = (brands: BrandCatalog) => createPageAnalyzer({ brands }).analyze(snap).signals;
    const withShipped = ids(shipped);
    const markers = withShipped.find((s) => s.id === 'page.brand.signin-markers');
    assert.match(markers?.detail ?? '', /Microsoft/);
    const assets = withShipped.find((s) => s.id === 'page.brand.hotlinked-assets');
    assert.match(assets?.detail ?? '', /aadcdn\.msftauth/);
    const analyzer = createPageAnalyzer({ brands: shipped });
    assert.equal(analyzer.judge(analyzer.analyze(snap), [LOOKALIKE]).flagged, true);
    // Proof that the shipped data did it: neither the test catalogue nor none finds the clone.
    assert.ok(!ids({ brands: [] }).some((s) => s.id.startsWith('page.brand.')));
    assert.ok(!ids(testCatalogue).some((s) => s.id === 'page.brand.signin-markers'));
  });

  it('keeps the honest corpus pages benign with the shipped data alone', () => {
    const analyzer = createPageAnalyzer({ brands: shipped });
    for (const c of CORPUS.filter((x) => x.verdict === 'benign' && !x.file.startsWith('kits/'))) {
      const v = analyzer.judge(analyzer.analyze(corpusSnapshot(c)), c.lookalike ? [LOOKALIKE] : []);
      assert.equal(v.verdict, 'benign', c.file);
      for (const id of c.absent ?? [])
        assert.ok(!v.signals.some((s) => s.id === id), `${c.file}: ${id} must not fire`);
    }
  });
});
