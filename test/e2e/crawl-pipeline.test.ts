/**
 * Crawl → store → detect: a crawled kit page becomes a snapshot entity scored by the page detector,
 * linked to its URL; the crawl queue fed by flagged names is drained and settled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityKey } from '../../src/domain/index.js';
import { readFixture } from '../support/page-corpus.js';
import { storeFactories, type TestStore } from '../support/stores.js';
import { html, startTestServer, type TestServer } from '../support/test-server.js';
import { cli } from '../support/cli.js';

for (const factory of storeFactories()) {
  describe(`crawl into the pipeline [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let srv: TestServer;
    before(async () => {
      if (skip) return;
      t = await factory.open();
      srv = await startTestServer({
        '/login': html(readFixture('demo/m365-gated-clone.html')),
        '/queued': html(readFixture('demo/slider-captcha.html')),
      });
    });
    after(async () => {
      if (skip) return;
      await srv.close();
      await t.cleanup();
    });

    it('records a crawled page as a scored snapshot linked to its URL', { skip }, async () => {
      const url = `${srv.origin}/login`;
      const r = await cli(['crawl', url, '--allow-private', '--json'], t.env);
      assert.equal(r.code, 0, r.err);
      const line = JSON.parse(r.out.trim()) as { evidence: string; flagged: boolean };
      assert.equal(line.flagged, true);
      const key = `snapshot:sha256:${line.evidence}` as EntityKey;
      const a = await t.store.assessments.get(key);
      assert.ok(a?.flagged, 'the page detector flagged the stored snapshot');
      assert.ok(a.contributions.some((c) => c.id.startsWith('page.')));
      const links = await t.store.entities.links(key);
      assert.ok(links.some((l) => l.pivot === 'snapshot-of' && l.to === `url:${url}`));
      const again = await cli(['crawl', url, '--allow-private', '--json'], t.env);
      assert.equal(again.code, 0);
      // Each crawl is evidence of what was seen at that moment: a second snapshot of the same URL.
      const snaps = (await t.store.entities.links(`url:${url}` as EntityKey)).filter(
        (l) => l.pivot === 'snapshot-of',
      );
      assert.equal(snaps.length, 2);
    });

    it('drains the crawl queue and settles each item', { skip }, async () => {
      await t.store.queue.enqueue([
        { queue: 'crawl', key: 'domain:live.example', payload: { url: `${srv.origin}/login` } },
        { queue: 'crawl', key: 'domain:queued.example', payload: { url: `${srv.origin}/queued` } },
        { queue: 'crawl', key: 'domain:gone.example', payload: { url: 'http://127.0.0.1:1/' } },
      ]);
      const r = await cli(['crawl', '--queue', '--allow-private', '--json', '--no-differential'], t.env);
      assert.equal(r.code, 3, 'one queued URL failed');
      const stats = await t.store.queue.stats('crawl');
      assert.equal(stats.done, 1, 'the live sign-in clone is done');
      assert.equal(
        stats.pending,
        2,
        'the failure is retried later, and the gate without a form is re-crawled',
      );
      const empty = await cli(['crawl', '--queue', '--allow-private'], t.env);
      assert.equal(empty.code, 0);
      assert.match(empty.err, /queue is empty/);
    });

    it('refuses loopback targets unless allowed', { skip }, async () => {
      const r = await cli(['crawl', `${srv.origin}/login`, '--json'], t.env);
      assert.equal(r.code, 3);
      assert.match(r.out, /SSRF_REFUSED/);
    });
  });
}
