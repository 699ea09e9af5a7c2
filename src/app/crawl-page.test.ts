import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFixture } from '../../test/support/page-corpus.js';
import { html, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { createPageAnalyzer } from '../detect/page/analyze-page.js';
import { SsrfGuard } from '../ingest/crawl/ssrf-guard.js';
import { crawlUrl } from './crawl-page.js';

describe('crawlUrl', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ '/ok': html(readFixture('honest/signin-plain.html')) });
  });
  after(() => srv.close());
  const analyzer = createPageAnalyzer();

  it('takes an explicit allowPrivate from the caller when no guard is given (default: refuse)', async () => {
    const rec = await crawlUrl(`${srv.origin}/ok`, { analyzer, allowPrivate: true, differential: false });
    assert.equal(rec.verdict, 'benign');
    const before = srv.hits.length;
    await assert.rejects(crawlUrl(`${srv.origin}/ok`, { analyzer, differential: false }), {
      code: 'SSRF_REFUSED',
    });
    await assert.rejects(crawlUrl(`${srv.origin}/ok`, { analyzer, allowPrivate: false }), {
      code: 'SSRF_REFUSED',
    });
    assert.equal(srv.hits.length, before, 'nothing reached the loopback server');
  });

  it('refuses an allowPrivate that contradicts the guard it is given', async () => {
    await assert.rejects(
      crawlUrl(`${srv.origin}/ok`, { analyzer, guard: new SsrfGuard(), allowPrivate: true }),
      /disagrees/,
    );
  });
});
