import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { createLogger } from '../../app/logger.js';
import { createPipeline } from '../../app/pipeline.js';
import { ConfigSchema } from '../../config/config-schema.js';
import { DetectorRegistry } from '../../detect/registry.js';
import { TenantStage } from '../../detect/tenant/tenant-stage.js';
import type { IngestBatch } from '../../store/store.js';
import { createApiKey } from '../api-keys.js';
import { createApp } from '../app.js';
import type { RouteDef } from '../route.js';
import { tenantRoutes } from './tenant-routes.js';

const event = (n: number) => ({
  event_id: `c${n}`,
  type: 'account.created',
  provider: 'cloud-a',
  account_id: `acct${n}`,
  ts: '2026-03-01T00:00:00.000Z',
  email: `x${n}@example.com`,
  ip: '198.51.100.9',
});

const factory = storeFactories()[0];
describe('POST /v1/events in the scale-out mode', async () => {
  const skip = factory ? await factory.skip() : 'no store';
  let t: TestStore;
  before(async () => {
    if (!skip && factory) t = await factory.open();
  });
  after(async () => {
    if (!skip) await t.cleanup();
  });

  it('publishes the events to the work stream and runs no stage of its own', { skip }, async () => {
    const published: IngestBatch[] = [];
    const o = t.store.observations;
    // The work stream as `ingest` sees it: takes the observations, keeps dead letters in the store.
    const sink = {
      observations: {
        ...Object.fromEntries(
          (
            [
              'checkpoint',
              'deadLetters',
              'count',
              'after',
              'seqsAfter',
              'countAfter',
              'countBySource',
              'deadLettersBySource',
            ] as const
          ).map((m) => [m, (...a: never[]) => (o[m] as (...x: never[]) => unknown)(...a)]),
        ),
        async writeBatch(b: IngestBatch) {
          published.push(b);
          await o.writeBatch({ ...b, observations: [] });
          return { inserted: b.observations.length, duplicates: 0, deadLettered: b.deadLetters.length };
        },
      } as unknown as typeof o,
    };
    const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), ConfigSchema.parse({}), {
      sink,
    });
    const stage = new TenantStage(t.store);
    let ran = false;
    stage.run = async () => {
      ran = true;
      throw new Error('no tenant stage may run here');
    };
    const app = createApp({
      pipeline,
      logger: createLogger('silent'),
      version: 'test',
      extraRoutes: tenantRoutes(pipeline, stage) as unknown as RouteDef<never, never, never>[],
    });
    const key = (await createApiKey(t.store.keys, 'ingest', 'i')).key;
    const r = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([event(1), event(2), { nope: true }]),
    });
    const a = (await r.json()) as { inserted: number; rejected: unknown[]; flagged: number };
    assert.equal(r.status, 200, JSON.stringify(a));
    assert.equal(a.inserted, 2);
    assert.equal(a.rejected.length, 1);
    assert.equal(a.flagged, 0);
    assert.equal(ran, false);
    assert.equal(published.flatMap((b) => b.observations).length, 2);
    assert.equal(await t.store.observations.count(), 0, 'nothing stored here: the workers store it');
    assert.equal(await t.store.stages.cursor('detect'), 0, 'no detect run here');
  });
});
