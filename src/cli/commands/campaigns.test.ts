import assert from 'node:assert/strict';
import { testApp } from '../../../test/support/test-app.js';
import { after, before, describe, it } from 'node:test';
import { seedWorld } from '../../../test/support/campaign-world.js';
import { cli } from '../../../test/support/cli.js';
import { sqliteFactory, type TestStore } from '../../../test/support/stores.js';
import { createApiKey } from '../../server/api-keys.js';

describe('precursor correlate | campaigns | campaign, GET /v1/campaigns', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
    await seedWorld(t.store);
  });
  after(async () => t.cleanup());

  it('correlates, lists JSON lines with ids, shows one campaign, and 404s an unknown id', async () => {
    const empty = await cli(['campaigns'], t.env);
    assert.equal(empty.code, 0, empty.err);
    assert.match(empty.out, /no campaigns/);

    const run = await cli(['correlate', '--json'], t.env);
    assert.equal(run.code, 0, run.err);
    const summary = JSON.parse(run.out) as { campaigns: number; raised: number };
    assert.equal(summary.campaigns, 1);
    assert.ok(summary.raised >= 1);

    const list = await cli(['campaigns', '--json'], t.env);
    assert.equal(list.code, 0, list.err);
    const lines = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    const item = lines[0]!;
    assert.match(item.id as string, /^C-[0-9a-f]{12}$/);
    for (const k of [
      'name',
      'state',
      'risk',
      'flagged',
      'firstSeen',
      'lastSeen',
      'updatedAt',
      'memberCount',
      'counts',
      'topPivots',
      'leadTimeHours',
      'explanation',
    ])
      assert.ok(k in item, `list item has ${k}`);

    const one = await cli(['campaign', item.id as string, '--json'], t.env);
    assert.equal(one.code, 0, one.err);
    const detail = JSON.parse(one.out) as {
      members: Array<{ key: string; display: string }>;
      timeline: unknown[];
    };
    assert.ok(detail.members.some((m) => m.key === 'domain:view-hub.live' && m.display === 'view-hub.live'));
    for (const k of ['members', 'pivots', 'timeline', 'growth', 'leadTime'])
      assert.ok(k in detail, `detail has ${k}`);

    const text = await cli(['campaign', item.id as string], t.env);
    assert.match(text.out, /pivots:\n\s+strong/);
    assert.match(text.out, /view-hub\.live/);

    const missing = await cli(['campaign', 'C-000000000000'], t.env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /precursor: CAMPAIGN_NOT_FOUND: no campaign C-000000000000/);
  });

  it('serves the same campaigns over the API to a reader, in the OpenAPI document', async () => {
    const app = testApp(t.store);
    const reader = (await createApiKey(t.store.keys, 'reader', 'reader')).key;
    const get = (path: string, key: string | null = reader) =>
      app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    assert.equal((await get('/v1/campaigns', null)).status, 401);
    const r = await get('/v1/campaigns?limit=1&flagged=true&min_risk=10');
    assert.equal(r.status, 200);
    const page = (await r.json()) as { items: Array<{ id: string }>; next: string | null };
    assert.equal(page.items.length, 1);
    assert.equal(page.next, page.items[0]!.id);
    const rest = (await (await get(`/v1/campaigns?after=${page.next}`)).json()) as {
      items: unknown[];
      next: null;
    };
    assert.deepEqual(rest, { items: [], next: null });

    const d = await get(`/v1/campaigns/${page.items[0]!.id}`);
    assert.equal(d.status, 200);
    const detail = (await d.json()) as { id: string; members: unknown[] };
    assert.equal(detail.id, page.items[0]!.id);
    assert.ok(detail.members.length >= 7);

    const nf = await get('/v1/campaigns/C-nope');
    assert.equal(nf.status, 404);
    assert.equal(((await nf.json()) as { error: { code: string } }).error.code, 'CAMPAIGN_NOT_FOUND');

    const doc = (await (await get('/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/v1/campaigns']);
    assert.ok(doc.paths['/v1/campaigns/{id}']);
  });
});
