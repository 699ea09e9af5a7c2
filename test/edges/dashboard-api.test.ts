/**
 * Routes the dashboard needs beside the stages' own: `GET /v1/me` (any valid key learns its role, so
 * the UI can hide what the role may not do) and page captures from the evidence store (facts, request
 * log, screenshot bytes, DOM as plain text), with their roles and coded errors.
 */
import assert from 'node:assert/strict';
import { testApp } from '../support/test-app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evidenceDir } from '../../src/app/detectors.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { EvidenceStore } from '../../src/ingest/crawl/evidence-store.js';
import { createApiKey } from '../../src/server/api-keys.js';
import type { createApp } from '../../src/server/app.js';
import { sqliteFactory, type TestStore } from '../support/stores.js';

const MEMBERS = [
  'domain:a.example-phish.test',
  'domain:b.example-phish.test',
  'account:cloud-a/op1',
  'cert:sha256:aa',
  'ip:203.0.113.7',
  'asn:64500',
];

/** A stored campaign of six members and its links (one of them to an outsider). */
async function seedCampaign(store: TestStore['store']): Promise<void> {
  const seenAt = '2026-03-01T00:00:00.000Z';
  const type = (k: string) => k.slice(0, k.indexOf(':')) as 'domain';
  await store.entities.upsert(
    [...MEMBERS, 'domain:outsider.test'].map((key) => ({
      key: key as `domain:${string}`,
      type: type(key),
      display: key.slice(key.indexOf(':') + 1),
      seenAt,
    })),
  );
  const link = (from: string, to: string, pivot: string, strength: number) => ({
    from: from as `domain:${string}`,
    to: to as `domain:${string}`,
    pivot: pivot as 'cert-name',
    strength,
    seenAt,
    provenance: 'test',
  });
  await store.entities.upsertLinks([
    link('cert:sha256:aa', 'domain:a.example-phish.test', 'cert-name', 1),
    link('cert:sha256:aa', 'domain:b.example-phish.test', 'cert-name', 1),
    link('account:cloud-a/op1', 'domain:a.example-phish.test', 'attached-by', 1),
    link('domain:b.example-phish.test', 'ip:203.0.113.7', 'resolves-to', 0.5),
    link('domain:a.example-phish.test', 'asn:64500', 'same-asn', 0.1),
    link('domain:a.example-phish.test', 'domain:outsider.test', 'redirects-to', 1),
  ]);
  await store.campaigns.save([
    {
      id: 'C-graph',
      name: 'graph test',
      state: 'active',
      risk: 90,
      flagged: true,
      firstSeen: seenAt,
      lastSeen: seenAt,
      updatedAt: seenAt,
      memberCount: MEMBERS.length,
      counts: { domain: 2, account: 1, cert: 1, ip: 1, asn: 1 },
      topPivots: [{ key: 'cert:sha256:aa', kind: 'cert', strength: 'strong', members: 2 }],
      explanation: 'test',
      members: MEMBERS.map((key) => ({
        key: key as `domain:${string}`,
        type: type(key),
        display: key.slice(key.indexOf(':') + 1),
        score: key.startsWith('domain:') ? 80 : 0,
        flagged: key.startsWith('domain:'),
      })),
      pivots: [{ key: 'cert:sha256:aa', kind: 'cert', strength: 'strong', weight: 0.9, members: 2 }],
      growth: [{ day: '2026-03-01', members: MEMBERS.length }],
      leadTime: null,
    },
  ]);
}

