import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishCase, publisher, seedEntities } from '../../../test/support/published-intel.js';
import { testApp } from '../../../test/support/test-app.js';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { ConfigSchema } from '../../config/config-schema.js';
import { collectionId, CONFIRMED_ALIAS, SUBMISSIONS_ALIAS } from '../../share/collections.js';
import { grantCollection } from '../../app/collections-service.js';
import { createApiKey, type CreatedKey } from '../api-keys.js';
import type { createApp } from '../app.js';

const TAXII = 'application/taxii+json;version=2.1';
const CONFIRMED = collectionId(CONFIRMED_ALIAS);
const SUBMISSIONS = collectionId(SUBMISSIONS_ALIAS);
const ROOT = '/taxii2/intel/';

for (const factory of storeFactories()) {
  describe(`TAXII 2.1 routes [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    const k: Record<string, CreatedKey> = {};
    before(async () => {
      if (skip) return;
      t = await factory.open();
      const config = ConfigSchema.parse({ share: { taxii: { maxPageSize: 50, maxContentLength: 4096 } } });
      app = testApp(t.store, [], config);
      k.internal = await createApiKey(t.store.keys, 'reader', 'internal');
      k.acme = await createApiKey(t.store.keys, 'reader', 'acme', new Date(), 'acme');
      k.other = await createApiKey(t.store.keys, 'reader', 'other', new Date(), 'other');
      k.ingest = await createApiKey(t.store.keys, 'ingest', 'acme-feed', new Date(), 'acme');
      const green = Array.from({ length: 30 }, (_, i) => `domain:lure-${i}.example` as const);
      await seedEntities(t.store, [...green, 'domain:secret.example', 'domain:both.example']);
      const p = publisher();
      await publishCase(t.store, p, {
        caseId: 'K-1',
        campaignId: 'C-1',
        keys: [...green, 'domain:both.example'],
        tlp: 'green',
        at: '2026-11-20T12:00:00.000Z',
      });
      await publishCase(t.store, p, {
        caseId: 'K-2',
        keys: ['domain:secret.example'],
        tlp: 'amber',
        at: '2026-11-20T13:00:00.000Z',
      });
      // A later, stricter version of one green indicator: green readers keep seeing the green one.
      await publishCase(t.store, p, {
        caseId: 'K-3',
        keys: ['domain:both.example'],
        tlp: 'amber',
        at: '2026-11-20T14:00:00.000Z',
      });
      await grantCollection(t.store, {
        collection: CONFIRMED_ALIAS,
        partner: 'acme',
        tlp: 'green',
        actor: 'test',
      });
      await grantCollection(t.store, {
        collection: SUBMISSIONS_ALIAS,
        partner: 'acme',
        tlp: 'green',
        actor: 'test',
      });
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });

    const basic = (key: CreatedKey) => `Basic ${Buffer.from(`${key.id}:${key.key}`).toString('base64')}`;
    const get = (path: string, key: CreatedKey | undefined, headers: Record<string, string> = {}) =>
      app.request(path, {
        headers: { accept: TAXII, ...(key ? { authorization: basic(key) } : {}), ...headers },
      });
    const json = async (r: Response) => JSON.parse(await r.text()) as Record<string, unknown>;
    const envelope = async (path: string, key: CreatedKey) => {
      const r = await get(path, key);
      assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
      return (await json(r)) as {
        objects?: Record<string, unknown>[];
        more: boolean;
        next?: string;
        versions?: string[];
      };
    };

    it('authenticates with Basic (key id and key), bearer and X-API-Key, and says how when it fails', {
      skip,
    }, async () => {
      assert.equal((await get('/taxii2/', k.internal)).status, 200);
      assert.equal(
        (await get('/taxii2/', undefined, { authorization: `Bearer ${k.internal?.key}` })).status,
        200,
      );
      assert.equal((await get('/taxii2/', undefined, { 'x-api-key': k.internal?.key ?? '' })).status, 200);
      const none = await get('/taxii2/', undefined);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Basic realm=/);
      assert.equal(none.headers.get('content-type'), TAXII);
      assert.equal((await json(none)).http_status, '401');
      const wrongUser = `Basic ${Buffer.from(`${k.acme?.id}:${k.internal?.key}`).toString('base64')}`;
      assert.equal((await get('/taxii2/', undefined, { authorization: wrongUser })).status, 401);
    });

    it('negotiates the TAXII 2.1 media type (406) and answers discovery and the API root', {
      skip,
    }, async () => {
      assert.equal((await get('/taxii2/', k.internal, { accept: 'application/json' })).status, 406);
      assert.equal(
        (await get('/taxii2/', k.internal, { accept: 'application/taxii+json;version=2.0' })).status,
        406,
      );
      const d = await get('/taxii2/', k.internal, { accept: '*/*' });
      assert.equal(d.headers.get('content-type'), TAXII);
      const body = await json(d);
      assert.deepEqual(body.api_roots, ['http://localhost/taxii2/intel/']);
      const root = await json(await get(ROOT, k.internal));
      assert.deepEqual(root.versions, [TAXII]);
      assert.equal(root.max_content_length, 4096);
    });

    it('shows each key only its collections, up to its TLP, through every endpoint', { skip }, async () => {
      const ids = async (key: CreatedKey) =>
        (((await json(await get(`${ROOT}collections/`, key))).collections ?? []) as { id: string }[]).map(
          (c) => c.id,
        );
      assert.deepEqual((await ids(k.internal as CreatedKey)).sort(), [CONFIRMED, SUBMISSIONS].sort());
      assert.deepEqual((await ids(k.acme as CreatedKey)).sort(), [CONFIRMED, SUBMISSIONS].sort());
      assert.deepEqual(await json(await get(`${ROOT}collections/`, k.other)), {});
      for (const path of ['', 'objects/', 'manifest/'])
        assert.equal((await get(`${ROOT}collections/${CONFIRMED}/${path}`, k.other)).status, 404, path);

      const all = async (key: CreatedKey, endpoint: 'objects' | 'manifest') => {
        const out: Record<string, unknown>[] = [];
        let next: string | undefined;
        do {
          const page = await envelope(
            `${ROOT}collections/${CONFIRMED}/${endpoint}/?limit=7${next ? `&next=${encodeURIComponent(next)}` : ''}`,
            key,
          );
          out.push(...(page.objects ?? []));
          next = page.more ? page.next : undefined;
        } while (next);
        return out;
      };
      const acmeObjects = await all(k.acme as CreatedKey, 'objects');
      const internalObjects = await all(k.internal as CreatedKey, 'objects');
      assert.ok(internalObjects.length > acmeObjects.length);
      const text = JSON.stringify(acmeObjects);
      assert.ok(!text.includes('secret.example'), 'an amber indicator reached a green partner');
      assert.ok(
        !text.includes('55d920b0-5e8b-4f79-9ee9-91f868d9b421'),
        'an amber marking reached a green partner',
      );
      assert.equal(new Set(acmeObjects.map((o) => `${o.id}|${o.modified ?? ''}`)).size, acmeObjects.length);
      const manifest = await all(k.acme as CreatedKey, 'manifest');
      assert.equal(manifest.length, acmeObjects.length);

      const secretId = internalObjects.find((o) => String(o.pattern ?? '').includes('secret.example'))?.id;
      assert.ok(secretId);
      assert.equal(
        (await get(`${ROOT}collections/${CONFIRMED}/objects/${secretId}/`, k.internal)).status,
        200,
      );
      assert.equal((await get(`${ROOT}collections/${CONFIRMED}/objects/${secretId}/`, k.acme)).status, 404);
      assert.equal(
        (await get(`${ROOT}collections/${CONFIRMED}/objects/${secretId}/versions/`, k.acme)).status,
        404,
      );
      const byMatch = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/?match[id]=${secretId}`,
        k.acme as CreatedKey,
      );
      assert.equal(byMatch.objects, undefined);

      const bothId = internalObjects.find((o) => String(o.pattern ?? '').includes("'both.example'"))
        ?.id as string;
      const vi = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/${bothId}/versions/`,
        k.internal as CreatedKey,
      );
      const va = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/${bothId}/versions/`,
        k.acme as CreatedKey,
      );
      assert.equal(vi.versions?.length, 2);
      assert.equal(va.versions?.length, 1);
      const lastForAcme = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/${bothId}/`,
        k.acme as CreatedKey,
      );
      assert.equal(lastForAcme.objects?.[0]?.modified, '2026-11-20T12:00:00.000Z');
    });

    it('filters by added_after, match[type] and match[version], with date-added headers', {
      skip,
    }, async () => {
      const first = await get(`${ROOT}collections/${CONFIRMED}/objects/?limit=5`, k.internal);
      const head = first.headers.get('x-taxii-date-added-last') ?? '';
      assert.match(head, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.ok((first.headers.get('x-taxii-date-added-first') ?? '') <= head);
      const after = await envelope(
        `${ROOT}collections/${CONFIRMED}/manifest/?added_after=${head}&limit=50`,
        k.internal as CreatedKey,
      );
      assert.ok((after.objects ?? []).every((o) => String(o.date_added) > head));
      const types = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/?match[type]=campaign,identity`,
        k.internal as CreatedKey,
      );
      assert.deepEqual([...new Set((types.objects ?? []).map((o) => o.type))].sort(), [
        'campaign',
        'identity',
      ]);
      const firsts = await envelope(
        `${ROOT}collections/${CONFIRMED}/objects/?match[type]=indicator&match[version]=first&limit=50`,
        k.internal as CreatedKey,
      );
      assert.ok((firsts.objects ?? []).every((o) => o.modified === o.created));
      assert.equal(
        (await get(`${ROOT}collections/${CONFIRMED}/objects/?next=bogus`, k.internal)).status,
        400,
      );
      assert.equal(
        (await get(`${ROOT}collections/${CONFIRMED}/objects/?added_after=yesterday`, k.internal)).status,
        400,
      );
    });

    it('takes envelopes from ingest keys only (415, 413), stores them and feeds the pipeline', {
      skip,
    }, async () => {
      const post = (key: CreatedKey, body: string, type = TAXII) =>
        app.request(`${ROOT}collections/${SUBMISSIONS}/objects/`, {
          method: 'POST',
          headers: { accept: TAXII, 'content-type': type, authorization: basic(key) },
          body,
        });
      const envelopeBody = JSON.stringify({
        objects: [
          {
            type: 'domain-name',
            spec_version: '2.1',
            id: 'domain-name--8f7c3a52-2b4c-5e8f-9a1b-3c4d5e6f7a8b',
            value: 'partner-lure.example',
          },
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--1f7c3a52-2b4c-4e8f-9a1b-3c4d5e6f7a8b',
            created: '2026-11-19T00:00:00.000Z',
            modified: '2026-11-19T00:00:00.000Z',
            pattern: "[url:value = 'https://partner-kit.example/it\\'s']",
            pattern_type: 'stix',
            valid_from: '2026-11-19T00:00:00Z',
          },
          { type: 'indicator', id: 'not-an-id' },
        ],
      });
      assert.equal((await post(k.acme as CreatedKey, envelopeBody)).status, 403);
      assert.equal((await post(k.ingest as CreatedKey, envelopeBody, 'application/json')).status, 415);
      assert.equal(
        (await post(k.ingest as CreatedKey, JSON.stringify({ objects: [], pad: 'x'.repeat(5000) }))).status,
        413,
      );
      const r = await post(k.ingest as CreatedKey, envelopeBody);
      assert.equal(r.status, 202, await r.clone().text());
      const status = await json(r);
      assert.equal(status.status, 'complete');
      assert.equal(status.success_count, 2);
      assert.equal(status.failure_count, 1);
      const again = await get(`${ROOT}status/${status.id}/`, k.ingest);
      assert.deepEqual(await json(again), status);
      assert.equal((await get(`${ROOT}status/${status.id}/`, k.internal)).status, 404);
      assert.ok(await t.store.entities.get('domain:partner-lure.example'));
      assert.ok(await t.store.entities.get("url:https://partner-kit.example/it's"));
      assert.equal(await t.store.observations.count('taxii:acme'), 2);
      const stored = await envelope(`${ROOT}collections/${SUBMISSIONS}/objects/`, k.internal as CreatedKey);
      assert.equal(stored.objects?.length, 2);
      // The same envelope again: nothing new.
      assert.equal((await post(k.ingest as CreatedKey, envelopeBody)).status, 202);
      assert.equal(
        (await envelope(`${ROOT}collections/${SUBMISSIONS}/objects/`, k.internal as CreatedKey)).objects
          ?.length,
        2,
      );
      assert.equal(await t.store.observations.count('taxii:acme'), 2);
    });
  });
}
