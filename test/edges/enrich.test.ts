/**
 * `precursor enrich` does not hide failures: a lookup that failed is a counted dead letter (exit 3),
 * does not count as done (the next run retries it, the same day), every wait is bounded by
 * `--timeout`, and a terminal shows progress.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../support/cli.js';

const FIXTURE = readFileSync(new URL('../fixtures/rdap/20c.com.json', import.meta.url), 'utf8');

describe('precursor enrich when RDAP fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-enrich-'));
  const env = { PRECURSOR_HOME: join(dir, 'home') };
  let mode: 'down' | 'up' | 'silent' = 'down';
  let requests = 0;
  let server: Server;
  let bootstrap: string;

  before(async () => {
    server = createServer((req, res) => {
      requests++;
      if (mode === 'silent') return; // accepts the connection, never answers
      if (mode === 'down') {
        res.statusCode = 503;
        res.setHeader('retry-after', '0');
        res.end('maintenance');
        return;
      }
      res.setHeader('content-type', 'application/rdap+json');
      res.end(FIXTURE.replaceAll('20C.COM', (req.url ?? '').split('/').pop()?.toUpperCase() ?? ''));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rdap/`;
    bootstrap = join(dir, 'dns.json');
    writeFileSync(bootstrap, JSON.stringify({ services: [[['example', 'com'], [base]]] }));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const enrich = (...extra: string[]) =>
    cli(
      [
        'enrich',
        'alpha-enrich.example',
        'beta-enrich.example',
        '--bootstrap',
        bootstrap,
        '--no-dns',
        '--no-detect',
        '--rdap-interval',
        '0',
        '--json',
        ...extra,
      ],
      env,
    );

  it('counts failed lookups as rejected dead letters and exits 3', async () => {
    mode = 'down';
    const r = await enrich('--retries', '1', '--timeout', '2000');
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const s = JSON.parse(r.out) as { records: number; inserted: number; rejected: number };
    assert.deepEqual([s.records, s.inserted, s.rejected], [2, 0, 2]);
    const dl = (await cli(['dead-letters', '--source', 'enrich', '--json'], env)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { position: string; code: string; reason: string });
    assert.deepEqual(
      dl.map((d) => [d.position, d.code]),
      [
        ['domain alpha-enrich.example', 'SOURCE_FAILED'],
        ['domain beta-enrich.example', 'SOURCE_FAILED'],
      ],
    );
    assert.match(dl[0]?.reason ?? '', /retried on the next run: RDAP: .* failed after 2 attempts: HTTP 503/);
  });

  it('a failed attempt does not count as done: the same day, the next run looks the names up again', async () => {
    // Only the options every version has: the server fails fast (Retry-After: 0), then recovers.
    const run = () =>
      cli(
        [
          'enrich',
          'zeta-enrich.example',
          'eta-enrich.example',
          '--bootstrap',
          bootstrap,
          '--no-dns',
          '--no-detect',
          '--rdap-interval',
          '0',
          '--json',
        ],
        env,
      );
    mode = 'down';
    const failed = JSON.parse((await run()).out) as { inserted: number; rejected: number };
    assert.deepEqual([failed.inserted, failed.rejected], [0, 2]);
    mode = 'up';
    const r = await run();
    assert.equal(r.code, EXIT.OK, r.err);
    const s = JSON.parse(r.out) as { inserted: number; duplicates: number; rejected: number };
    assert.deepEqual([s.inserted, s.duplicates, s.rejected], [2, 0, 0], 'looked up again, not a duplicate');
    const again = JSON.parse((await run()).out) as { inserted: number; duplicates: number };
    assert.deepEqual([again.inserted, again.duplicates], [0, 2], 'a success is cached for the day');
  });

  it('bounds every wait: a server that never answers fails after --timeout, not minutes later', {
    timeout: 60_000,
  }, async () => {
    mode = 'silent';
    requests = 0;
    const started = performance.now();
    const r = await cli(
      [
        'enrich',
        'gamma-enrich.example',
        '--bootstrap',
        bootstrap,
        '--no-dns',
        '--no-detect',
        '--rdap-interval',
        '0',
        '--timeout',
        '500',
        '--retries',
        '1',
        '--json',
      ],
      env,
    );
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    assert.equal(requests, 2, 'one attempt and one retry');
    assert.ok(seconds < 15, `gave up in ${seconds.toFixed(1)} s`);
    const d = (await cli(['dead-letters', '--source', 'enrich', '--limit', '0', '--json'], env)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { position: string; reason: string })
      .find((x) => x.position === 'domain gamma-enrich.example');
    assert.match(d?.reason ?? '', /timed out after 500 ms/);
  });

  it('shows progress per domain on a terminal', async () => {
    mode = 'up';
    const r = await cli(
      [
        'enrich',
        'delta-enrich.example',
        'epsilon-enrich.example',
        '--bootstrap',
        bootstrap,
        '--no-dns',
        '--no-detect',
        '--rdap-interval',
        '200',
      ],
      env,
      { tty: true },
    );
    assert.equal(r.code, EXIT.OK, r.err);
    assert.match(r.err, /enrich: 1\/2 domains looked up, 0 failed/);
  });
});
