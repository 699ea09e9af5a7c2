import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey, Observation } from '../domain/index.js';

const obs = (i: number, source = 'list:test'): Observation<'domain'> => ({
  source,
  kind: 'domain',
  observedAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  dedupeKey: `${source}:${i}`,
  payload: { name: `name-${i}.example` },
});

describeEachStore('store contract', (t, skip) => {
  it('migrations are idempotent', { skip }, async () => {
    assert.deepEqual(await t.store.migrate(), []);
    await t.store.ping();
  });

  it('ingests a batch atomically with its checkpoint and ignores duplicates', { skip }, async () => {
    const r1 = await t.store.writeIngestBatch({
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
    const r2 = await t.store.writeIngestBatch({
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
    assert.equal(await t.store.checkpoint('list:test'), 'c2');
    assert.equal(await t.store.checkpoint('list:other'), undefined);
    assert.equal(await t.store.countObservations(), 3);
    const dl = await t.store.deadLetters({ source: 'list:test' });
    assert.equal(dl.length, 1);
    assert.equal(dl[0]?.code, 'INVALID_VALUE');
    assert.equal(dl[0]?.path, 'name');
    const all = await t.store.observationsAfter(0, 10);
    assert.deepEqual(
      all.map((o) => o.dedupeKey),
      ['list:test:1', 'list:test:2', 'list:test:3'],
    );
    assert.deepEqual(all[0]?.payload, { name: 'name-1.example' });
    const rest = await t.store.observationsAfter(all[0]!.seq, 10);
    assert.equal(rest.length, 2);
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
      t.store.writeIngestBatch({ source: 'list:stdin-dl', observations: [], deadLetters: [dl(raw)] });
    assert.equal((await w('bad one!')).deadLettered, 1);
    assert.equal((await w('bad two!')).deadLettered, 1, 'another record at the same position is kept');
    assert.equal((await w('bad one!')).deadLettered, 0, 'the same record again (a replay) is not');
    const rows = await t.store.deadLetters({ source: 'list:stdin-dl' });
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
    const src = 'list:seqs';
    await t.store.writeIngestBatch({ source: src, observations: [obs(1, src)], deadLetters: [] });
    const r = await t.store.writeIngestBatch({
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

  it('reports pending migrations without applying them', { skip }, async () => {
    assert.deepEqual(await t.store.pendingMigrations(), []);
  });

  it('upserts entities, merges attributes and widens the seen window', { skip }, async () => {
    const key = 'domain:rnicrosoft.com' as EntityKey;
    await t.store.writeDerived({
      stage: 'derive',
      position: 5,
      entities: [
        {
          key,
          type: 'domain',
          display: 'rnicrosoft.com',
          seenAt: '2026-01-02T00:00:00.000Z',
          attrs: { a: 1 },
        },
        {
          key,
          type: 'domain',
          display: 'rnicrosoft.com',
          seenAt: '2026-01-01T00:00:00.000Z',
          attrs: { b: 2 },
        },
      ],
      links: [
        {
          from: 'cert:sha256:aa',
          to: key,
          pivot: 'cert-name',
          strength: 0.9,
          seenAt: '2026-01-01T00:00:00.000Z',
          provenance: 'ct:a',
        },
      ],
      signals: [
        {
          entity: key,
          detectors: ['domain'],
          observedAt: '2026-01-01T00:00:00.000Z',
          signals: [
            {
              id: 'domain.homoglyph',
              detector: 'domain',
              weight: 80,
              detail: 'rn looks like m',
              evidence: [],
            },
          ],
        },
      ],
    });
    await t.store.writeDerived({
      stage: 'derive',
      position: 9,
      entities: [
        {
          key,
          type: 'domain',
          display: 'rnicrosoft.com',
          seenAt: '2026-01-03T00:00:00.000Z',
          attrs: { a: 3 },
        },
      ],
      links: [
        {
          from: 'cert:sha256:aa',
          to: key,
          pivot: 'cert-name',
          strength: 0.9,
          seenAt: '2026-01-05T00:00:00.000Z',
          provenance: 'ct:b',
        },
      ],
      signals: [
        {
          entity: key,
          detectors: ['domain'],
          observedAt: '2026-01-03T00:00:00.000Z',
          signals: [
            {
              id: 'domain.combosquat',
              detector: 'domain',
              weight: 40,
              detail: 'brand plus word',
              evidence: [],
            },
          ],
        },
      ],
    });
    assert.equal(await t.store.stageCursor('derive'), 9);
    assert.equal(await t.store.stageCursor('other'), 0);
    const e = await t.store.entity(key);
    assert.deepEqual(e?.attrs, { a: 3, b: 2 });
    assert.equal(e?.firstSeen, '2026-01-01T00:00:00.000Z');
    assert.equal(e?.lastSeen, '2026-01-03T00:00:00.000Z');
    const links = await t.store.links(key);
    assert.equal(links.length, 1);
    assert.deepEqual(links[0]?.provenance, ['ct:a', 'ct:b']);
    assert.equal(links[0]?.lastSeen, '2026-01-05T00:00:00.000Z');
    const sig = await t.store.signalsOf([key]);
    assert.deepEqual(
      sig.get(key)?.map((s) => s.id),
      ['domain.combosquat'],
      'signals of a detector are replaced, not accumulated',
    );
  });

  it('keeps assessment history only on change, and filters entities by flag', { skip }, async () => {
    const key = 'domain:rnicrosoft.com' as EntityKey;
    const a = {
      entity: key,
      score: 80,
      flagged: true,
      verdict: 'suspicious' as const,
      contributions: [],
      assessedAt: '2026-01-03T00:00:00.000Z',
    };
    await t.store.writeAssessments([a]);
    await t.store.writeAssessments([{ ...a, assessedAt: '2026-01-04T00:00:00.000Z' }]);
    await t.store.writeAssessments([
      { ...a, score: 90, verdict: 'malicious', assessedAt: '2026-01-05T00:00:00.000Z' },
    ]);
    const hist = await t.store.assessmentHistory(key);
    assert.deepEqual(
      hist.map((h) => h.score),
      [80, 90],
    );
    assert.equal((await t.store.assessment(key))?.verdict, 'malicious');
    const flagged = await t.store.entities({ flagged: true });
    assert.deepEqual(
      flagged.map((v) => v.entity.key),
      [key],
    );
    assert.equal(flagged[0]?.assessment?.score, 90);
    assert.equal((await t.store.entities({ search: 'nicro' })).length, 1);
    assert.equal((await t.store.entities({ search: '%' })).length, 0, 'LIKE wildcards are escaped');
    assert.equal((await t.store.entities({ type: 'cert' })).length, 0);
    await t.store.writeDerived({
      stage: 'x',
      position: 1,
      entities: [
        {
          key: 'domain:a-low.com' as EntityKey,
          type: 'domain',
          display: 'a-low.com',
          seenAt: '2026-01-01T00:00:00.000Z',
        },
        {
          key: 'domain:b-none.com' as EntityKey,
          type: 'domain',
          display: 'b-none.com',
          seenAt: '2026-01-01T00:00:00.000Z',
        },
      ],
      links: [],
      signals: [],
      assessments: [
        {
          entity: 'domain:a-low.com' as EntityKey,
          score: 10,
          flagged: false,
          verdict: 'benign',
          contributions: [],
          assessedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    });
    const byScore = await t.store.entities({ order: 'score', limit: 2 });
    assert.deepEqual(
      byScore.map((v) => v.entity.key),
      [key, 'domain:a-low.com'],
    );
    const page2 = await t.store.entities({ order: 'score', limit: 2, offset: 2 });
    assert.deepEqual(
      page2.map((v) => v.entity.key),
      ['domain:b-none.com'],
    );
    const stats = await t.store.stats();
    assert.equal(stats.flagged, 1);
    assert.equal(stats.entities, 3);
  });

  it('reads observations of chosen kinds and keeps a stage state', { skip }, async () => {
    await t.store.writeIngestBatch({
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
    const tenant = await t.store.observationsAfter(0, 10, ['tenant-event']);
    assert.deepEqual(
      tenant.map((o) => o.dedupeKey),
      ['tenant:a:1'],
    );
    assert.deepEqual(tenant[0]?.payload, { event: { n: 1 } });
    assert.equal((await t.store.observationsAfter(0, 10, [])).length, 0);
    assert.ok((await t.store.observationsAfter(0, 10)).length > 1, 'no filter: every kind');
    assert.equal(await t.store.stageState('tenant'), undefined);
    await t.store.writeStageState('tenant', 4, '{"a":1}');
    await t.store.writeStageState('tenant', 7, '{"a":2}');
    assert.deepEqual(await t.store.stageState('tenant'), { position: 7, state: '{"a":2}' });
  });

  it('stores API keys by hash and revokes them once', { skip }, async () => {
    await t.store.createApiKey({
      id: 'k1',
      label: 'ci',
      role: 'reader',
      hash: 'h1',
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
    });
    assert.equal((await t.store.apiKeyByHash('h1'))?.role, 'reader');
    assert.equal(await t.store.apiKeyByHash('nope'), undefined);
    assert.equal(await t.store.revokeApiKey('k1', '2026-01-02T00:00:00.000Z'), true);
    assert.equal(await t.store.revokeApiKey('k1', '2026-01-03T00:00:00.000Z'), false);
    assert.equal((await t.store.apiKeys())[0]?.revokedAt, '2026-01-02T00:00:00.000Z');
  });

  it('queues work durably: no duplicates while pending, leases expire, failures back off then park', {
    skip,
  }, async () => {
    const t0 = '2026-02-01T00:00:00.000Z';
    assert.equal(
      await t.store.enqueue(
        [
          { queue: 'crawl', key: 'a', payload: { url: 'https://a/' } },
          { queue: 'crawl', key: 'b', payload: {} },
        ],
        t0,
      ),
      2,
    );
    assert.equal(
      await t.store.enqueue([{ queue: 'crawl', key: 'a', payload: {} }], t0),
      0,
      'already pending',
    );
    const c1 = await t.store.claim('crawl', 1, 60_000, t0);
    assert.deepEqual(
      c1.map((i) => [i.key, i.attempts, i.payload]),
      [['a', 1, { url: 'https://a/' }]],
    );
    const c2 = await t.store.claim('crawl', 10, 60_000, t0);
    assert.deepEqual(
      c2.map((i) => i.key),
      ['b'],
      'a leased item is not handed out twice',
    );
    assert.deepEqual(await t.store.claim('crawl', 10, 60_000, '2026-02-01T00:00:30.000Z'), []);
    const expired = await t.store.claim('crawl', 10, 60_000, '2026-02-01T00:01:01.000Z');
    assert.deepEqual(
      expired.map((i) => [i.key, i.attempts]).sort(),
      [
        ['a', 2],
        ['b', 2],
      ],
      "a dead worker's lease expires",
    );
    await t.store.complete('crawl', ['a'], '2026-02-01T00:01:02.000Z');
    await t.store.fail(
      'crawl',
      'b',
      'timeout',
      { retryInMs: 10_000, maxAttempts: 3 },
      '2026-02-01T00:01:02.000Z',
    );
    assert.deepEqual(await t.store.claim('crawl', 10, 60_000, '2026-02-01T00:01:05.000Z'), [], 'backing off');
    const retry = await t.store.claim('crawl', 10, 60_000, '2026-02-01T00:01:13.000Z');
    assert.deepEqual(
      retry.map((i) => [i.key, i.attempts]),
      [['b', 3]],
    );
    await t.store.fail(
      'crawl',
      'b',
      'timeout again',
      { retryInMs: 10_000, maxAttempts: 3 },
      '2026-02-01T00:01:14.000Z',
    );
    assert.deepEqual(await t.store.queueStats('crawl'), { pending: 0, leased: 0, done: 1, failed: 1 });
    assert.equal(
      await t.store.enqueue([{ queue: 'crawl', key: 'a', payload: {} }], t0),
      0,
      'done items are not re-queued by key',
    );
  });

  it('keeps the audit log append-only', { skip }, async () => {
    const e = await t.store.appendAudit({
      at: '2026-01-01T00:00:00.000Z',
      actor: 'cli:test',
      action: 'key.create',
      subject: 'key:k1',
      detail: { role: 'reader' },
    });
    assert.ok(e.id > 0);
    assert.deepEqual((await t.store.audit({ subject: 'key:k1' }))[0]?.detail, { role: 'reader' });
    const db = (t.store as unknown as { db: import('kysely').Kysely<import('./schema.js').Database> }).db;
    await assert.rejects(db.updateTable('audit_events').set({ actor: 'x' }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_events').execute(), /append-only/);
  });

  it('writes a slice of new entities the same with or without the newEntities hint', { skip }, async () => {
    const slice = (key: EntityKey, at: string, signalId: string, score: number) => ({
      stage: 'hint',
      position: 1,
      entities: [{ key, type: 'domain' as const, display: key.slice(7), seenAt: at }],
      links: [
        {
          from: 'cert:sha256:bb' as EntityKey,
          to: key,
          pivot: 'cert-name' as const,
          strength: 1,
          seenAt: at,
          provenance: `ct:${at}`,
        },
      ],
      signals: [
        {
          entity: key,
          detectors: ['domain'],
          observedAt: at,
          signals: [{ id: signalId, detector: 'domain', weight: score, detail: signalId, evidence: [] }],
        },
      ],
      assessments: [
        {
          entity: key,
          score,
          flagged: false,
          verdict: 'suspicious' as const,
          contributions: [],
          assessedAt: at,
        },
      ],
    });
    const read = async (key: EntityKey) => ({
      signals: (await t.store.signalsOf([key])).get(key)?.map((s) => s.id),
      provenance: (await t.store.links(key)).map((l) => l.provenance),
      history: (await t.store.assessmentHistory(key)).map((h) => h.score),
    });
    const hinted = 'domain:hinted-new.example' as EntityKey;
    const plain = 'domain:plain-new.example' as EntityKey;
    await t.store.writeDerived({
      ...slice(hinted, '2026-02-01T00:00:00.000Z', 'domain.a', 60),
      newEntities: new Set([hinted]),
    });
    await t.store.writeDerived(slice(plain, '2026-02-01T00:00:00.000Z', 'domain.a', 60));
    // Once stored, the same keys are no longer new: signals are replaced, provenance merged, history kept.
    await t.store.writeDerived(slice(hinted, '2026-02-02T00:00:00.000Z', 'domain.b', 70));
    await t.store.writeDerived(slice(plain, '2026-02-02T00:00:00.000Z', 'domain.b', 70));
    const expected = {
      signals: ['domain.b'],
      provenance: [['ct:2026-02-01T00:00:00.000Z', 'ct:2026-02-02T00:00:00.000Z']],
      history: [60, 70],
    };
    assert.deepEqual(await read(hinted), expected);
    assert.deepEqual(await read(plain), expected);
  });
  it('pages in score order by the last key seen (score desc, then key)', { skip }, async () => {
    const at = '2026-02-01T00:00:00.000Z';
    const keys = ['a', 'b', 'c', 'd', 'e'].map((x) => `domain:page-${x}.example` as EntityKey);
    await t.store.writeDerived({
      stage: 'page-test',
      position: 1,
      entities: keys.map((key) => ({ key, type: 'domain' as const, display: key.slice(7), seenAt: at })),
      links: [],
      signals: [],
      assessments: keys.slice(0, 4).map((entity, i) => ({
        entity,
        score: [40, 90, 40, 70][i] as number,
        flagged: false,
        verdict: 'benign' as const,
        contributions: [],
        assessedAt: at,
      })),
    });
    const order = ['b', 'd', 'a', 'c', 'e'].map((x) => `domain:page-${x}.example`);
    const seen: string[] = [];
    let after: { key: string; score: number } | undefined;
    for (;;) {
      const page = await t.store.entities({
        search: 'page-',
        order: 'score',
        limit: 2,
        ...(after ? { after: after.key, afterScore: after.score } : {}),
      });
      if (page.length === 0) break;
      for (const v of page) seen.push(v.entity.key);
      const last = page[page.length - 1] as (typeof page)[number];
      after = { key: last.entity.key, score: last.assessment?.score ?? -1 };
    }
    assert.deepEqual(seen, order);
  });
});
