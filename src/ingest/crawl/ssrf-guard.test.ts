import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCrawlError } from './crawl-error.js';
import { classifyAddress } from './ip-policy.js';
import { plainFetch } from './plain-fetch.js';
import { type Resolver, SsrfGuard } from './ssrf-guard.js';
import { html, redirect, startTestServer, type TestServer } from '../../../test/support/test-server.js';

// In these tests 127.0.0.1 plays "the public internet"; every other non-public address keeps the real
// classification, so a redirect or a DNS answer pointing at one of them must be refused.
const pretendPublic = (a: string) =>
  a === '127.0.0.1' ? { allowed: true, reason: 'public' } : classifyAddress(a);

const refusedCode = async (p: Promise<unknown>, code = 'SSRF_REFUSED'): Promise<void> => {
  await assert.rejects(p, (e: unknown) => isCrawlError(e) && e.code === code);
};

describe('SSRF guard', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({
      '/': html('<title>ok</title>'),
      '/to-loopback': (req, res) => redirect(`http://127.0.0.2:${req.socket.localPort}/`)(req, res),
      '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
      '/to-mapped': (req, res) => redirect(`http://[::ffff:10.0.0.1]:${req.socket.localPort}/`)(req, res),
      '/to-internal-name': (req, res) => redirect(`http://internal.test:${req.socket.localPort}/`)(req, res),
      '/to-self': (req, res) => redirect(`http://rebind.test:${req.socket.localPort}/`)(req, res),
      '/loop': redirect('/loop'),
      '/big': (_req, res) => res.writeHead(200).end('x'.repeat(100_000)),
    });
  });
  after(() => srv.close());

  it('refuses loopback targets by default and sends nothing', async () => {
    const guard = new SsrfGuard();
    await refusedCode(plainFetch(`${srv.origin}/`, { guard }));
    await refusedCode(plainFetch(`http://[::1]:${srv.port}/`, { guard }));
    await refusedCode(plainFetch(`http://0x7f000001:${srv.port}/`, { guard }));
    await refusedCode(plainFetch(`http://2130706433:${srv.port}/`, { guard }));
    assert.deepEqual(srv.hits, []);
  });

  it('refuses names that resolve to private addresses, and mixed answers', async () => {
    const resolver: Resolver = async (h) =>
      h === 'mixed.test'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '10.0.0.1', family: 4 },
          ]
        : [{ address: '192.168.0.10', family: 4 }];
    const guard = new SsrfGuard({ resolver });
    await refusedCode(guard.pin('http://intranet.test/'));
    await refusedCode(guard.pin('http://mixed.test/'));
  });

  it('refuses non-http schemes', async () => {
    await refusedCode(new SsrfGuard().pin('file:///etc/passwd'), 'BAD_URL');
    await refusedCode(new SsrfGuard().pin('not a url'), 'BAD_URL');
  });

  it('allows private targets only when told to', async () => {
    const res = await plainFetch(`${srv.origin}/`, { guard: new SsrfGuard({ allowPrivate: true }) });
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<title>ok/);
  });

  it('re-checks every redirect hop', async () => {
    const resolver: Resolver = async () => [{ address: '10.1.1.1', family: 4 }];
    const guard = new SsrfGuard({ policy: pretendPublic, resolver });
    const before = srv.hits.length;
    await refusedCode(plainFetch(`${srv.origin}/to-loopback`, { guard }));
    await refusedCode(plainFetch(`${srv.origin}/to-metadata`, { guard }));
    await refusedCode(plainFetch(`${srv.origin}/to-mapped`, { guard }));
    await refusedCode(plainFetch(`${srv.origin}/to-internal-name`, { guard }));
    // Only the first hops reached the server.
    assert.deepEqual(srv.hits.slice(before), [
      '/to-loopback',
      '/to-metadata',
      '/to-mapped',
      '/to-internal-name',
    ]);
  });

  it('pins the checked address against DNS rebinding', async () => {
    // First answer is "public", every later answer private: a guard that resolved again at connect
    // time (or let undici resolve) would either fail on the unknown name or reach the private address.
    let calls = 0;
    const resolver: Resolver = async () => {
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '10.0.0.7', family: 4 }];
    };
    const guard = new SsrfGuard({ policy: pretendPublic, resolver });
    const res = await plainFetch(`http://rebind.test:${srv.port}/`, { guard });
    assert.equal(res.status, 200);
    assert.equal(res.address, '127.0.0.1');
    assert.equal(calls, 1);
    // A redirect back to the same name is resolved again, and the rebound answer is refused.
    await refusedCode(plainFetch(`http://rebind.test:${srv.port}/to-self`, { guard }));
  });

  it('bounds redirects and bytes', async () => {
    const guard = new SsrfGuard({ allowPrivate: true });
    await refusedCode(
      plainFetch(`${srv.origin}/loop`, { guard, limits: { maxRedirects: 3 } }),
      'TOO_MANY_REDIRECTS',
    );
    const big = await plainFetch(`${srv.origin}/big`, { guard, limits: { maxBytes: 1000 } });
    assert.equal(big.truncated, true);
    assert.equal(big.body.length, 1000);
  });
});
