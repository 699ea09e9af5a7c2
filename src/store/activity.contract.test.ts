import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey, Observation } from '../domain/index.js';

const obs = (i: number, source: string, observedAt: string): Observation<'domain'> => ({
  source,
  kind: 'domain',
  observedAt,
  dedupeKey: `${source}:${i}`,
  payload: { name: `name-${i}.example` },
});

const assessment = (entity: string, flagged: boolean, assessedAt: string) => ({
  entity: entity as EntityKey,
  score: flagged ? 80 : 10,
  flagged,
  verdict: flagged ? ('suspicious' as const) : ('benign' as const),
  contributions: [],
  assessedAt,
});

describeEachStore('activity contract', (t, skip) => {
  it('reports per-source counts, newest data, recent rate, checkpoint and dead letters', {
    skip,
  }, async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    await t.store.observations.writeBatch({
      source: 'feed:a',
      observations: [
        obs(1, 'feed:a', '2026-01-01T00:00:00.000Z'),
        obs(2, 'feed:a', '2026-01-02T00:00:00.000Z'),
      ],
      deadLetters: [
        {
          source: 'feed:a',
          position: 'line 3',
          raw: '!!',
          rejection: { code: 'PARSE_ERROR', reason: 'bad' },
        },
      ],
      cursor: 'c1',
    });
    await t.store.observations.writeBatch({
      source: 'feed:b',
      observations: [obs(3, 'feed:b', '2026-01-03T00:00:00.000Z')],
      deadLetters: [],
    });
    await t.store.observations.writeBatch({
      source: 'feed:c',
      observations: [],
      deadLetters: [
        { source: 'feed:c', position: 'line 1', raw: '?', rejection: { code: 'PARSE_ERROR', reason: 'bad' } },
      ],
    });
    const feeds = await t.store.activity.feeds({ recentSince: before });
    const a = feeds.find((f) => f.source === 'feed:a');
    assert.deepEqual(
      feeds.map((f) => f.source),
      ['feed:a', 'feed:b', 'feed:c'],
    );
    assert.equal(a?.observations, 2);
    assert.equal(a?.recent, 2);
    assert.equal(a?.lastObservedAt, '2026-01-02T00:00:00.000Z');
    assert.ok(a?.lastIngestedAt && a.lastIngestedAt >= before);
    assert.ok(a?.checkpointAt);
    assert.equal(a?.deadLetters, 1);
    assert.equal(feeds.find((f) => f.source === 'feed:b')?.checkpointAt, null);
    const c = feeds.find((f) => f.source === 'feed:c');
    assert.equal(c?.observations, 0);
    assert.equal(c?.deadLetters, 1);
    assert.equal(c?.lastObservedAt, null);
    const later = await t.store.activity.feeds({ recentSince: new Date(Date.now() + 60_000).toISOString() });
    assert.equal(later.find((f) => f.source === 'feed:a')?.recent, 0, 'outside the window nothing is recent');
  });

  it('counts entities by the bucket of their first flag and entity type', { skip }, async () => {
    await t.store.entities.upsert([
      {
        key: 'domain:a.example' as EntityKey,
        type: 'domain',
        display: 'a.example',
        seenAt: '2026-03-01T00:00:00.000Z',
      },
      {
        key: 'domain:b.example' as EntityKey,
        type: 'domain',
        display: 'b.example',
        seenAt: '2026-03-01T00:00:00.000Z',
      },
      {
        key: 'account:p/x' as EntityKey,
        type: 'account',
        display: 'p/x',
        seenAt: '2026-03-01T00:00:00.000Z',
      },
      {
        key: 'domain:c.example' as EntityKey,
        type: 'domain',
        display: 'c.example',
        seenAt: '2026-03-01T00:00:00.000Z',
      },
    ]);
    await t.store.assessments.write([assessment('domain:a.example', true, '2026-03-01T10:15:00.000Z')]);
    // Unflagged, then flagged again: only the first flag counts.
    await t.store.assessments.write([assessment('domain:a.example', false, '2026-03-01T12:00:00.000Z')]);
    await t.store.assessments.write([assessment('domain:a.example', true, '2026-03-02T09:00:00.000Z')]);
    await t.store.assessments.write([assessment('domain:b.example', true, '2026-03-01T10:45:00.000Z')]);
    await t.store.assessments.write([assessment('account:p/x', true, '2026-03-02T01:00:00.000Z')]);
    await t.store.assessments.write([assessment('domain:c.example', false, '2026-03-02T01:00:00.000Z')]);
    assert.deepEqual(await t.store.activity.flagSeries({ bucket: 'hour' }), [
      { bucket: '2026-03-01T10:00:00.000Z', type: 'domain', flagged: 2 },
      { bucket: '2026-03-02T01:00:00.000Z', type: 'account', flagged: 1 },
    ]);
    assert.deepEqual(
      await t.store.activity.flagSeries({ bucket: 'day', since: '2026-03-01T10:30:00.000Z' }),
      [
        { bucket: '2026-03-01T00:00:00.000Z', type: 'domain', flagged: 1 },
        { bucket: '2026-03-02T00:00:00.000Z', type: 'account', flagged: 1 },
      ],
    );
    assert.deepEqual(
      await t.store.activity.flagSeries({ bucket: 'day', until: '2026-03-02T00:00:00.000Z' }),
      [{ bucket: '2026-03-01T00:00:00.000Z', type: 'domain', flagged: 2 }],
    );
    const first = await t.store.activity.firstFlagged([
      'domain:a.example' as EntityKey,
      'domain:c.example' as EntityKey,
      'domain:none.example' as EntityKey,
    ]);
    assert.deepEqual([...first], [['domain:a.example', '2026-03-01T10:15:00.000Z']]);
  });
});
