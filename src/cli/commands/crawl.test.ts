import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, readFixture } from '../../../test/support/page-corpus.js';
import { html, startTestServer, type TestServer } from '../../../test/support/test-server.js';
import type { CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { runCrawl } from './crawl.js';

function io(cwd: string): { io: CliIo; out: () => string[] } {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: { PRECURSOR_HOME: cwd }, cwd },
    out: () => chunks.join('').trim().split('\n').filter(Boolean),
  };
}

describe('precursor crawl', () => {
  let srv: TestServer;
  let dir: string;
  before(async () => {
    srv = await startTestServer({
      '/kit': html(readFixture('kits/anti-debug-webmail.html')),
      '/ok': html(readFixture('honest/signin-plain.html')),
    });
    dir = await mkdtemp(join(tmpdir(), 'precursor-crawl-'));
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON line per URL with verdict, signals and evidence', async () => {
    const t = io(dir);
    const code = await runCrawl(
      [`${srv.origin}/kit`, `${srv.origin}/ok`],
      { allowPrivate: true, brands: join(FIXTURES, 'brands') },
      t.io,
    );
    assert.equal(code, EXIT.OK);
    const [kit, ok] = t.out().map((l) => JSON.parse(l));
    assert.equal(kit.verdict, 'malicious');
    assert.equal(kit.flagged, true);
    assert.match(kit.evidence, /^[0-9a-f]{64}$/);
    assert.ok(kit.signals.some((s: { id: string }) => s.id === 'page.gate.devtools-trap'));
    assert.equal(kit.final_url, `${srv.origin}/kit`);
    assert.equal(ok.verdict, 'benign');
  });

  it('refuses private targets without --allow-private and says so per line', async () => {
    const t = io(dir);
    const before = srv.hits.length;
    const code = await runCrawl([`${srv.origin}/kit`, 'ftp://x'], {}, t.io);
    assert.equal(code, EXIT.PARTIAL);
    const lines = t.out().map((l) => JSON.parse(l));
    assert.equal(lines[0].error.code, 'SSRF_REFUSED');
    assert.equal(lines[1].error.code, 'BAD_URL');
    assert.equal(srv.hits.length, before);
  });

  it('takes allowPrivate from the caller (config crawl.allowPrivate) or PRECURSOR_ALLOW_PRIVATE only', async () => {
    const withEnv = (env: Record<string, string>) => {
      const t = io(dir);
      return { ...t, io: { ...t.io, env: { ...t.io.env, ...env } } };
    };
    const ok = withEnv({ PRECURSOR_ALLOW_PRIVATE: 'true' });
    assert.equal(await runCrawl([`${srv.origin}/ok`], {}, ok.io), EXIT.OK);
    assert.equal(JSON.parse(ok.out()[0] ?? '{}').verdict, 'benign');
    const one = withEnv({ PRECURSOR_ALLOW_PRIVATE: '1' });
    assert.equal(await runCrawl([`${srv.origin}/ok`], {}, one.io), EXIT.OK);
    // The retired name does nothing.
    const old = withEnv({ PRECURSOR_CRAWL_ALLOW_PRIVATE: 'true' });
    assert.equal(await runCrawl([`${srv.origin}/ok`], {}, old.io), EXIT.PARTIAL);
    assert.equal(JSON.parse(old.out()[0] ?? '{}').error.code, 'SSRF_REFUSED');
    // An explicit false from the caller's config wins over the environment.
    const off = withEnv({ PRECURSOR_ALLOW_PRIVATE: 'true' });
    assert.equal(await runCrawl([`${srv.origin}/ok`], { allowPrivate: false }, off.io), EXIT.PARTIAL);
  });

  it('rejects usage errors', async () => {
    assert.equal(await runCrawl([], {}, io(dir).io), EXIT.USAGE);
    assert.equal(await runCrawl(['http://x.test/'], { concurrency: '0' }, io(dir).io), EXIT.USAGE);
  });
});
