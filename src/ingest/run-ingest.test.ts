import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { runIngest } from './run-ingest.js';
import { createListSource } from './sources/list/list-source.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-ingest-'));
const mixed = join(dir, 'mixed.txt');
writeFileSync(
  mixed,
  [
    'rnicrosoft-login.com',
    '# a comment line is skipped',
    '',
    'not a domain!!',
    'https://paypa1-review.com/signin?x=1#frag',
    '-leading-hyphen.com',
    'xn--zz.com',
    `${'a'.repeat(64)}.com`,
    'exämple-login.de',
    'microsoft.com.',
    'ftp://files.example.com/x',
    'localhost',
    'ok-name.net\r',
  ].join('\n'),
);

describeEachStore('ingest runner', (t, skip, factory) => {
  it('stores every good line and dead-letters every bad one with its line number and reason', {
    skip,
  }, async () => {
    const source = createListSource({ path: mixed, observedAt: '2026-01-01T00:00:00.000Z' });
    const s = await runIngest(source, t.store, { batchSize: 3 });
    assert.equal(s.records, 13);
    assert.equal(s.inserted, 5);
    assert.equal(s.rejected, 6);
    const dl = await t.store.observations.deadLetters({ source: source.id });
    assert.deepEqual(
      dl.map((d) => d.position),
      ['line 4', 'line 6', 'line 7', 'line 8', 'line 11', 'line 12'],
    );
    assert.ok(
      dl.every((d) => d.code === 'INVALID_VALUE' && d.reason.length > 10),
      JSON.stringify(dl),
    );
    assert.match(dl[0]!.reason, /cannot be in a host name/);
    assert.match(dl[2]!.reason, /IDNA/);
    assert.match(dl[3]!.reason, /longer than 63/);
    assert.match(dl[4]!.reason, /scheme/);
    assert.match(dl[5]!.reason, /top-level/);
    const obs = await t.store.observations.after(0, 100);
    assert.deepEqual(
      obs.map((o) => o.payload),
      [
        { name: 'rnicrosoft-login.com' },
        { url: 'https://paypa1-review.com/signin?x=1' },
        { name: 'xn--exmple-login-hcb.de' },
        { name: 'microsoft.com' },
        { name: 'ok-name.net' },
      ],
    );
  });

  it('re-ingesting the same file changes nothing; the checkpoint resumes at the end', {
    skip,
  }, async () => {
    const source = createListSource({ path: mixed, observedAt: '2026-01-01T00:00:00.000Z' });
    const resumed = await runIngest(source, t.store);
    assert.equal(resumed.records, 0, 'nothing after the checkpoint');
    const again = await runIngest(source, t.store, { ignoreCheckpoint: true });
    assert.equal(again.inserted, 0);
    assert.equal(again.duplicates, 5);
    assert.equal(
      (await t.store.observations.deadLetters({ source: source.id })).length,
      6,
      'dead letters are not duplicated',
    );
    assert.equal(await t.store.observations.count(source.id), 5);
  });

  it('resumes after appended lines and reads CSV columns and JSONL fields', { skip }, async () => {
    const csv = join(dir, `feed-${factory.name}.csv`);
    writeFileSync(csv, 'id,host,note\n1,alpha-login.com,x\n2,"beta-verify.net","quoted, comma"\n3\n');
    const src = createListSource({ path: csv, column: 'host', observedAt: '2026-01-01T00:00:00.000Z' });
    const r = await runIngest(src, t.store);
    assert.equal(r.inserted, 2);
    assert.equal(r.rejected, 1, 'a row without the column is rejected');
    writeFileSync(
      csv,
      'id,host,note\n1,alpha-login.com,x\n2,"beta-verify.net","quoted, comma"\n3\n4,gamma-secure.org,y\n',
    );
    const r2 = await runIngest(src, t.store);
    assert.equal(r2.records, 1, 'only the appended line is read');
    assert.equal(r2.inserted, 1);

    const jsonl = join(dir, `feed-${factory.name}.jsonl`);
    writeFileSync(jsonl, '{"data":{"all_domains":["a-one.com","*.a-two.com"]}}\n{broken\n{"data":{}}\n');
    const j = await runIngest(
      createListSource({ path: jsonl, field: 'data.all_domains', observedAt: '2026-01-01T00:00:00.000Z' }),
      t.store,
    );
    // One record (line 1) with two names: counted once, as a record that stored something new.
    assert.equal(j.inserted, 1);
    assert.equal(await t.store.observations.count(`list:${jsonl}`), 2);
    const dl = await t.store.observations.deadLetters({ source: `list:${jsonl}` });
    assert.deepEqual(
      dl.map((d) => [d.position, d.code]),
      [
        ['line 2', 'PARSE_ERROR'],
        ['line 3', 'SCHEMA_INVALID'],
      ],
    );
  });
});

describe('ingest runner, live sources', () => {
  it('commits what a quiet live source has read instead of holding it for a full batch', async () => {
    const { sqliteFactory } = await import('../../test/support/stores.js');
    const t = await sqliteFactory.open();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const source = {
        id: 'live:test',
        async *read() {
          yield { position: 'item 1', raw: 'a-live.com', cursor: '1' };
          yield { position: 'item 2', raw: 'b-live.com', cursor: '2' };
          await gate; // the tail goes quiet
          yield { position: 'item 3', raw: 'c-live.com', cursor: '3' };
        },
        parse(r: { raw: string; position: string }) {
          return {
            ok: true as const,
            observations: [
              {
                source: 'live:test',
                kind: 'domain' as const,
                observedAt: '2026-01-01T00:00:00.000Z',
                dedupeKey: r.raw,
                payload: { name: r.raw },
              },
            ],
          };
        },
      };
      const run = runIngest(source, t.store, { batchSize: 1000, maxBatchDelayMs: 50 });
      const deadline = Date.now() + 5000;
      while ((await t.store.observations.count()) < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(await t.store.observations.count(), 2, 'committed while the source was idle');
      assert.equal(await t.store.observations.checkpoint('live:test'), '2');
      release();
      const s = await run;
      assert.equal(s.inserted, 3);
      assert.equal(await t.store.observations.checkpoint('live:test'), '3');
    } finally {
      await t.cleanup();
    }
  });
});