describe('dashboard API routes', () => {
  let t: TestStore;
  let app: ReturnType<typeof createApp>;
  const keys: Record<string, string> = {};
  let snapshot = '';
  let fetchOnly = '';
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  before(async () => {
    t = await sqliteFactory.open();
    const config = ConfigSchema.parse({ home: mkdtempSync(join(tmpdir(), 'precursor-dash-')) });
    const evidence = new EvidenceStore(evidenceDir(config));
    const base = {
      url: 'https://login.example-phish.test/',
      finalUrl: 'https://login.example-phish.test/signin',
      fetchedAt: '2026-03-10T10:00:00.000Z',
      headers: { 'content-type': 'text/html' },
      redirectChain: ['https://login.example-phish.test/', 'https://login.example-phish.test/signin'],
      html: '<html><script>alert(1)</script><form action="https://x.test/c"></form></html>',
      scripts: [],
      console: [],
    };
    snapshot = await evidence.putSnapshot({
      ...base,
      mode: 'render',
      status: 200,
      requests: [{ url: 'https://cdn.test/kit.js', method: 'GET', type: 'script', status: 200 }],
      screenshot: png,
    });
    fetchOnly = await evidence.putSnapshot({ ...base, mode: 'fetch', requests: [] });
    await seedCampaign(t.store);
    app = testApp(t.store, [], config);
    for (const role of ['reader', 'analyst', 'admin', 'ingest'] as const)
      keys[role] = (await createApiKey(t.store.keys, role, `${role} key`)).key;
  });
  after(async () => {
    await t.cleanup();
  });
  const get = (path: string, key?: string) =>
    app.request(path, key ? { headers: { authorization: `Bearer ${key}` } } : {});

  it('tells any valid key its id, label and role, and refuses a missing or unknown key', async () => {
    for (const role of ['reader', 'analyst', 'admin', 'ingest']) {
      const r = await get('/v1/me', keys[role]);
      assert.equal(r.status, 200, role);
      const body = (await r.json()) as {
        id: string;
        label: string;
        role: string;
        clock: { now: string; simulated: boolean; rate: number };
      };
      assert.equal(body.role, role);
      assert.equal(body.label, `${role} key`);
      assert.match(body.id, /^[0-9a-f]{12}$/);
      assert.deepEqual(Object.keys(body), ['id', 'label', 'role', 'clock'], 'never the hash');
      // Outside the demo, data times are read against the wall clock.
      assert.equal(body.clock.simulated, false);
      assert.equal(body.clock.rate, 1);
      assert.ok(Math.abs(Date.parse(body.clock.now) - Date.now()) < 60_000);
    }
    assert.equal((await get('/v1/me')).status, 401);
    // The live demo's replay clock: the dashboard reads "last seen" against it, not the wall.
    const replay = testApp(t.store, [], ConfigSchema.parse({}), {
      now: () => new Date('2026-03-04T12:00:00.000Z'),
      clockRate: () => 3600,
    });
    const me = await replay.request('/v1/me', { headers: { authorization: `Bearer ${keys.reader}` } });
    assert.deepEqual(((await me.json()) as { clock: unknown }).clock, {
      now: '2026-03-04T12:00:00.000Z',
      simulated: true,
      rate: 3600,
    });
    assert.equal((await get('/v1/me', 'pcr_000000000000_nope')).status, 401);
    const doc = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
    };
    assert.equal(doc.paths['/v1/me']?.get?.['x-required-role'], 'any');
    assert.equal(doc.paths['/v1/snapshots/{hash}/screenshot']?.get?.['x-required-role'], 'reader');
  });

  it('serves a capture: facts and requests, the screenshot as PNG, the DOM as inert text', async () => {
    const r = await get(`/v1/snapshots/${snapshot}`, keys.reader);
    assert.equal(r.status, 200);
    const v = (await r.json()) as Record<string, unknown>;
    assert.equal(v.finalUrl, 'https://login.example-phish.test/signin');
    assert.equal(v.mode, 'render');
    assert.equal(v.status, 200);
    assert.equal(v.hasScreenshot, true);
    assert.deepEqual(v.requests, [
      { url: 'https://cdn.test/kit.js', method: 'GET', type: 'script', status: 200 },
    ]);
    assert.equal((v.redirectChain as string[]).length, 2);
    const shot = await get(`/v1/snapshots/${snapshot}/screenshot`, keys.reader);
    assert.equal(shot.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await shot.arrayBuffer()), png);
    const dom = await get(`/v1/snapshots/${snapshot}/dom`, keys.reader);
    assert.match(dom.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(dom.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await dom.text(), /<script>alert\(1\)<\/script>/);
  });

  it("draws a campaign's network: members and the links among them, classed as correlation classes them", async () => {
    const r = await get('/v1/campaigns/C-graph/graph', keys.reader);
    assert.equal(r.status, 200);
    const g = (await r.json()) as {
      nodes: { key: string }[];
      edges: { from: string; to: string; pivot: string; strength: string; weight: number }[];
      truncated: boolean;
    };
    assert.deepEqual(g.nodes.map((n) => n.key).sort(), [...MEMBERS].sort());
    const byPivot = Object.fromEntries(g.edges.map((e) => [e.pivot, e]));
    // A certificate ties on its own, an address only in conjunction, an ASN never.
    assert.equal(byPivot['cert-name']?.strength, 'strong');
    assert.equal(byPivot['resolves-to']?.strength, 'medium');
    assert.equal(byPivot['same-asn']?.strength, 'weak');
    // Links to entities outside the campaign are not drawn; each edge once, whichever side asserted it.
    assert.ok(g.edges.every((e) => MEMBERS.includes(e.from) && MEMBERS.includes(e.to)));
    assert.equal(g.edges.length, 5);
    assert.equal(g.truncated, false);
    const cut = (await (
      await get('/v1/campaigns/C-graph/graph?max_edges=2', keys.reader)
    ).json()) as typeof g;
    assert.equal(cut.edges.length, 2);
    assert.equal(cut.truncated, true);
    assert.ok(
      cut.edges.every((e) => e.strength === 'strong'),
      'the strongest are kept',
    );
    const missing = await get('/v1/campaigns/C-none/graph', keys.reader);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'CAMPAIGN_NOT_FOUND');
  });

  it('answers coded errors: no screenshot, unknown capture, bad hash, wrong role', async () => {
    const none = await get(`/v1/snapshots/${fetchOnly}/screenshot`, keys.reader);
    assert.equal(none.status, 404);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    assert.equal((await get(`/v1/snapshots/${'0'.repeat(64)}`, keys.reader)).status, 404);
    const bad = await get('/v1/snapshots/..%2F..%2Fetc', keys.reader);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    assert.equal((await get(`/v1/snapshots/${snapshot}`, keys.ingest)).status, 403);
    assert.equal((await get(`/v1/snapshots/${snapshot}`)).status, 401);
  });
});
