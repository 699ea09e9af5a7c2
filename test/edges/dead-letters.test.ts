/**
 * Every rejected record is kept, even when its (source, position) repeats: standard input always
 * starts at line 1, a rewritten file too, and an API body at item 0.
 */
import assert from 'node:assert/strict';
import { testApp } from '../support/test-app.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { createApiKey } from '../../src/server/api-keys.js';
import { cli } from '../support/cli.js';
import { describeEachStore } from '../support/stores.js';

interface Dl {
  source: string;
  position: string;
  raw: string;
  code: string;
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Dl);

describeEachStore('dead letters at a repeated position', (t, skip) => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-dl-'));
  const deadLetters = async (source: string) =>
    lines((await cli(['dead-letters', '--source', source, '--json', '--limit', '0'], t.env)).out);

  it('`ingest list -` twice: both bad lines are stored', { skip }, async () => {
    const one = await cli(['ingest', 'list', '-', '--no-detect'], t.env, { stdin: 'bad one!\n' });
    assert.equal(one.code, EXIT.PARTIAL, one.err);
    const two = await cli(['ingest', 'list', '-', '--no-detect'], t.env, { stdin: 'bad two!\n' });
    assert.equal(two.code, EXIT.PARTIAL, two.err);
    assert.deepEqual(
      (await deadLetters('list:stdin')).map((d) => [d.position, d.raw]),
      [
        ['line 1', 'bad one!'],
        ['line 1', 'bad two!'],
      ],
    );
  });

  it('`ingest events -` twice: both bad events are stored', { skip }, async () => {
    for (const bad of ['{"event_id":"e1","type":"nonsense"}', '{"event_id":"e2","type":"other-nonsense"}']) {
      const r = await cli(['ingest', 'events', '-', '--no-detect'], t.env, { stdin: `${bad}\n` });
      assert.equal(r.code, EXIT.PARTIAL, r.err);
    }
    assert.deepEqual(
      (await deadLetters('tenant:stdin')).map((d) => [d.position, JSON.parse(d.raw).event_id]),
      [
        ['line 1', 'e1'],
        ['line 1', 'e2'],
      ],
    );
  });

  it('`ingest list FILE --from-start` on a rewritten file keeps both versions of line 1', {
    skip,
  }, async () => {
    const file = join(dir, `rewritten-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, 'first bad!\n');
    assert.equal((await cli(['ingest', 'list', file, '--no-detect'], t.env)).code, EXIT.PARTIAL);
    writeFileSync(file, 'second bad!\n');
    assert.equal(
      (await cli(['ingest', 'list', file, '--no-detect', '--from-start'], t.env)).code,
      EXIT.PARTIAL,
    );
    // The same bad record read again is a replay: it is not stored twice.
    assert.equal(
      (await cli(['ingest', 'list', file, '--no-detect', '--from-start'], t.env)).code,
      EXIT.PARTIAL,
    );
    assert.deepEqual(
      (await deadLetters(`list:${file}`)).map((d) => [d.position, d.raw]),
      [
        ['line 1', 'first bad!'],
        ['line 1', 'second bad!'],
      ],
    );
  });

  it('repeated `POST /v1/ingest/names`: every rejected value is retrievable', { skip }, async () => {
    const app = testApp(t.store);
    const ingest = (await createApiKey(t.store.keys, 'ingest', 'i')).key;
    const analyst = (await createApiKey(t.store.keys, 'analyst', 'a')).key;
    for (const values of [
      ['bad one!', 'ok-one.example'],
      ['bad two!', 'ok-two.example'],
    ]) {
      const r = await app.request('/v1/ingest/names', {
        method: 'POST',
        headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'repeat', values }),
      });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { rejected: unknown[] };
      assert.equal(body.rejected.length, 1);
    }
    const r = await app.request('/v1/dead-letters?source=api:repeat', {
      headers: { authorization: `Bearer ${analyst}` },
    });
    const items = ((await r.json()) as { items: Dl[] }).items;
    assert.deepEqual(
      items.map((d) => [d.position, d.raw]),
      [
        ['item 0', '"bad one!"'],
        ['item 0', '"bad two!"'],
      ],
    );
  });
});
