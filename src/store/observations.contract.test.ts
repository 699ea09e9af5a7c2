import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { Observation } from '../domain/index.js';

const obs = (i: number, source = 'list:test'): Observation<'domain'> => ({
  source,
  kind: 'domain',
  observedAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  dedupeKey: `${source}:${i}`,
  payload: { name: `name-${i}.example` },
});

describeEachStore('observations contract', (t, skip) => {
  it('ingests a batch atomically with its checkpoint and ignores duplicates', { skip }, async () => {
    const r1 = await t.store.observations.writeBatch({
      source: 'list:test',
      observations: [obs(1), obs(2), obs(2)],
      deadLetters: [
        {
          source: 'list:test',
          position: 'line 3',
          raw: '!!',
          rejection: { code: 'INVALID_VALUE', reason: 'bad', path: 'name' },
        },
      ],
      cursor: 'c1',
    });
    assert.deepEqual(r1, { inserted: 2, duplicates: 1, deadLettered: 1 });
    const r2 = await t.store.observations.writeBatch({
      source: 'list:test',
      observations: [obs(1), obs(3)],
      deadLetters: [
        {
          source: 'list:test',
          position: 'line 3',
          raw: '!!',
          rejection: { code: 'INVALID_VALUE', reason: 'bad' },
        },
      ],
      cursor: 'c2',
    });
    assert.deepEqual(r2, { inserted: 1, duplicates: 1, deadLettered: 0 });
    assert.equal(await t.store.observations.checkpoint('list:test'), 'c2');
    assert.equal(await t.store.observations.checkpoint('list:other'), undefined);
    assert.equal(await t.store.observations.count(), 3);
    assert.equal(await t.store.observations.count('list:test'), 3);
    assert.equal(await t.store.observations.count('list:other'), 0);
    const dl = await t.store.observations.deadLetters({ source: 'list:test' });
    assert.equal(dl.length, 1);
    assert.equal(dl[0]?.code, 'INVALID_VALUE');
    assert.equal(dl[0]?.path, 'name');
    const all = await t.store.observations.after(0, 10);
    assert.deepEqual(
      all.map((o) => o.dedupeKey),
      ['list:test:1', 'list:test:2', 'list:test:3'],
    );
    assert.deepEqual(all[0]?.payload, { name: 'name-1.example' });
    const rest = await t.store.observations.after(all[0]!.seq, 10);
    assert.equal(rest.length, 2);
    assert.deepEqual(
      await t.store.observations.seqsAfter(0, 10),
      all.map((o) => o.seq),
    );
    // Only the rows asked for, as `after` gives them, in sequence order; a number with none left out.
    const picked = [all[0]!.seq, all[2]!.seq];
    assert.deepEqual(await t.store.observations.bySeqs([...picked, all[2]!.seq + 1000]), [all[0], all[2]]);
    assert.deepEqual(await t.store.observations.bySeqs([]), []);
  });

  it('reports the sequence number of each new row where asked', { skip }, async () => {
    const r = await t.store.observations.writeBatch({
      source: 'list:seqs',
      observations: [obs(100, 'list:seqs'), obs(1), obs(101, 'list:seqs')],
      deadLetters: [],
      wantSeqs: true,
    });
    assert.equal(r.inserted, 2);
    const stored = await t.store.observations.after(0, 100);
    const seqOf = (k: string) => stored.find((o) => o.dedupeKey === k)?.seq;
    assert.deepEqual(r.insertedSeqs, [seqOf('list:seqs:100'), undefined, seqOf('list:seqs:101')]);
  });

  it('reads observations of chosen kinds, in order', { skip }, async () => {
    await t.store.observations.writeBatch({
      source: 'tenant:test',
      observations: [
        {
          source: 'tenant:test',
          kind: 'tenant-event',
          observedAt: '2026-01-01T00:00:00.000Z',
          dedupeKey: 'tenant:a:1',
          payload: { event: { n: 1 } },
        },
      ],
      deadLetters: [],
    });
    const tenant = await t.store.observations.after(0, 10, ['tenant-event']);
    assert.deepEqual(
      tenant.map((o) => o.dedupeKey),
      ['tenant:a:1'],
    );
    assert.deepEqual(tenant[0]?.payload, { event: { n: 1 } });
    assert.deepEqual(
      await t.store.observations.seqsAfter(0, 10, ['tenant-event']),
      tenant.map((o) => o.seq),
    );
    assert.equal((await t.store.observations.after(0, 10, [])).length, 0);
    assert.ok((await t.store.observations.after(0, 10)).length > 1, 'no filter: every kind');
    assert.equal((await t.store.observations.after(0, 10, ['domain', 'tenant-event'])).length, 6);
  });

  it('pages dead letters by id', { skip }, async () => {
    await t.store.observations.writeBatch({
      source: 'list:dl',
      observations: [],
      deadLetters: [1, 2, 3].map((i) => ({
        source: 'list:dl',
        position: `line ${i}`,
        raw: `bad ${i}`,
        rejection: { code: 'PARSE_ERROR' as const, reason: 'unreadable' },
      })),
    });
    const first = await t.store.observations.deadLetters({ source: 'list:dl', limit: 2 });
    assert.deepEqual(
      first.map((d) => d.position),
      ['line 1', 'line 2'],
    );
    const next = await t.store.observations.deadLetters({ source: 'list:dl', afterId: first[1]!.id });
    assert.deepEqual(
      next.map((d) => d.position),
      ['line 3'],
    );
  });

  it('keeps every distinct rejected record at a repeated position, and a replayed one once', {
    skip,
  }, async () => {
    const dl = (raw: string) => ({
      source: 'list:stdin-dl',
      position: 'line 1',
      raw,
      rejection: { code: 'INVALID_VALUE' as const, reason: `bad ${raw}` },
    });
    const w = (raw: string) =>
      t.store.observations.writeBatch({ source: 'list:stdin-dl', observations: [], deadLetters: [dl(raw)] });
    assert.equal((await w('bad one!')).deadLettered, 1);
    assert.equal((await w('bad two!')).deadLettered, 1, 'another record at the same position is kept');
    assert.equal((await w('bad one!')).deadLettered, 0, 'the same record again (a replay) is not');
    const rows = await t.store.observations.deadLetters({ source: 'list:stdin-dl' });
    assert.deepEqual(
      rows.map((r) => [r.position, r.raw]),
      [
        ['line 1', 'bad one!'],
        ['line 1', 'bad two!'],
      ],
    );
  });

  it('says which observations of a batch were new when asked (wantSeqs), in batch order', {
    skip,
  }, async () => {
    const src = 'list:seqs2';
    await t.store.observations.writeBatch({ source: src, observations: [obs(1, src)], deadLetters: [] });
    const r = await t.store.observations.writeBatch({
      source: src,
      observations: [obs(2, src), obs(1, src), obs(3, src), obs(2, src)],
      deadLetters: [],
      wantSeqs: true,
    });
    assert.equal(r.inserted, 2);
    const seqs = r.insertedSeqs ?? [];
    assert.equal(seqs.length, 4);
    assert.deepEqual(
      seqs.map((s) => s !== undefined),
      [true, false, true, false],
      'new, known, new, repeated within the batch',
    );
    assert.ok((seqs[0] as number) < (seqs[2] as number));
  });

  it('reads some payload fields of one kind after a sequence number (fieldsAfter)', { skip }, async () => {
    const cert = (i: number, precert: boolean): Observation<'certificate'> => ({
      source: 'certstream:test',
      kind: 'certificate',
      observedAt: '2026-01-01T00:00:00.000Z',
      dedupeKey: `cert:${i}`,
      payload: { sha256: `s${i}`, names: [`a${i}.example`, `www.a${i}.example`], precert },
    });
    await t.store.observations.writeBatch({
      source: 'certstream:test',
      observations: [cert(1, true), obs(9, 'certstream:test'), cert(2, false), cert(3, true)],
      deadLetters: [],
    });
    const all = await t.store.observations.fieldsAfter(0, 10, 'certificate', [
      'sha256',
      'names',
      'precert',
      'issuer',
    ]);
    assert.deepEqual(
      all.map((r) => r.fields),
      [
        { sha256: 's1', names: ['a1.example', 'www.a1.example'], precert: true },
        { sha256: 's2', names: ['a2.example', 'www.a2.example'], precert: false },
        { sha256: 's3', names: ['a3.example', 'www.a3.example'], precert: true },
      ],
      'in sequence order, of the kind asked for, a missing field left out, booleans kept',
    );
    const full = await t.store.observations.after(0, 10, ['certificate']);
    assert.deepEqual(
      all.map((r) => r.seq),
      full.map((o) => o.seq),
    );
    const rest = await t.store.observations.fieldsAfter(all[0]!.seq, 1, 'certificate', ['sha256']);
    assert.deepEqual(rest, [{ seq: all[1]!.seq, fields: { sha256: 's2' } }]);
    await assert.rejects(() => t.store.observations.fieldsAfter(0, 1, 'certificate', ["names') --"]));
  });
});
