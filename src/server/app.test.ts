import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/test-app.js';
import { storeFactories, type TestStore } from '../../test/support/stores.js';
import { createApiKey } from './api-keys.js';
import type { createApp } from './app.js';

// A stand-in detector with a real rule, so the API's scoring path is exercised end to end.
const hyphenLogin = {
  id: 'test.login',
  entityTypes: ['domain' as const],
  detect: (s: { display: string }) =>
    s.display.includes('login')
      ? [
          {
            id: 'test.login',
            detector: 'test.login',
            weight: 70,
            detail: `'${s.display}' contains login`,
            evidence: [],
          },
        ]
      : [],
};

for (const factory of storeFactories()) {
  describe(`HTTP API [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    const keys: Record<string, string> = {};
    before(async () => {
      if (skip) return;
      t = await factory.open();
      app = testApp(t.store, [hyphenLogin]);
      for (const role of ['admin', 'analyst', 'reader', 'ingest'] as const)
        keys[role] = (await createApiKey(t.store.keys, role, role)).key;
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });
    const req = (path: string, init: RequestInit & { key?: string | undefined } = {}) =>
      app.request(path, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
          ...(init.headers as Record<string, string>),
        },
      });

    it('serves health without a key and everything else only with one', { skip }, async () => {
      assert.equal((await req('/healthz')).status, 200);
      const ready = await req('/readyz');
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { store: string }).store, factory.name);
      for (const path of ['/v1/entities', '/v1/stats', '/metrics', '/v1/audit']) {
        const r = await req(path);
        assert.equal(r.status, 401, path);
        assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
      }
      assert.equal((await req('/v1/entities', { key: 'pcr_000000000000_nope' })).status, 401);
      assert.equal((await req('/v1/entities', { headers: { 'x-api-key': keys.reader! } })).status, 200);
    });

    it('enforces roles', { skip }, async () => {
      assert.equal((await req('/v1/audit', { key: keys.reader })).status, 403);
      assert.equal((await req('/v1/audit', { key: keys.admin })).status, 200);
      assert.equal((await req('/v1/entities', { key: keys.ingest })).status, 403);
      const r = await req('/v1/ingest/names', {
        method: 'POST',
        key: keys.reader,
        body: JSON.stringify({ values: ['a.com'] }),
      });
      assert.equal(r.status, 403);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'FORBIDDEN');
    });

    it('answers 400 naming the field and the reason', { skip }, async () => {
      const q = await req('/v1/entities?limit=0', { key: keys.reader });
      assert.equal(q.status, 400);
      const body = (await q.json()) as {
        error: { code: string; message: string; details: { issues: { field: string }[] } };
      };
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      assert.equal(body.error.details.issues[0]?.field, 'limit');
      const b = await req('/v1/ingest/names', { method: 'POST', key: keys.ingest, body: '{not json' });
      assert.equal(b.status, 400);
      const big = await req('/v1/ingest/names', {
        method: 'POST',
        key: keys.ingest,
        body: JSON.stringify({ values: ['x'.repeat(11 * 1024 * 1024)] }),
      });
      assert.equal(big.status, 413);
      const v = await req('/v1/ingest/names', {
        method: 'POST',
        key: keys.ingest,
        body: JSON.stringify({ values: 'x' }),
      });
      assert.equal(
        ((await v.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues[0]
          ?.field,
        'values',
      );
    });

    it('ingests names, scores them and explains the score', { skip }, async () => {
      const r = await req('/v1/ingest/names', {
        method: 'POST',
        key: keys.ingest,
        body: JSON.stringify({
          source: 'feed',
          values: ['secure-login.example.com', 'plain.example.org', 'bad name!'],
        }),
      });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { inserted: number; rejected: { index: number }[]; flagged: number };
      assert.equal(body.inserted, 2);
      assert.deepEqual(
        body.rejected.map((x) => x.index),
        [2],
      );
      assert.equal(body.flagged, 1);
      const list = (await (await req('/v1/entities?flagged=true', { key: keys.reader })).json()) as {
        items: { entity: { key: string } }[];
      };
      assert.deepEqual(
        list.items.map((i) => i.entity.key),
        ['domain:secure-login.example.com'],
      );
      const one = await req(`/v1/entities/${encodeURIComponent('domain:secure-login.example.com')}`, {
        key: keys.reader,
      });
      const detail = (await one.json()) as {
        assessment: { score: number; contributions: { id: string; points: number; detail: string }[] };
      };
      assert.equal(detail.assessment.score, 70);
      assert.equal(detail.assessment.contributions[0]?.points, 70);
      assert.match(detail.assessment.contributions[0]!.detail, /contains login/);
      assert.equal(
        (await req(`/v1/entities/${encodeURIComponent('domain:nope.com')}`, { key: keys.reader })).status,
        404,
      );
      const dl = (await (await req('/v1/dead-letters', { key: keys.analyst })).json()) as {
        items: { position: string; reason: string }[];
      };
      assert.equal(dl.items[0]?.position, 'item 2');
      const audit = (await (await req('/v1/audit', { key: keys.admin })).json()) as {
        items: { action: string }[];
      };
      assert.ok(audit.items.some((a) => a.action === 'ingest.names'));
    });

    it('creates and revokes keys, auditing both', { skip }, async () => {
      const c = await req('/v1/keys', {
        method: 'POST',
        key: keys.admin,
        body: JSON.stringify({ role: 'reader', label: 'x' }),
      });
      assert.equal(c.status, 201);
      const k = (await c.json()) as { id: string; key: string };
      assert.equal((await req('/v1/stats', { key: k.key })).status, 200);
      assert.equal((await req(`/v1/keys/${k.id}`, { method: 'DELETE', key: keys.admin })).status, 200);
      assert.equal((await req('/v1/stats', { key: k.key })).status, 401);
      const listed = (await (await req('/v1/keys', { key: keys.admin })).json()) as {
        items: Record<string, unknown>[];
      };
      assert.ok(listed.items.every((i) => !('hash' in i) && !('key' in i)));
    });

    it('exposes Prometheus metrics and an OpenAPI document of every route', { skip }, async () => {
      const m = await req('/metrics', { key: keys.reader });
      assert.equal(m.status, 200);
      const text = await m.text();
      assert.match(text, /precursor_http_requests_total/);
      assert.match(text, /precursor_observations \d+/);
      const doc = (await (await req('/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/v1/entities',
        '/v1/entities/{key}',
        '/v1/ingest/names',
        '/v1/keys',
        '/v1/keys/{id}',
        '/v1/audit',
      ])
        assert.ok(doc.paths[p], p);
      const docs = await req('/docs');
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /swagger-ui/);
      assert.equal((await req('/docs/assets/swagger-ui-bundle.js')).status, 200);
    });
  });
}
