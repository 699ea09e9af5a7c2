import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crawlUrl } from '../../src/app/crawl-page.js';
import { createPageAnalyzer, type PageAnalyzer } from '../../src/detect/page/analyze-page.js';
import { loadBrandCatalog } from '../../src/detect/page/brand-catalog.js';
import { loadKitRules } from '../../src/detect/page/kit-rules.js';
import { isCrawlError } from '../../src/ingest/crawl/crawl-error.js';
import { EvidenceStore } from '../../src/ingest/crawl/evidence-store.js';
import { classifyAddress } from '../../src/ingest/crawl/ip-policy.js';
import { DEFAULT_CHROMIUM, PageRenderer } from '../../src/ingest/crawl/page-renderer.js';
import { type Resolver, SsrfGuard } from '../../src/ingest/crawl/ssrf-guard.js';
import { brandIcon } from '../support/images.js';
import { FIXTURES, LOOKALIKE, readFixture, REPO } from '../support/page-corpus.js';
import { html, startTestServer, type TestServer } from '../support/test-server.js';

const CHROMIUM = process.env.PRECURSOR_CHROMIUM ?? DEFAULT_CHROMIUM;
const haveBrowser = existsSync(CHROMIUM);
const skip =
  !haveBrowser && process.env.CI !== 'true'
    ? `no browser at ${CHROMIUM} (apt-get install chromium); runs under CI=true`
    : false;

// `*.test` names resolve to the loopback test server; everything else (the CAPTCHA CDNs the pages
// reference) fails fast, as it would offline.
const resolver: Resolver = async (host) => {
  if (host.endsWith('.test')) return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
const pretendPublic = (a: string) =>
  a === '127.0.0.1' ? { allowed: true, reason: 'public' } : classifyAddress(a);

describe('rendered crawl with Chromium', { skip, timeout: 90_000 }, () => {
  let srv: TestServer;
  let other: TestServer;
  let renderer: PageRenderer;
  let analyzer: PageAnalyzer;
  let dir: string;
  const guard = new SsrfGuard({ resolver, policy: pretendPublic });

  before(async () => {
    other = await startTestServer({ '*': html('<title>internal admin</title>') }, '127.0.0.2');
    const file = (f: string) => html(readFixture(f));
    srv = await startTestServer({
      '/m365': file('demo/m365-gated-clone.html'),
      '/turnstile': file('demo/signin-turnstile.html'),
      '/obfuscated': file('kits/obfuscated.html'),
      '/interstitial': file('demo/fake-interstitial.html'),
      '/favicon.png': (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png' }).end(brandIcon(48, 12)),
      '/cloak': (req, res) => {
        const victim =
          /Chrome/.test(req.headers['user-agent'] ?? '') && /outlook/.test(req.headers.referer ?? '');
        html(readFixture(victim ? 'kits/cloaked-browser.html' : 'kits/cloaked-crawler.html'))(req, res);
      },
      '/ssrf': (req, res) =>
        html(
          `<title>probe</title><img src="http://127.0.0.2:${other.port}/img.png"><iframe src="http://127.0.0.2:${other.port}/"></iframe>` +
            `<script>fetch('http://127.0.0.2:${other.port}/x').catch(()=>{}); fetch('http://169.254.169.254/latest/').catch(()=>{});</script>`,
        )(req, res),
      '/to-internal': (_req, res) =>
        res.writeHead(302, { location: `http://127.0.0.2:${other.port}/` }).end(),
    });
    const brands = await loadBrandCatalog(join(FIXTURES, 'brands'));
    const kits = await loadKitRules(join(REPO, 'kits'));
    analyzer = createPageAnalyzer({ brands: brands.catalog, kitRules: kits.rules });
    renderer = await PageRenderer.launch({
      guard,
      executablePath: CHROMIUM,
      limits: { timeoutMs: 10_000, settleMs: 500 },
    });
    dir = await mkdtemp(join(tmpdir(), 'precursor-evidence-'));
  });
  after(async () => {
    await renderer?.close();
    await srv?.close();
    await other?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const origin = (name: string) => `http://${name}.test:${srv.port}`;

  it('renders a gated Microsoft clone on a lookalike name as malicious and stores the evidence', async () => {
    const store = new EvidenceStore(dir);
    const rec = await crawlUrl(`${origin('rnicrosoft-online')}/m365`, {
      guard,
      analyzer,
      renderer,
      store,
      nameSignals: async () => [LOOKALIKE],
    });
    const ids = rec.signals.map((s) => s.id);
    for (const id of [
      'page.gate.turnstile',
      'page.brand.signin-markers',
      'page.exfil.telegram',
      'page.brand.favicon-match',
    ]) {
      assert.ok(ids.includes(id), `missing ${id} in ${ids.join(', ')}`);
    }
    assert.equal(rec.verdict, 'malicious');
    assert.ok(rec.evidence);
    const snap = await store.read(rec.evidence);
    assert.ok(snap?.screenshot && snap.screenshot.length > 1000, 'screenshot stored');
    assert.ok(snap?.favicon, 'favicon stored');
    assert.ok(snap.requests.some((r) => r.url.includes('/m365')));
    assert.match(snap.html, /loginfmt/);
  });

  it('leaves an honest sign-in page with Turnstile benign', async () => {
    const rec = await crawlUrl(`${origin('northwind-forum')}/turnstile`, { guard, analyzer, renderer });
    assert.equal(rec.verdict, 'benign', JSON.stringify(rec.signals));
    assert.ok(rec.signals.some((s) => s.id === 'page.gate.turnstile'));
  });

  it('sees through document.write(atob(…)) to the credential form', async () => {
    const rec = await crawlUrl(`${origin('cdn-secure-files')}/obfuscated`, {
      guard,
      analyzer,
      renderer,
      differential: false,
    });
    const ids = rec.signals.map((s) => s.id);
    assert.ok(ids.includes('page.gate.obfuscation'));
    assert.ok(ids.includes('page.capture.password-field'), 'the decoded form is in the rendered DOM');
    assert.ok(ids.includes('page.capture.offsite-form'));
  });

  it('catches cloaking between the crawler and the webmail visitor', async () => {
    const rec = await crawlUrl(`${origin('green-valley')}/cloak`, { guard, analyzer, renderer });
    assert.ok(
      rec.signals.some((s) => s.id === 'page.cloak.differential'),
      JSON.stringify(rec.signals),
    );
  });

  it('routes every browser request through the guard', async () => {
    const before = other.hits.length;
    const snap = await renderer.render(`${origin('probe')}/ssrf`);
    assert.match(snap.html, /probe/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(other.hits.length, before, `internal server was reached: ${other.hits.join(', ')}`);
    await assert.rejects(
      renderer.render(`${origin('probe')}/to-internal`),
      (e: unknown) => isCrawlError(e) && e.code === 'SSRF_REFUSED',
    );
    assert.equal(other.hits.length, before);
  });

  it('refuses loopback targets without --allow-private', async () => {
    const strict = await PageRenderer.launch({ guard: new SsrfGuard(), executablePath: CHROMIUM });
    try {
      await assert.rejects(
        strict.render(`${srv.origin}/m365`),
        (e: unknown) => isCrawlError(e) && e.code === 'SSRF_REFUSED',
      );
    } finally {
      await strict.close();
    }
  });
});
