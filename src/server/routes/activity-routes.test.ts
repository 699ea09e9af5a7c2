import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { createLogger } from '../../app/logger.js';
import { createPipeline } from '../../app/pipeline.js';
import { ConfigSchema } from '../../config/config-schema.js';
import { DetectorRegistry } from '../../detect/registry.js';
import type { EntityKey } from '../../domain/index.js';
import { createApiKey } from '../api-keys.js';
import { createApp } from '../app.js';

for (const factory of storeFactories()) {
  describe(`feed health and flag series routes [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    let reader = '';
    let ingest = '';
    before(async () => {
      if (skip) return;
      t = await factory.open();
      const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), ConfigSchema.parse({}));
      // The clock lag is measured against: an hour after the newest observation.
      app = createApp({
        pipeline,
        logger: createLogger('silent'),
        version: 'test',
        now: () => new Date('2026-03-01T13:00:00.000Z'),
      });
      reader = (await createApiKey(t.store.keys, 'reader', 'r')).key;
      ingest = (await createApiKey(t.store.keys, 'ingest', 'i')).key;
      await t.store.observations.writeBatch({
        source: 'certstream:live',
        observations: [
          {
            source: 'certstream:live',
            kind: 'domain',
            observedAt: '2026-03-01T12:00:00.000Z',
            dedupeKey: 'x1',
            payload: { name: 'a.example' },
          },
        ],
        deadLetters: [
          {
            source: 'certstream:live',
            position: 'line 2',
            raw: '{',
            rejection: { code: 'PARSE_ERROR', reason: 'bad' },
          },
        ],
        cursor: '1',
      });
      await t.store.entities.upsert([
        {
          key: 'domain:a.example' as EntityKey,
          type: 'domain',
          display: 'a.example',
          seenAt: '2026-03-01T12:00:00.000Z',
        },
        {
          key: 'account:p/b' as EntityKey,
          type: 'account',
          display: 'p/b',
          seenAt: '2026-03-01T12:00:00.000Z',
        },
      ]);
      await t.store.assessments.write([
        {
          entity: 'domain:a.example' as EntityKey,
          score: 90,
          flagged: true,
          verdict: 'suspicious',
          contributions: [],
          assessedAt: '2026-03-01T12:05:00.000Z',
        },
        {
          entity: 'account:p/b' as EntityKey,
          score: 70,
          flagged: true,
          verdict: 'suspicious',
          contributions: [],
          assessedAt: '2026-03-01T14:30:00.000Z',
        },
      ]);
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });
    const get = (path: string, key?: string) =>
      app.request(path, key ? { headers: { authorization: `Bearer ${key}` } } : {});

    it('GET /v1/feeds: per source rate, newest data, lag against the clock, dead letters', {
      skip,
    }, async () => {
      assert.equal((await get('/v1/feeds')).status, 401);
      assert.equal((await get('/v1/feeds', ingest)).status, 403);
      const r = await get('/v1/feeds', reader);
      assert.equal(r.status, 200);
      const body = (await r.json()) as { now: string; items: Record<string, unknown>[] };
      assert.equal(body.now, '2026-03-01T13:00:00.000Z');
      const feed = body.items.find((f) => f.source === 'certstream:live');
      assert.equal(feed?.observations, 1);
      assert.equal(feed?.ratePerMinute, 0.2);
      assert.equal(feed?.state, 'live');
      assert.equal(feed?.lagSeconds, 3600);
      assert.equal(feed?.deadLetters, 1);
      assert.equal(feed?.lastObservedAt, '2026-03-01T12:00:00.000Z');
    });

    it('GET /v1/stats/flags: first flags by bucket and entity type, validated query', { skip }, async () => {
      const r = await get('/v1/stats/flags?bucket=hour', reader);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {
        bucket: 'hour',
        types: ['account', 'domain'],
        items: [
          { at: '2026-03-01T12:00:00.000Z', account: 0, domain: 1 },
          { at: '2026-03-01T13:00:00.000Z', account: 0, domain: 0 },
          { at: '2026-03-01T14:00:00.000Z', account: 1, domain: 0 },
        ],
        totals: { account: 1, domain: 1 },
      });
      const empty = await get('/v1/stats/flags?bucket=day&since=2026-03-02T00:00:00Z', reader);
      assert.deepEqual(((await empty.json()) as { items: unknown[] }).items, []);
      assert.equal((await get('/v1/stats/flags?bucket=week', reader)).status, 400);
      assert.equal((await get('/v1/stats/flags?since=yesterday', reader)).status, 400);
      const doc = (await (await get('/openapi.json')).json()) as { paths: Record<string, unknown> };
      assert.ok(doc.paths['/v1/feeds'] && doc.paths['/v1/stats/flags']);
    });
  });
}
