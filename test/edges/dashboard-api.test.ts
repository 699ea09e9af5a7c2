/**
 * Routes the dashboard needs beside the stages' own: `GET /v1/me` (any valid key learns its role, so
 * the UI can hide what the role may not do) and page captures from the evidence store (facts, request
 * log, screenshot bytes, DOM as plain text), with their roles and coded errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/app/logger.js';
import { evidenceDir } from '../../src/app/detectors.js';
import { createPipeline } from '../../src/app/pipeline.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { DetectorRegistry } from '../../src/detect/registry.js';
import { EvidenceStore } from '../../src/ingest/crawl/evidence-store.js';
import { createApiKey } from '../../src/server/api-keys.js';
import { createApp } from '../../src/server/app.js';
import { sqliteFactory, type TestStore } from '../support/stores.js';

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
    const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), config);
    app = createApp({ pipeline, logger: createLogger('silent'), version: 'test' });
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
      const body = (await r.json()) as { id: string; label: string; role: string };
      assert.equal(body.role, role);
      assert.equal(body.label, `${role} key`);
      assert.match(body.id, /^[0-9a-f]{12}$/);
      assert.equal(Object.keys(body).length, 3, 'never the hash');
    }
    assert.equal((await get('/v1/me')).status, 401);
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
