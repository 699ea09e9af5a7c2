/**
 * `precursor ingest ct|zone|certstream` and `precursor enrich`, run in-process through commander
 * (`runCli`) against loopback servers and the recorded fixtures; exit codes per `exit-codes.ts`.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as dnsPacket from 'dns-packet';
import { parseMerkleTreeLeaf } from '../../ingest/sources/ct/ct-leaf.js';
import { recordedEntries, startRfc6962TestLog, type TestLog } from '../../ingest/sources/ct/test-log.js';
import { EXIT } from '../exit-codes.js';
import { cli } from '../../../test/support/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CT = join(ROOT, 'test/fixtures/ct');
const ZONES = join(ROOT, 'test/fixtures/zones');
const RDAP = join(ROOT, 'test/fixtures/rdap');

const json = <T>(s: string): T => JSON.parse(s) as T;

interface Summary {
  source: string;
  records: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  detect: { entities: number } | null;
}

describe('precursor ingest ct|zone|certstream and enrich', () => {
  let home: string;
  let log: TestLog;
  let logList: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'precursor-cli-sources-'));
    log = await startRfc6962TestLog(recordedEntries(CT), { maxBatch: 3, throttleEvery: 4 });
    logList = join(home, 'log_list.json');
    writeFileSync(
      logList,
      JSON.stringify({
        operators: [
          {
            name: 'Loopback',
            logs: [
              {
                description: 'loopback test log',
                log_id: Buffer.alloc(32, 1).toString('base64'),
                url: log.url,
                mmd: 86400,
                state: { usable: { timestamp: '2026-01-01T00:00:00Z' } },
              },
            ],
          },
        ],
      }),
    );
  });
  after(async () => {
    await log.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('ingest ct: reads the loopback log from index 0 to its end, then resumes with nothing to do', async () => {
    const r = await cli(['--home', home, 'ingest', 'ct', '--logs', logList, '--from-index', '0', '--json']);
    assert.equal(r.code, EXIT.OK, r.err);
    const s = json<{ logs: Array<{ ok: boolean; summary: Summary }> }>(r.out);
    assert.equal(s.logs.length, 1);
    assert.equal(s.logs[0]?.ok, true);
    assert.equal(s.logs[0]?.summary.records, 7);
    assert.equal(s.logs[0]?.summary.inserted, 7);
    const e = await cli(['--home', home, 'entity', 'itech.social', '--json']);
    assert.equal(e.code, EXIT.OK, e.err);
    const d = json<{ key: string; assessment: { score: number }; links: Array<{ pivot: string }> }>(e.out);
    assert.equal(d.key, 'domain:itech.social');
    assert.equal(d.assessment.score, 0);
    assert.ok(d.links.some((l) => l.pivot === 'cert-name'));
    // From the checkpoint (7): the tree has not grown, so nothing is read.
    const again = await cli(['--home', home, 'ingest', 'ct', '--logs', logList, '--json']);
    assert.equal(again.code, EXIT.OK, again.err);
    assert.equal(json<{ logs: Array<{ summary: Summary }> }>(again.out).logs[0]?.summary.records, 0);
  });

  it('ingest ct (detect.materialise: signalled): an honest certificate stays an observation, and a lookup re-derives its name as materialise: all stores it', async () => {
    const lean = join(home, 'lean');
    const config = join(home, 'signalled.yaml');
    writeFileSync(config, 'detect:\n  materialise: signalled\n');
    const r = await cli([
      '--config',
      config,
      '--home',
      lean,
      'ingest',
      'ct',
      '--logs',
      logList,
      '--from-index',
      '0',
      '--json',
    ]);
    assert.equal(r.code, EXIT.OK, r.err);
    // Not a graph row (docs/model.md, "What the graph holds") …
    const listed = await cli(['--config', config, '--home', lean, 'entities', '--search', 'itech', '--json']);
    assert.doesNotMatch(listed.out, /domain:itech\.social/);
    // … but a lookup answers from the stored observation, as the materialised entity reads.
    const e = await cli(['--config', config, '--home', lean, 'entity', 'itech.social', '--json']);
    assert.equal(e.code, EXIT.OK, e.err);
    const all = join(home, 'all.yaml');
    writeFileSync(all, 'detect:\n  materialise: all\n');
    const fullHome = join(home, 'full');
    const f = await cli([
      '--config',
      all,
      '--home',
      fullHome,
      'ingest',
      'ct',
      '--logs',
      logList,
      '--from-index',
      '0',
      '--json',
    ]);
    assert.equal(f.code, EXIT.OK, f.err);
    const everything = await cli([
      '--config',
      all,
      '--home',
      fullHome,
      'entities',
      '--search',
      'itech',
      '--json',
    ]);
    assert.match(everything.out, /domain:itech\.social/);
    const full = await cli(['--config', all, '--home', fullHome, 'entity', 'itech.social', '--json']);
    const pick = (out: string) => {
      const d = json<{
        key: string;
        assessment: unknown;
        links: Array<{ from: string; pivot: string; strength: number }>;
      }>(out);
      return {
        key: d.key,
        assessment: d.assessment,
        links: d.links.map((l) => [l.from, l.pivot, l.strength]),
      };
    };
    assert.deepEqual(pick(e.out), pick(full.out));
  });

  it('ingest ct: usage errors exit 2; a log that fails exits 1', async () => {
    assert.equal((await cli(['--home', home, 'ingest', 'ct'])).code, EXIT.USAGE, '--logs is required');
    assert.equal(
      (await cli(['--home', home, 'ingest', 'ct', '--logs', join(home, 'missing.json')])).code,
      EXIT.USAGE,
    );
    assert.equal(
      (await cli(['--home', home, 'ingest', 'ct', '--logs', logList, '--log', 'no-such-log'])).code,
      EXIT.USAGE,
    );
    const dead = join(home, 'dead_list.json');
    const list = json<{ operators: Array<{ logs: Array<{ url: string }> }> }>(readFileSync(logList, 'utf8'));
    // A path the loopback log does not serve: 404, which is not retried.
    (list.operators[0]?.logs[0] as { url: string }).url = `${log.url}no-such-log/`;
    writeFileSync(dead, JSON.stringify(list));
    const r = await cli(['--home', home, 'ingest', 'ct', '--logs', dead, '--from-index', '0', '--no-detect']);
    assert.equal(r.code, EXIT.FAILURE, r.out + r.err);
    assert.match(r.out, /FAILED SOURCE_FAILED/);
  });

  const ingestZone = (oldZone: string, newZone: string, work: string) =>
    cli(['--home', home, 'ingest', 'zone', '--old', oldZone, '--new', newZone, '--work-dir', work, '--json']);

  it('ingest zone: the two root-zone snapshots give the real delegation changes; a bad file exits 1', async () => {
    const work = join(home, 'zone-work');
    const diffZones = () =>
      ingestZone(join(ZONES, 'root.zone.2023-12-31'), join(ZONES, 'root.zone.2026-08-22'), work);
    const r = await diffZones();
    assert.equal(r.code, EXIT.OK, r.err);
    const s = json<Summary>(r.out);
    assert.equal(s.source, 'zone:.');
    assert.equal(s.records, 2 + 18 + 294);
    assert.equal(s.inserted, 314);
    const e = await cli(['--home', home, 'entities', '--type', 'domain', '--search', 'merck', '--json']);
    assert.match(e.out, /"domain:merck"/);
    const again = await diffZones();
    assert.equal(again.code, EXIT.OK, again.err);
    assert.equal(json<Summary>(again.out).records, 0, 'resumed at the end of the diff');
    const missing = await cli([
      '--home',
      home,
      'ingest',
      'zone',
      '--old',
      join(home, 'nope'),
      '--new',
      join(home, 'nope'),
    ]);
    assert.equal(missing.code, EXIT.FAILURE);
    assert.equal((await cli(['--home', home, 'ingest', 'zone', '--old', 'a'])).code, EXIT.USAGE);
  });

  it('ingest zone: malformed zone entries become dead letters and exit 3', async () => {
    const a = join(home, 'a.zone');
    const b = join(home, 'b.zone');
    writeFileSync(a, '$ORIGIN example.\n@ 3600 IN SOA ns hm 2024010101 1 1 1 1\nkeep IN NS ns1.host.net.\n');
    writeFileSync(
      b,
      '$ORIGIN example.\n@ 3600 IN SOA ns hm 2024010201 1 1 1 1\nkeep IN NS ns1.host.net.\nbroken IN NS\nnew-login IN NS ns1.host.net.\n',
    );
    const r = await ingestZone(a, b, join(home, 'zw2'));
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const s = json<Summary>(r.out);
    assert.equal(s.inserted, 1);
    assert.equal(s.rejected, 1);
    const d = await cli(['--home', home, 'dead-letters', '--source', 'zone:example', '--json']);
    assert.match(d.out, /line 4: NS record without RDATA/);
  });

  it('ingest certstream FILE: replays a JSON-lines file, dead-letters a bad line (exit 3), then resumes', async () => {
    const example = readFileSync(join(CT, 'certstream-certificate_update.json'), 'utf8');
    const m = json<{ data: { cert_index: number; leaf_cert: Record<string, unknown> } }>(example);
    const e = recordedEntries(CT)[5] as { leaf_input: string };
    m.data.cert_index = 99;
    m.data.leaf_cert.as_der = Buffer.from(
      parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64')).der,
    ).toString('base64');
    const file = join(home, 'replay.jsonl');
    writeFileSync(file, [example.trim(), 'not json', JSON.stringify(m), ''].join('\n'));
    const r = await cli([
      '--home',
      home,
      'ingest',
      'certstream',
      file,
      '--source-id',
      'certstream:cli',
      '--json',
    ]);
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const s = json<Summary>(r.out);
    assert.deepEqual([s.source, s.records, s.rejected], ['certstream:cli', 3, 1]);
    assert.ok(s.inserted >= 2);
    const again = await cli([
      '--home',
      home,
      'ingest',
      'certstream',
      file,
      '--source-id',
      'certstream:cli',
      '--json',
    ]);
    assert.equal(again.code, EXIT.OK, again.err);
    assert.equal(json<Summary>(again.out).records, 0);
    const missing = await cli(['--home', home, 'ingest', 'certstream', join(home, 'nope.jsonl')]);
    assert.equal(missing.code, EXIT.FAILURE);
    assert.equal((await cli(['--home', home, 'ingest', 'certstream'])).code, EXIT.USAGE);
  });

  describe('enrich', () => {
    let rdap: Server;
    let dns: Socket;
    let bootstrap: string;
    let resolver: string;
    before(async () => {
      const body = readFileSync(join(RDAP, '20c.com.json'), 'utf8');
      rdap = createServer((req, res) => {
        if (req.url === '/rdap/domain/20c.com') {
          res.setHeader('content-type', 'application/rdap+json');
          res.end(body);
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((r) => rdap.listen(0, '127.0.0.1', r));
      dns = createSocket('udp4');
      dns.on('message', (msg, rinfo) => {
        const q = dnsPacket.decode(msg);
        const question = q.questions?.[0];
        const answers =
          question?.name.toLowerCase() === 'www.20c.com' && question.type === 'A'
            ? [{ name: 'www.20c.com', type: 'A' as const, ttl: 60, class: 'IN' as const, data: '192.0.2.10' }]
            : [];
        dns.send(
          dnsPacket.encode({ id: q.id, type: 'response', flags: 0, questions: q.questions ?? [], answers }),
          rinfo.port,
          rinfo.address,
        );
      });
      await new Promise<void>((r) => dns.bind(0, '127.0.0.1', () => r()));
      resolver = `127.0.0.1:${dns.address().port}`;
      bootstrap = join(home, 'dns.json');
      writeFileSync(
        bootstrap,
        JSON.stringify({
          version: '1.0',
          services: [[['com'], [`http://127.0.0.1:${(rdap.address() as AddressInfo).port}/rdap/`]]],
        }),
      );
    });
    after(async () => {
      rdap.closeAllConnections();
      await new Promise<void>((r) => rdap.close(() => r()));
      dns.close();
    });

    it('writes RDAP and DNS facts for the given names through loopback servers', async () => {
      const r = await cli([
        '--home',
        home,
        'enrich',
        'www.20c.com',
        '--bootstrap',
        bootstrap,
        '--resolver',
        resolver,
        '--rdap-interval',
        '0',
        '--json',
      ]);
      assert.equal(r.code, EXIT.OK, r.err);
      const s = json<Summary>(r.out);
      assert.equal(s.inserted, 1);
      const e = await cli(['--home', home, 'entities', '--type', 'domain', '--search', '20c.com', '--json']);
      const www = e.out
        .trim()
        .split('\n')
        .map((l) => json<{ key: string; attrs?: Record<string, unknown> }>(l))
        .find((x) => x.key === 'domain:www.20c.com');
      assert.equal(www?.attrs?.registeredAt, '2004-06-28T18:28:14.000Z');
    });

    it('usage errors exit 2: no names and no --flagged, a bad flag value', async () => {
      assert.equal((await cli(['--home', home, 'enrich', '--no-rdap', '--no-dns'])).code, EXIT.USAGE);
      assert.equal((await cli(['--home', home, 'enrich', 'x.com', '--limit', 'zero'])).code, EXIT.USAGE);
    });

    it('an unreadable bootstrap file exits 1', async () => {
      const r = await cli(['--home', home, 'enrich', 'www.20c.com', '--bootstrap', join(home, 'nope.json')]);
      assert.equal(r.code, EXIT.FAILURE, r.err);
    });
  });
});
