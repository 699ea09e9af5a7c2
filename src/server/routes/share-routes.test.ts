import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishCase, publisher, seedEntities } from '../../../test/support/published-intel.js';
import { testApp } from '../../../test/support/test-app.js';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { grantCollection } from '../../app/collections-service.js';
import { createApiKey, type CreatedKey } from '../api-keys.js';
import type { createApp } from '../app.js';

// A real rule standing in for the domain engine, so that the live path is exercised end to end.
const loginLure = {
  id: 'test.lure',
  entityTypes: ['domain' as const],
  detect: (s: { display: string }) =>
    s.display.includes('login')
      ? [
          {
            id: 'test.lure',
            detector: 'test.lure',
            weight: 70,
            detail: `'${s.display}' contains login`,
            evidence: [],
          },
        ]
      : [],
};

for (const factory of storeFactories()) {
  describe(`URL check and export downloads [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    const k: Record<string, CreatedKey> = {};
    before(async () => {
      if (skip) return;
      t = await factory.open();
      app = testApp(t.store, [loginLure]);
      k.reader = await createApiKey(t.store.keys, 'reader', 'internal');
      k.acme = await createApiKey(t.store.keys, 'reader', 'acme', new Date(), 'acme');
      k.nobody = await createApiKey(t.store.keys, 'reader', 'nobody', new Date(), 'nobody');
      k.ingest = await createApiKey(t.store.keys, 'ingest', 'feed');
      k.analyst = await createApiKey(t.store.keys, 'analyst', 'analyst');
      await seedEntities(t.store, [
        'domain:evil-login.example',
        'domain:amber-login.example',
        'domain:flagged.example',
      ]);
      const now = new Date().toISOString();
      await publishCase(t.store, publisher(), {
        caseId: 'K-1',
        campaignId: 'C-7',
        keys: ['domain:evil-login.example'],
        tlp: 'green',
        at: now,
      });
      await publishCase(t.store, publisher(), {
        caseId: 'K-2',
        keys: ['domain:amber-login.example'],
        tlp: 'amber',
        at: now,
      });
      await grantCollection(t.store, {
        collection: 'confirmed',
        partner: 'acme',
        tlp: 'green',
        actor: 'test',
      });
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });
    const get = (path: string, key?: CreatedKey) =>
      app.request(path, { headers: key ? { authorization: `Bearer ${key.key}` } : {} });
    const check = async (url: string, key: CreatedKey) => {
      const r = await get(`/v1/check?url=${encodeURIComponent(url)}`, key);
      assert.equal(r.status, 200, await r.clone().text());
      return (await r.json()) as {
        url: string;
        verdict: string;
        score: number;
        reasons: { id: string }[];
        campaign: string | null;
      };
    };

    it('answers confirmed intel, for the host, its subdomains and URLs on it, with the campaign', {
      skip,
    }, async () => {
      for (const u of [
        'evil-login.example',
        'https://evil-login.example/o365/?x=1#frag',
        'http://a.b.evil-login.example/',
      ]) {
        const r = await check(u, k.reader as CreatedKey);
        assert.equal(r.verdict, 'malicious', u);
        assert.equal(r.campaign, 'C-7');
        assert.equal(r.reasons[0]?.id, 'intel.confirmed');
        assert.ok(r.score >= 85);
      }
      assert.equal(
        (await check('https://evil-login.example/#x', k.reader as CreatedKey)).url,
        'https://evil-login.example/',
      );
    });

    it('keeps each key to its TLP ceiling and its own data', { skip }, async () => {
      assert.equal(
        (await check('amber-login.example', k.reader as CreatedKey)).reasons[0]?.id,
        'intel.confirmed',
      );
      // A green partner learns nothing from amber intel: it gets the engine's live verdict.
      const partner = await check('amber-login.example', k.acme as CreatedKey);
      assert.notEqual(partner.reasons[0]?.id, 'intel.confirmed');
      assert.deepEqual(
        partner.reasons.map((r) => r.id),
        ['test.lure'],
      );
      assert.equal((await check('evil-login.example', k.nobody as CreatedKey)).reasons[0]?.id, 'test.lure');
      // Stored assessments are the deploying organisation's: a partner gets the live engine.
      assert.equal(
        (await check('flagged.example', k.reader as CreatedKey)).reasons[0]?.id,
        'domain.homoglyph',
      );
      assert.equal((await check('flagged.example', k.acme as CreatedKey)).verdict, 'benign');
      assert.equal((await get('/v1/check?url=x.example', k.ingest)).status, 403);
      assert.equal((await get('/v1/check?url=x.example')).status, 401);
    });

    it('scores unseen names live and says why an input is not checkable', { skip }, async () => {
      const r = await check('https://secure-login.unseen.example/', k.reader as CreatedKey);
      assert.equal(r.verdict, 'suspicious');
      assert.equal(r.score, 70);
      assert.deepEqual(
        r.reasons.map((x) => x.id),
        ['test.lure'],
      );
      assert.equal((await check('plain.unseen.example', k.reader as CreatedKey)).verdict, 'benign');
      assert.equal((await check('ftp://x.example/', k.reader as CreatedKey)).verdict, 'invalid');
      assert.equal((await check('not a host', k.reader as CreatedKey)).verdict, 'invalid');
      const batch = await app.request('/v1/check', {
        method: 'POST',
        headers: { authorization: `Bearer ${k.reader?.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ urls: ['evil-login.example', 'login.other.example', 'bad host'] }),
      });
      const items = ((await batch.json()) as { items: { verdict: string }[] }).items;
      assert.deepEqual(
        items.map((i) => i.verdict),
        ['malicious', 'suspicious', 'invalid'],
      );
    });

    it('sees intel published after it started (the cache follows the store)', { skip }, async () => {
      await seedEntities(t.store, ['domain:later.example']);
      assert.equal((await check('later.example', k.reader as CreatedKey)).reasons[0]?.id, 'domain.homoglyph');
      await publishCase(t.store, publisher(), {
        caseId: 'K-9',
        keys: ['domain:later.example'],
        at: new Date().toISOString(),
      });
      let verdict = '';
      for (let i = 0; i < 40 && verdict !== 'intel.confirmed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        verdict = (await check('later.example', k.reader as CreatedKey)).reasons[0]?.id ?? '';
      }
      assert.equal(verdict, 'intel.confirmed');
    });

    it('serves exports as downloads within the key’s TLP, audited', { skip }, async () => {
      const rpz = await get('/v1/exports/rpz', k.reader);
      assert.equal(rpz.status, 200);
      assert.match(
        rpz.headers.get('content-disposition') ?? '',
        /attachment; filename="rpz\.precursor\.invalid\.zone"/,
      );
      const zone = await rpz.text();
      assert.match(zone, /evil-login\.example/);
      assert.ok(!zone.includes('amber-login'), 'default TLP is green');
      assert.match(await (await get('/v1/exports/rpz?tlp=amber', k.reader)).text(), /amber-login/);
      assert.equal((await get('/v1/exports/rpz?tlp=amber', k.acme)).status, 403);
      assert.equal((await get('/v1/exports/hosts', k.nobody)).status, 403);
      const stix = await get('/v1/exports/stix', k.acme);
      assert.equal(stix.headers.get('content-type'), 'application/stix+json;version=2.1');
      assert.equal(((await stix.json()) as { type: string }).type, 'bundle');
      const manifest = await get('/v1/exports/misp', k.reader);
      const events = Object.keys((await manifest.json()) as object);
      assert.ok(events.length > 0);
      assert.equal((await get(`/v1/exports/misp/${events[0]}.json`, k.reader)).status, 200);
      assert.equal((await get('/v1/exports/misp/nope.json', k.reader)).status, 404);
      assert.equal((await get('/v1/exports/pdf', k.reader)).status, 400);
      assert.equal((await get('/v1/exports/stix?personal_data=true', k.reader)).status, 400);
      const audit = await t.store.audit.list({ subject: 'export:rpz' });
      assert.equal(audit.length, 2, 'refused exports are not exports');
      assert.equal(audit[0]?.actor, `key:${k.reader?.id}`);
      // One campaign's intel, as the dashboard's campaign view downloads it.
      const one = await get('/v1/exports/stix?campaign=C-7&tlp=amber', k.reader);
      assert.equal(one.status, 200);
      const oneText = await one.text();
      assert.match(oneText, /evil-login\.example/);
      assert.ok(!oneText.includes('amber-login'), 'another case’s indicator stays out');
      const nope = await get('/v1/exports/rpz?campaign=C-none', k.reader);
      assert.equal(nope.status, 404);
      assert.equal(((await nope.json()) as { error: { code: string } }).error.code, 'CAMPAIGN_NOT_FOUND');
      assert.equal((await get('/v1/campaigns/C-none/report', k.reader)).status, 403);
      const missing = await get('/v1/campaigns/C-none/report', k.analyst);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'CAMPAIGN_NOT_FOUND');
      const doc = (await (await get('/openapi.json')).json()) as { paths: Record<string, unknown> };
      for (const path of [
        '/v1/check',
        '/v1/exports/{format}',
        '/v1/exports/{format}/{file}',
        '/v1/campaigns/{id}/report',
      ])
        assert.ok(doc.paths[path], path);
    });
  });
}
