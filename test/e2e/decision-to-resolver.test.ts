/**
 * A decision travels to defenders and back, end to end over the HTTP API: a name is ingested, the
 * policy opens a case, an analyst claims it and decides it malicious (the review service publishes it)
 * → a partner's TAXII key reads its indicator, and the RPZ export downloaded over the API, loaded into
 * a real resolver (unbound) on loopback, blocks the name and its subdomains → the analyst reopens the
 * case and decides it benign → TAXII serves the indicator's new version, `revoked`, beside the old one,
 * and the next RPZ export no longer lists the name: the resolver answers it again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grantCollection } from '../../src/app/collections-service.js';
import { createApiKey } from '../../src/server/api-keys.js';
import type { createApp } from '../../src/server/app.js';
import { storeFactories, type TestStore } from '../support/stores.js';
import { testApp } from '../support/test-app.js';
import { type RunningResolver, startUnbound, unboundSkip } from '../support/unbound.js';

const NAME = 'kit-login.example';
const AUTH = `$TTL 60
$ORIGIN example.
@ IN SOA localhost. hostmaster.localhost. 1 3600 600 604800 60
@ IN NS localhost.
kit-login A 192.0.2.10
www.kit-login A 192.0.2.10
honest-shop A 192.0.2.20
`;

// A stand-in detector strong enough for the shipped policy's lone-entity rule (score >= 90).
const strong = {
  id: 'test.kit',
  entityTypes: ['domain' as const],
  detect: (s: { display: string }) =>
    s.display.includes('kit')
      ? [
          {
            id: 'test.kit',
            detector: 'test.kit',
            weight: 95,
            detail: `'${s.display}' serves a kit`,
            evidence: [],
          },
        ]
      : [],
};

const TAXII = { Accept: 'application/taxii+json;version=2.1' };
const unbound = unboundSkip();

for (const factory of storeFactories()) {
  describe(`decision → TAXII and a real resolver → reversal [${factory.name}]`, async () => {
    const skip = unbound ?? (await factory.skip());
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    let analyst = '';
    let ingest = '';
    let partner = { id: '', key: '' };
    let resolver: RunningResolver | undefined;
    before(async () => {
      if (skip) return;
      t = await factory.open();
      app = testApp(t.store, [strong]);
      analyst = (await createApiKey(t.store.keys, 'analyst', 'analyst')).key;
      ingest = (await createApiKey(t.store.keys, 'ingest', 'ingest')).key;
      partner = await createApiKey(t.store.keys, 'reader', 'acme', new Date(), 'acme');
      await grantCollection(t.store, {
        collection: 'confirmed',
        partner: 'acme',
        tlp: 'green',
        actor: 'test',
      });
    });
    after(async () => {
      await resolver?.stop();
      if (!skip) await t.cleanup();
    });

    const api = async (path: string, key: string, body?: unknown) => {
      const res = await app.request(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
      return res;
    };
    // The partner reads as a TAXII client does: HTTP Basic with its key id and key.
    const taxii = async (path: string) => {
      const basic = Buffer.from(`${partner.id}:${partner.key}`).toString('base64');
      const res = await app.request(`/taxii2/intel/collections/confirmed/${path}`, {
        headers: { ...TAXII, authorization: `Basic ${basic}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as Record<string, unknown>;
    };
    const indicatorOf = async () => {
      const env = (await taxii('objects/?match[type]=indicator')) as {
        objects?: { id: string; pattern: string; revoked?: boolean; modified: string }[];
      };
      return env.objects?.find((o) => o.pattern.includes(`'${NAME}'`));
    };
    const rpz = async () => (await api('/v1/exports/rpz', analyst)).text();
    const resolveWith = async (zone: string) => {
      await resolver?.stop();
      resolver = await startUnbound({
        rpzOrigin: 'rpz.precursor.invalid',
        rpzZone: zone,
        authOrigin: 'example',
        authZone: AUTH,
      });
      return resolver;
    };

    let caseId = '';
    let first: { id: string; modified: string; revoked?: boolean } | undefined;

    it('publishes a malicious decision to TAXII and to an RPZ a resolver enforces', { skip }, async () => {
      await api('/v1/ingest/names', ingest, { values: [NAME, 'honest-shop.example'] });
      const cases = (await (await api('/v1/cases', analyst)).json()) as {
        items: { id: string; subject: string }[];
      };
      caseId = cases.items.find((c) => c.subject === `domain:${NAME}`)?.id ?? '';
      assert.ok(caseId, 'the policy opened a case on the name');
      assert.equal(await indicatorOf(), undefined, 'nothing is shared before a decision');
      await api(`/v1/cases/${caseId}/claim`, analyst, {});
      await api(`/v1/cases/${caseId}/decision`, analyst, { as: 'malicious', note: 'kit seen', tlp: 'green' });

      first = await indicatorOf();
      assert.ok(first, 'the partner reads the indicator over TAXII');
      assert.equal(first.revoked, undefined);
      const zone = await rpz();
      assert.match(zone, new RegExp(`^${NAME.replace('.', '\\.')} CNAME \\.$`, 'm'));
      const r = await resolveWith(zone);
      assert.equal(await r.resolve4(NAME), 'ENOTFOUND');
      assert.equal(await r.resolve4(`www.${NAME}`), 'ENOTFOUND');
      assert.deepEqual(await r.resolve4('honest-shop.example'), ['192.0.2.20']);
    });

    it('revokes it everywhere when the decision is reversed', { skip }, async () => {
      assert.ok(first);
      await api(`/v1/cases/${caseId}/reopen`, analyst, { note: 'the registrar shows a legitimate owner' });
      await api(`/v1/cases/${caseId}/claim`, analyst, {});
      await api(`/v1/cases/${caseId}/decision`, analyst, { as: 'benign', note: 'legitimate owner' });

      const now = await indicatorOf();
      assert.equal(now?.id, first.id, 'the same indicator, a new version');
      assert.equal(now?.revoked, true);
      assert.ok((now?.modified ?? '') > first.modified);
      const versions = (await taxii(`objects/${first.id}/versions/`)) as { versions: string[] };
      assert.equal(versions.versions.length, 2, 'the first version is kept: versions are never edited');

      const zone = await rpz();
      assert.doesNotMatch(zone, new RegExp(NAME.replace('.', '\\.')));
      const r = await resolveWith(zone);
      assert.deepEqual(await r.resolve4(NAME), ['192.0.2.10']);
      assert.deepEqual(await r.resolve4(`www.${NAME}`), ['192.0.2.10']);
    });
  });
}
