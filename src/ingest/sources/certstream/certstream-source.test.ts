import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import type { Observation } from '../../../domain/index.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { runIngest } from '../../run-ingest.js';
import { parseMerkleTreeLeaf } from '../ct/ct-leaf.js';
import { recordedEntries } from '../ct/test-log.js';
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
