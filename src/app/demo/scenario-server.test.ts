import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCrawlError } from '../../ingest/crawl/crawl-error.js';
import { plainFetch } from '../../ingest/crawl/plain-fetch.js';
import { SsrfGuard } from '../../ingest/crawl/ssrf-guard.js';
import { type ScenarioServer, startScenarioServer } from './scenario-server.js';

const refused = (p: Promise<unknown>, code = 'SSRF_REFUSED') =>
  assert.rejects(p, (e: unknown) => isCrawlError(e) && e.code === code);

describe('scenario web server behind the SSRF guard', () => {
  let server: ScenarioServer;
  let now = 0;
  before(async () => {
    server = await startScenarioServer({
      sites: new Map([
        ['kit.test', { files: new Map([['/index.html', Buffer.from('<title>kit</title>')]]), from: 1000 }],
        [
          'honest.test',
          {
            files: new Map([
              ['/index.html', Buffer.from('<title>home</title>')],
              ['/a/b.css', Buffer.from('body{}')],
            ]),
          },
        ],
      ]),
      hosts: new Set(['parked.test']),
      now: () => now,
    });
  });
  after(() => server.close());

  it('serves a world name by its Host header over plain HTTP, whatever the URL scheme', async () => {
    const guard = new SsrfGuard({ scenario: server.network() });
    const r = await plainFetch('https://honest.test/', { guard });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '<title>home</title>');
    assert.equal(r.finalUrl, 'https://honest.test/', 'the evidence keeps the URL as crawled');
    assert.equal((await plainFetch('https://HONEST.test./a/b.css', { guard })).status, 200);
    assert.equal((await plainFetch('https://honest.test/../../etc/passwd', { guard })).status, 404);
    assert.equal((await plainFetch('https://parked.test/', { guard })).status, 404);
  });

  it('answers for a kit only from the simulated moment it was deployed', async () => {
    const guard = new SsrfGuard({ scenario: server.network() });
    now = 999;
    assert.equal((await plainFetch('https://kit.test/', { guard })).status, 404);
    now = 1000;
    const r = await plainFetch('https://kit.test/', { guard });
    assert.equal(r.status, 200);
    assert.match(r.body.toString(), /kit/);
  });

  it('opens nothing else: other names, the loopback address itself, and non-loopback scenarios are refused', async () => {
    // Any other name still goes through the resolver and the address policy.
    const guard = new SsrfGuard({
      scenario: server.network(),
      resolver: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    await refused(plainFetch('https://elsewhere.test/', { guard }));
    await refused(plainFetch(`${server.origin}/`, { guard }));
    await refused(plainFetch(`http://localhost:${server.origin.split(':')[2]}/`, { guard }));
    assert.throws(
      () => new SsrfGuard({ scenario: { address: '10.0.0.5', port: 80, has: () => true } }),
      /loopback/,
    );
    assert.throws(
      () => new SsrfGuard({ scenario: { address: '127.0.0.1', port: 0, has: () => true } }),
      /loopback/,
    );
  });
});
