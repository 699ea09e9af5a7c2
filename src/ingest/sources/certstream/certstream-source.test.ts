import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import type { Observation } from '../../../domain/index.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { LineRecord, readLineBatches } from '../../line-reader.js';
import { runIngest } from '../../run-ingest.js';
import { parseMerkleTreeLeaf } from '../ct/ct-leaf.js';
import { recordedEntries } from '../ct/test-log.js';
import { readParsedAhead } from './certstream-parse-ahead.js';
import { createCertstreamSource, parseCertstreamMessage } from './certstream-source.js';

const FIXTURES = new URL('../../../../test/fixtures/ct', import.meta.url).pathname;
const EXAMPLE = readFileSync(`${FIXTURES}/certstream-certificate_update.json`, 'utf8');

/** The recorded message with the leaf certificate of a recorded CT entry attached (a "full" stream). */
function withDer(index: number, certIndex: number): string {
  const m = JSON.parse(EXAMPLE) as { data: { cert_index: number; leaf_cert: Record<string, unknown> } };
  const e = recordedEntries(FIXTURES)[index] as { leaf_input: string };
  m.data.cert_index = certIndex;
  m.data.leaf_cert.as_der = Buffer.from(
    parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64')).der,
  ).toString('base64');
  return JSON.stringify(m);
}

describe('certstream messages', () => {
  it('the recorded SHA-1-only message yields its names as domain observations at `seen`', () => {
    const r = parseCertstreamMessage('certstream', EXAMPLE);
    assert.ok(r.ok);
    const names = r.observations.map((o) => (o as Observation<'domain'>).payload.name).sort();
    assert.deepEqual(names, ['access.smm-cheap.com', 'www.access.smm-cheap.com']);
    const o = r.observations[0] as Observation<'domain'>;
    assert.equal(o.observedAt, new Date(1581741558.477939 * 1000).toISOString());
    assert.equal(o.payload.context, 'certstream ct.googleapis.com/logs/argon2020#343999487');
  });

  it('a message carrying as_der is parsed as a certificate with the CT source’s dedupe key', () => {
    const r = parseCertstreamMessage('certstream', withDer(5, 42));
    assert.ok(r.ok);
    const o = r.observations[0] as Observation<'certificate'>;
    assert.equal(o.kind, 'certificate');
    assert.equal(o.payload.sha256, '918b46c05785254a44f5caf8e193e1c96b50aeb8d4b417d93caf9d15bdd90b8b');
    assert.deepEqual(o.payload.names, ['sigal.buhle.fr']);
    assert.equal(o.dedupeKey, 'ct:ct.googleapis.com/logs/argon2020|42');
  });

  it('heartbeats are skipped; garbage and wrong shapes are rejected', () => {
    assert.deepEqual(parseCertstreamMessage('c', '{"message_type":"heartbeat","timestamp":1}'), {
      ok: true,
      observations: [],
    });
    const bad = parseCertstreamMessage('c', '{not json');
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.rejection.code, 'PARSE_ERROR');
    const shape = parseCertstreamMessage(
      'c',
      '{"message_type":"certificate_update","data":{"cert_index":"x"}}',
    );
    assert.equal(shape.ok, false);
    if (!shape.ok) assert.equal(shape.rejection.code, 'SCHEMA_INVALID');
  });
});

