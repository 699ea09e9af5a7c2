import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { natsSkip, testStream } from '../../../../test/support/nats.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { runIngest } from '../../run-ingest.js';
import { ok, reject } from '../../source.js';
import { observeValue } from '../list/observe-value.js';
import { createJetStreamSource } from './jetstream-source.js';
import { NATS_URL } from '../../../../test/support/nats.js';

// The stream's format in these tests: one host name per message.
const parseName = (record: { raw: string }, id: string) => {
  if (record.raw === '') return ok([]);
  const r = observeValue(id, record.raw, '2026-05-01T00:00:00.000Z');
  return r.ok ? ok([r.observation]) : reject(r.rejection.code, r.rejection.reason);
};

describe('JetStream source', async () => {
  const skip = await natsSkip();
  let t: TestStore;
  let s: Awaited<ReturnType<typeof testStream>>;
  before(async () => {
    if (skip) return;
    t = await sqliteFactory.open();
    s = await testStream();
  });
  after(async () => {
    if (skip) return;
    await s.cleanup();
    await t.cleanup();
  });

  const source = (extra: { follow?: boolean; subjects?: string[] } = {}) =>
    createJetStreamSource({
      servers: NATS_URL,
      stream: s.name,
      sourceId: `jetstream:test:${extra.subjects?.join(',') ?? 'all'}`,
      parse: parseName,
      ...(extra.follow ? { follow: true } : {}),
      ...(extra.subjects ? { subjects: extra.subjects } : {}),
    });

  it('backfills to the end, dead-letters bad messages, then resumes after its checkpoint', {
    skip,
  }, async () => {
    for (let i = 0; i < 250; i++) await s.publish('names', `name-${i}.example.com`);
    await s.publish('names', 'not a host name!');
    const first = await runIngest(source(), t.store, { batchSize: 100 });
    assert.equal(first.records, 251);
    assert.equal(first.inserted, 250);
    assert.equal(first.rejected, 1);
    assert.equal(first.position, `${s.subjectPrefix}.names seq 251`);
    const dead = await t.store.observations.deadLetters({ source: 'jetstream:test:all' });
    assert.equal(dead.length, 1);
    assert.equal(dead[0]?.position, `${s.subjectPrefix}.names seq 251`);
    assert.equal(dead[0]?.raw, 'not a host name!');

    // Nothing new: the read ends at once, from the checkpoint.
    const idle = await runIngest(source(), t.store);
    assert.equal(idle.records, 0);
    assert.equal(idle.resumedFrom, '251');

    for (let i = 250; i < 300; i++) await s.publish('names', `name-${i}.example.com`);
    const second = await runIngest(source(), t.store);
    assert.equal(second.records, 50);
    assert.equal(second.inserted, 50);
    assert.equal(await t.store.observations.count('jetstream:test:all'), 300);
  });

  it('an interrupted read re-reads only what was not committed, without duplicates', { skip }, async () => {
    const ac = new AbortController();
    let batches = 0;
    const cut = await runIngest(source({ subjects: [`${s.subjectPrefix}.names`] }), t.store, {
      batchSize: 40,
      signal: ac.signal,
      onProgress: () => {
        batches += 1;
        if (batches === 2) ac.abort();
      },
    });
    assert.equal(cut.aborted, true);
    assert.ok(cut.records < 301, `stopped early (${cut.records} records)`);
    const rest = await runIngest(source({ subjects: [`${s.subjectPrefix}.names`] }), t.store);
    assert.equal(cut.inserted + rest.inserted, 300);
    assert.equal(await t.store.observations.count('jetstream:test:' + `${s.subjectPrefix}.names`), 300);
  });

  it('filters subjects and follows new messages until stopped', { skip }, async () => {
    const ac = new AbortController();
    const live = runIngest(source({ follow: true, subjects: [`${s.subjectPrefix}.live`] }), t.store, {
      signal: ac.signal,
      maxBatchDelayMs: 50,
    });
    await s.publish('other', 'ignored.example.com');
    for (let i = 0; i < 5; i++) await s.publish('live', `live-${i}.example.org`);
    const id = `jetstream:test:${s.subjectPrefix}.live`;
    const deadline = Date.now() + 10_000;
    while ((await t.store.observations.count(id)) < 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const summary = await live;
    assert.equal(summary.inserted, 5);
    assert.equal(await t.store.observations.count(id), 5);
  });
});
