/**
 * The HTTP surface at its edges: a bad percent-encoding is a coded 400, the dashboard mount serves
 * only the built assets with a Content-Security-Policy, nosniff and frame protection, and /metrics is
 * in the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/app/logger.js';
import { packagePath } from '../../src/app/package-info.js';
import { createPipeline } from '../../src/app/pipeline.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { DetectorRegistry } from '../../src/detect/registry.js';
import { createApiKey } from '../../src/server/api-keys.js';
import { createApp } from '../../src/server/app.js';
import { sqliteFactory, type TestStore } from '../support/stores.js';

describe('HTTP API edges', () => {
  let t: TestStore;
  let key: string;
  const apps: Record<string, ReturnType<typeof createApp>> = {};
  // A web root as the build leaves it: sources and config beside the built files.
  const built = mkdtempSync(join(tmpdir(), 'precursor-web-'));
  before(async () => {
    t = await sqliteFactory.open();
    mkdirSync(join(built, 'assets'), { recursive: true });
    mkdirSync(join(built, 'src'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(built, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'export {};');
    writeFileSync(join(built, 'src', 'app.ts'), 'export const secret = 1;');
    writeFileSync(join(built, 'tsconfig.json'), '{}');
    writeFileSync(join(built, 'package.json'), '{}');
    const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), ConfigSchema.parse({}));
    for (const [name, webRoot] of [
      ['package', packagePath('web', 'dist')],
      ['built', built],
    ] as const)
      apps[name] = createApp({ pipeline, logger: createLogger('silent'), version: 'test', webRoot });
    key = (await createApiKey(t.store.keys, 'reader', 'r')).key;
  });
  after(async () => {
    await t.cleanup();
  });
  const get = (app: string, path: string, auth = true) =>
    (apps[app] as ReturnType<typeof createApp>).request(
      path,
      auth ? { headers: { authorization: `Bearer ${key}` } } : {},
    );

  it('answers 400 VALIDATION_FAILED to a bad percent-encoding, in the path or the query', async () => {
    for (const path of ['/v1/entities/%ZZ', '/v1/entities/domain:%E0%A4%A', '/v1/entities?search=%ZZ']) {
      const r = await get('package', path);
      assert.equal(r.status, 400, path);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'VALIDATION_FAILED', path);
      assert.match(body.error.message, /malformed percent-encoding/);
    }
    // A key with an escaped `%` is decoded once: `%2541` is the text `%41`, not `A`.
    const once = (await (
      await get('package', '/v1/entities/url:https%3A%2F%2Fx.example%2F%2541')
    ).json()) as {
      error: { message: string };
    };
    assert.equal(once.error.message, 'no entity url:https://x.example/%41');
  });

  it('serves only the built dashboard, never its sources or configuration', async () => {
    for (const app of ['package', 'built']) {
      for (const path of [
        '/src/app.ts',
        '/tsconfig.json',
        '/package.json',
        '/web/src/app.ts',
        '/src/main.tsx',
        '/vite.config.mjs',
        '/assets/../package.json',
        '/assets/%2e%2e/package.json',
        '/%2e%2e/package.json',
      ])
        assert.equal((await get(app, path, false)).status, 404, `${app} ${path}`);
    }
    for (const path of ['/', '/index.html', '/assets/index-abc123.css', '/assets/index-abc123.js'])
      assert.equal((await get('built', path, false)).status, 200, path);
    // Hashed assets may be cached for good; the page is revalidated so a new build shows at once.
    assert.match(
      (await get('built', '/assets/index-abc123.js', false)).headers.get('cache-control') ?? '',
      /immutable/,
    );
    assert.equal((await get('built', '/', false)).headers.get('cache-control'), 'no-cache');
  });

  it('sends nosniff, a Content-Security-Policy and frame protection with the dashboard', async () => {
    const r = await get('built', '/', false);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline or eval scripts');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    // The campaign graph's layout worker is a file of this origin; no blob: or data: workers.
    assert.match(csp, /worker-src 'self'(;|$)/);
    const api = await get('built', '/v1/stats');
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff', 'API answers too');
  });

  it('lists /metrics (and the health probes) in the OpenAPI document', async () => {
    const doc = (await (await get('package', '/openapi.json', false)).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: string; security?: unknown[] }>>;
    };
    assert.equal(doc.paths['/metrics']?.get?.['x-required-role'], 'reader');
    assert.deepEqual(doc.paths['/healthz']?.get?.security, []);
    assert.ok(doc.paths['/readyz']?.get);
    const metrics = await get('package', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /# HELP/);
  });
});