describe('certstream sources', () => {
  let t: TestStore;
  let dir: string;
  before(async () => {
    t = await sqliteFactory.open();
    dir = mkdtempSync(join(tmpdir(), 'certstream-'));
  });
  after(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays a JSON-lines file, dead-lettering bad lines', async () => {
    const file = join(dir, 'replay.jsonl');
    writeFileSync(file, [EXAMPLE.trim(), withDer(0, 1), 'garbage', withDer(6, 2), ''].join('\n'));
    const s = await runIngest(createCertstreamSource({ input: file, sourceId: 'certstream:file' }), t.store);
    assert.equal(s.records, 4);
    assert.equal(
      s.rejected,
      1,
      JSON.stringify(await t.store.observations.deadLetters({ source: 'certstream:file' })),
    );
    // Three records stored: the SHA-1 message's two names, and two certificates.
    assert.equal(s.inserted, 3);
    assert.equal(await t.store.observations.count('certstream:file'), 4);
    assert.equal(
      (await t.store.observations.deadLetters({ source: 'certstream:file' }))[0]?.position,
      'line 3',
    );
  });

  it('a replay parsed ahead in a worker thread stores, rejects and resumes as one read in the main thread', async () => {
    // Blank lines, a line that is not UTF-8, malformed JSON, a heartbeat, and enough certificates that
    // the worker sends several batches.
    const lines: Buffer[] = [Buffer.from(EXAMPLE.trim())];
    for (let i = 0; i < 1500; i++) {
      lines.push(Buffer.from(withDer(i % 7, 1000 + i)));
      if (i === 3) lines.push(Buffer.from(''), Buffer.from('garbage'));
      if (i === 1200)
        lines.push(Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('{"message_type":"heartbeat"}'));
    }
    const file = join(dir, 'ahead.jsonl');
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const run = async (
      parseAhead: boolean,
      id: string,
      opts: { batchSize?: number; signal?: AbortSignal } = {},
    ) => {
      const store = await sqliteFactory.open();
      try {
        const committed: string[] = [];
        const s = await runIngest(
          createCertstreamSource({ input: file, sourceId: id, parseAhead, parseAheadMinBytes: 0 }),
          store.store,
          {
            batchSize: opts.batchSize ?? 700,
            ...(opts.signal ? { signal: opts.signal } : {}),
            onCommitted: (obs) => {
              for (const o of obs) committed.push(JSON.stringify(o));
            },
          },
        );
        const dead = (await store.store.observations.deadLetters({ source: id })).map((d) => [
          d.position,
          d.raw,
          d.code,
          d.reason,
          d.path,
        ]);
        const { seconds: _s, ...summary } = s;
        return { summary, committed, dead, cursor: await store.store.observations.checkpoint(id) };
      } finally {
        await store.cleanup();
      }
    };
    const inMain = await run(false, 'certstream:ahead');
    const ahead = await run(true, 'certstream:ahead');
    assert.equal(inMain.summary.records, 1504);
    assert.ok(inMain.summary.rejected >= 2 && inMain.summary.inserted > 1000);
    assert.equal(inMain.summary.skipped, 1);
    assert.deepEqual(ahead, inMain);

    // Interrupted after its first batch and run again: it resumes from the checkpoint, in the worker.
    const resumed = await sqliteFactory.open();
    try {
      const source = createCertstreamSource({
        input: file,
        sourceId: 'certstream:ahead',
        parseAhead: true,
        parseAheadMinBytes: 0,
      });
      const committed: string[] = [];
      const ac = new AbortController();
      const onCommitted = (obs: readonly Observation[]) => {
        for (const o of obs) committed.push(JSON.stringify(o));
        ac.abort();
      };
      const first = await runIngest(source, resumed.store, {
        batchSize: 700,
        signal: ac.signal,
        onCommitted,
      });
      assert.equal(first.aborted, true);
      const rest = await runIngest(source, resumed.store, { batchSize: 700, onCommitted });
      assert.ok(rest.resumedFrom !== undefined);
      assert.equal(first.records + rest.records, 1504);
      assert.deepEqual(committed, inMain.committed);
    } finally {
      await resumed.cleanup();
    }
  });

  it('should the parsing worker fail, the main thread reads on from the last line it delivered', async () => {
    const file = join(dir, 'fallback.jsonl');
    writeFileSync(file, `${withDer(0, 1)}\n\n${withDer(1, 2)}\n`);
    const got: string[] = [];
    for await (const batch of readParsedAhead(
      { path: file, from: { offset: 0, line: 0 }, source: 's', lines: 1 },
      'no-such-worker',
      'p:',
      new AbortController().signal,
      async function* (from) {
        got.push(`from ${from.offset}:${from.line}`);
        for await (const lines of readLineBatches(file, from))
          yield lines.filter((l) => l.text !== '').map((l) => new LineRecord(l, undefined, 'p:'));
      },
    ))
      for (const r of batch) got.push(r.cursor);
    const [a, , b] = readFileSync(file, 'utf8').split('\n');
    assert.deepEqual(got, [
      'from 0:0',
      `p:${(a as string).length + 1}:1`,
      `p:${(a as string).length + (b as string).length + 3}:3`,
    ]);
  });

  it('consumes a loopback WebSocket, reconnecting when the server drops the connection', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      const base = connections * 100;
      ws.send('{"message_type":"heartbeat","timestamp":1}');
      for (let i = 0; i < 3; i++) ws.send(withDer(i, base + i));
      if (connections === 1) setTimeout(() => ws.terminate(), 20);
    });
    await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const ac = new AbortController();
    const indexes: number[] = [];
    const events: string[] = [];
    try {
      const source = createCertstreamSource({
        input: url,
        sourceId: 'certstream:live',
        reconnectMs: [10, 50],
        onEvent: (e) => events.push(e.type),
      });
      const s = await runIngest(source, t.store, {
        batchSize: 1,
        signal: ac.signal,
        onCommitted: (obs) => {
          for (const o of obs) indexes.push((o as Observation<'certificate'>).payload.index as number);
          if (indexes.length >= 6) ac.abort();
        },
      });
      assert.equal(s.aborted, true);
      assert.deepEqual(indexes, [100, 101, 102, 200, 201, 202]);
      assert.ok(events.includes('reconnect'));
    } finally {
      ac.abort();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
