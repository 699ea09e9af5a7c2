import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../../domain/index.js';
import type { Store } from '../../../store/store.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { runIngest } from '../../run-ingest.js';
import { runCtIngest } from './ct-ingest.js';
import type { CtLogDescriptor } from './ct-log-list.js';
import { createRfc6962Source } from './rfc6962-source.js';
import { createStaticCtSource } from './static-ct-source.js';
import { recordedEntries, startRfc6962TestLog, startStaticTestLog, syntheticLog } from './test-log.js';

const FIXTURES = new URL('../../../../test/fixtures/ct', import.meta.url).pathname;
const FAST_RETRY = { retries: 20, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 } as const;

const descriptor = (url: string, kind: CtLogDescriptor['kind'], name = 'loopback/test'): CtLogDescriptor => ({
  name,
  description: 'loopback',
  operator: 'test',
  kind,
  url,
  logId: 'AAAA',
  mmd: 60,
  state: 'usable',
});

async function indexesOf(store: Store, source: string): Promise<number[]> {
  const out: number[] = [];
  for (let seq = 0; ; ) {
    const batch = await store.observations.after(seq, 1000);
    if (batch.length === 0) break;
    for (const o of batch)
      if (o.source === source) out.push((o as unknown as Observation<'certificate'>).payload.index as number);
    seq = (batch[batch.length - 1] as { seq: number }).seq;
  }
  return out.sort((a, b) => a - b);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('CT sources against loopback logs', () => {
  const base = recordedEntries(FIXTURES);
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
  });
  after(async () => {
    await t.cleanup();
  });

  it('follows a log that fails, throttles, truncates batches and cuts bodies to the end: no gap, no duplicate', async () => {
    const entries = syntheticLog(base, 500);
    const log = await startRfc6962TestLog(entries, {
      maxBatch: 7,
      fail500Every: 5,
      throttleEvery: 7,
      cutBodyEvery: 11,
    });
    try {
      const source = createRfc6962Source(descriptor(log.url, 'rfc6962', 'loopback/faulty'), {
        start: 0,
        batchSize: 32,
        retry: FAST_RETRY,
      });
      const summary = await runIngest(source, t.store, { batchSize: 50 });
      assert.equal(summary.records, 500);
      assert.equal(summary.rejected, 0);
      assert.ok(log.stats.faults >= 10, `faults injected: ${log.stats.faults}`);
      assert.deepEqual(await indexesOf(t.store, 'ct:loopback/faulty'), range(500));
      assert.equal(await t.store.observations.checkpoint('ct:loopback/faulty'), '500');

      // The log grows: a second run resumes at the checkpoint and reads only the new entries.
      const grown = syntheticLog(base, 530);
      await log.close();
      const log2 = await startRfc6962TestLog(grown, { maxBatch: 7 });
      try {
        const again = await runIngest(
          createRfc6962Source(descriptor(log2.url, 'rfc6962', 'loopback/faulty'), {
            start: 0,
            retry: FAST_RETRY,
          }),
          t.store,
        );
        assert.equal(again.resumedFrom, '500');
        assert.equal(again.records, 30);
        assert.deepEqual(await indexesOf(t.store, 'ct:loopback/faulty'), range(530));
      } finally {
        await log2.close();
      }
    } finally {
      await log.close();
    }
  });

  it('malformed leaves become dead letters and the rest is ingested', async () => {
    const entries = syntheticLog(base, 20).map((e, i) =>
      i === 3
        ? { ...e, leaf_input: 'AAAA' }
        : i === 9
          ? { ...e, leaf_input: Buffer.from('not a leaf at all').toString('base64') }
          : i === 12
            ? ({ extra_data: '' } as unknown as typeof e)
            : e,
    );
    const log = await startRfc6962TestLog(entries);
    try {
      const source = createRfc6962Source(descriptor(log.url, 'rfc6962', 'loopback/malformed'), {
        start: 0,
        retry: FAST_RETRY,
      });
      const summary = await runIngest(source, t.store);
      assert.equal(summary.records, 20);
      assert.equal(summary.rejected, 3);
      const dead = await t.store.observations.deadLetters({ source: 'ct:loopback/malformed' });
      assert.deepEqual(
        dead.map((d) => [d.position, d.code]),
        [
          ['index 3', 'PARSE_ERROR'],
          ['index 9', 'PARSE_ERROR'],
          ['index 12', 'SCHEMA_INVALID'],
        ],
      );
      assert.deepEqual(
        await indexesOf(t.store, 'ct:loopback/malformed'),
        range(20).filter((i) => ![3, 9, 12].includes(i)),
      );
    } finally {
      await log.close();
    }
  });

  it('reads a static-ct-api tiled log: full gzip tiles, a partial tile, and stops at the checkpoint size', async () => {
    const entries = syntheticLog(base, 600);
    const log = await startStaticTestLog(entries);
    try {
      log.setSize(300);
      const source = createStaticCtSource(descriptor(log.url, 'static', 'loopback/tiled'), {
        start: 0,
        retry: FAST_RETRY,
      });
      const first = await runIngest(source, t.store, { batchSize: 64 });
      assert.equal(first.records, 300);
      assert.equal(await t.store.observations.checkpoint('ct:loopback/tiled'), '300');
      // The tree grows past the partial tile; the next run resumes mid-tile.
      log.setSize(600);
      const second = await runIngest(source, t.store);
      assert.equal(second.records, 300);
      assert.equal(second.rejected, 0);
      assert.deepEqual(await indexesOf(t.store, 'ct:loopback/tiled'), range(600));
    } finally {
      await log.close();
    }
  });

  it('tiled log: dropped partial tiles fall back to the full tile; a corrupt leaf dead-letters the rest of its tile', async () => {
    const entries = syntheticLog(base, 600);
    // The checkpoint says 300 (tile 1 partial, width 44) but the full tile 1 exists and partials are gone.
    const log = await startStaticTestLog(entries, {
      corruptIndex: 260,
      dropPartials: true,
      checkpointLag: 300,
    });
    try {
      const source = createStaticCtSource(descriptor(log.url, 'static', 'loopback/corrupt'), {
        start: 250,
        end: 280,
        retry: FAST_RETRY,
      });
      const s = await runIngest(source, t.store);
      assert.equal(s.records, 30);
      assert.equal(s.rejected, 20);
      const dead = await t.store.observations.deadLetters({ source: 'ct:loopback/corrupt', limit: 100 });
      assert.equal(dead[0]?.position, 'index 260');
      assert.match(dead[0]?.reason ?? '', /data tile 1 does not decode/);
      assert.deepEqual(
        await indexesOf(t.store, 'ct:loopback/corrupt'),
        range(10).map((i) => 250 + i),
      );
    } finally {
      await log.close();
    }
  });

  it('runs several logs of both kinds concurrently, each with its own checkpoint; a dead log fails alone', async () => {
    const a = await startRfc6962TestLog(syntheticLog(base, 120), { maxBatch: 16 });
    const b = await startStaticTestLog(syntheticLog(base, 270));
    try {
      const logs = [
        descriptor(a.url, 'rfc6962', 'multi/a'),
        descriptor(b.url, 'static', 'multi/b'),
        descriptor('http://127.0.0.1:1/', 'rfc6962', 'multi/dead'),
      ];
      const results = await runCtIngest(logs, t.store, {
        start: 0,
        concurrency: 2,
        retry: { ...FAST_RETRY, retries: 2 },
      });
      assert.deepEqual(
        results.map((r) => [r.log, r.ok, r.ok ? r.summary.records : r.code]),
        [
          ['multi/a', true, 120],
          ['multi/b', true, 270],
          ['multi/dead', false, 'SOURCE_FAILED'],
        ],
      );
      assert.equal(await t.store.observations.checkpoint('ct:multi/a'), '120');
      assert.equal(await t.store.observations.checkpoint('ct:multi/b'), '270');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('starts at the tree head by default (--from-now) and follows new entries until aborted', async () => {
    const log = await startRfc6962TestLog(syntheticLog(base, 50));
    log.setSize(40);
    const ac = new AbortController();
    try {
      const source = createRfc6962Source(descriptor(log.url, 'rfc6962', 'loopback/tail'), {
        follow: true,
        pollIntervalMs: 20,
        retry: FAST_RETRY,
      });
      const seen: number[] = [];
      const run = runIngest(source, t.store, {
        batchSize: 1,
        signal: ac.signal,
        onCommitted: (obs) => {
          for (const o of obs) seen.push((o as Observation<'certificate'>).payload.index as number);
          if (seen.length >= 10) ac.abort();
        },
      });
      // Grow the tree only after the source has read its head: a fixed delay raced the first read on a
      // loaded machine, the source then started at 50 and waited for entries that never came.
      const grow = setInterval(() => {
        if (log.stats.heads === 0) return;
        clearInterval(grow);
        log.setSize(50);
      }, 5);
      const s = await run;
      assert.equal(s.aborted, true);
      assert.deepEqual(
        seen,
        range(10).map((i) => 40 + i),
      );
    } finally {
      ac.abort();
      await log.close();
    }
  });
});
