/**
 * The spec-only client walks the real `precursor serve` HTTP server (startServer: the same Node
 * server, app and TAXII routes as the command) over loopback: discovery → API root → collections →
 * objects with next paging and added_after, the TAXII media types, Basic and bearer authentication,
 * a partner `reader` key that sees only its granted collection up to TLP:GREEN.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { grantCollection } from '../../src/app/collections-service.js';
import { createLogger } from '../../src/app/logger.js';
import { createPipeline } from '../../src/app/pipeline.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { DetectorRegistry } from '../../src/detect/registry.js';
import type { EntityKey } from '../../src/domain/entity.js';
import { createApiKey, type CreatedKey } from '../../src/server/api-keys.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { publishCase, publisher, seedEntities } from '../support/published-intel.js';
import { TAXII_21, type TaxiiAuth, TaxiiClient, type TaxiiClientError } from './taxii-client.js';

describe('spec-only TAXII 2.1 client walks precursor serve', () => {
  it('shares no code with the server', () => {
    const text = readFileSync(new URL('./taxii-client.ts', import.meta.url), 'utf8');
    assert.deepEqual(
      [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]),
      [],
    );
  });

  let dir: string;
  let store: Store;
  let server: RunningServer;
  let partner: CreatedKey;
  let stranger: CreatedKey;
  const GREEN = 400;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'precursor-taxii-'));
    store = createSqliteStore({ path: join(dir, 'precursor.db') });
    await store.migrate();
    const config = ConfigSchema.parse({ home: dir, share: { taxii: { maxPageSize: 100 } } });
    const pipeline = createPipeline(store, async () => new DetectorRegistry([]), config);
    const logger = createLogger('silent');
    server = await startServer(
      { config: { ...config, source: undefined }, pipeline, logger, close: async () => {} },
      { host: '127.0.0.1', port: 0 },
    );
    const green = Array.from({ length: GREEN }, (_, i) => `domain:lure-${i}.example` as EntityKey);
    await seedEntities(store, [...green, 'domain:secret.example', 'domain:late.example']);
    const p = publisher();
    await publishCase(store, p, {
      caseId: 'K-1',
      campaignId: 'C-1',
      keys: green,
      tlp: 'green',
      at: '2026-11-20T12:00:00.000Z',
    });
    await publishCase(store, p, {
      caseId: 'K-2',
      keys: ['domain:secret.example'],
      tlp: 'amber',
      at: '2026-11-20T12:30:00.000Z',
    });
    partner = await createApiKey(store.keys, 'reader', 'acme soc', new Date(), 'acme');
    stranger = await createApiKey(store.keys, 'reader', 'no grants', new Date(), 'nobody');
    await grantCollection(store, { collection: 'confirmed', partner: 'acme', tlp: 'green', actor: 'test' });
  });
  after(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const auths = () => [{ basic: { user: partner.id, password: partner.key } }, { bearer: partner.key }];

  it('walks discovery → API root → collections → objects with next and added_after (Basic and bearer)', async () => {
    let lastAdded = '';
    for (const auth of auths()) {
      const client = new TaxiiClient({ auth });
      const discovery = await client.discover(`${server.url}/taxii2/`);
      const apiRootUrl = discovery.default ?? discovery.api_roots?.[0];
      assert.ok(apiRootUrl);
      const root = await client.apiRoot(apiRootUrl);
      assert.ok(root.versions.includes(TAXII_21));
      const collections = await client.collections(apiRootUrl);
      assert.deepEqual(
        collections.map((c) => [c.title, c.can_read, c.can_write]),
        [['Confirmed phishing infrastructure', true, false]],
      );
      const id = collections[0]?.id as string;
      const seen = new Set<string>();
      let pages = 0;

      for await (const page of client.objects(apiRootUrl, id, { limit: 1000 })) {
        pages++;
        assert.ok((page.envelope.objects?.length ?? 0) <= 100, 'the server caps pages at its page size');
        for (const o of page.envelope.objects ?? []) {
          const k = `${o.id}|${String(o.modified ?? '')}`;
          assert.ok(!seen.has(k), `${k} twice`);
          seen.add(k);
          assert.ok(!JSON.stringify(o).includes('secret.example'), 'amber intel reached a green partner');
        }
        assert.ok(page.dateAddedFirst && page.dateAddedLast);
        lastAdded = page.dateAddedLast;
      }
      const indicators = [...seen].filter((s) => s.startsWith('indicator--')).length;
      assert.equal(indicators, GREEN);
      assert.ok(pages > 10);
      // Nothing after the last page; something new shows up after it.
      const empty = await client.objectsPage(apiRootUrl, id, { addedAfter: lastAdded });
      assert.equal(empty.envelope.objects, undefined);
    }
    // Something published after the walk is exactly what added_after the last page returns.
    await publishCase(store, publisher(), {
      caseId: 'K-3',
      keys: ['domain:late.example'],
      tlp: 'clear',
      at: '2026-11-21T00:00:00.000Z',
    });
    const client = new TaxiiClient({ auth: auths()[0] as TaxiiAuth });
    const apiRootUrl = `${server.url}/taxii2/intel/`;
    const [c] = await client.collections(apiRootUrl);
    const late = await client.objectsPage(apiRootUrl, c?.id as string, {
      addedAfter: lastAdded,
      match: { type: 'indicator' },
    });
    assert.deepEqual(
      (late.envelope.objects ?? []).map((o) => o.pattern),
      ["[domain-name:value = 'late.example']"],
    );
  });

  it('is refused without a key, with a wrong key, a non-TAXII Accept, or an ungranted collection', async () => {
    const url = `${server.url}/taxii2/`;
    await assert.rejects(new TaxiiClient().discover(url), (e: TaxiiClientError) => e.status === 401);
    await assert.rejects(
      new TaxiiClient({ auth: { basic: { user: partner.id, password: 'nope' } } }).discover(url),
      (e: TaxiiClientError) => e.status === 401,
    );
    const res = await fetch(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${partner.key}` },
    });
    assert.equal(res.status, 406);
    assert.equal(res.headers.get('content-type'), TAXII_21);
    const client = new TaxiiClient({ auth: { bearer: stranger.key } });
    assert.deepEqual(await client.collections(`${server.url}/taxii2/intel/`), []);
    const [granted] = await new TaxiiClient({ auth: { bearer: partner.key } }).collections(
      `${server.url}/taxii2/intel/`,
    );
    await assert.rejects(
      client.objectsPage(`${server.url}/taxii2/intel/`, granted?.id as string),
      (e: TaxiiClientError) => e.status === 404,
    );
  });
});
