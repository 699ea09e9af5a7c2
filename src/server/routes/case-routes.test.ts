import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../../test/support/test-app.js';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { createApiKey } from '../api-keys.js';
import type { createApp } from '../app.js';

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

for (const factory of storeFactories()) {
  describe(`case API [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let app: ReturnType<typeof createApp>;
    const keys: Record<string, string> = {};
    before(async () => {
      if (skip) return;
      t = await factory.open();
      app = testApp(t.store, [strong]);
      for (const role of ['admin', 'analyst', 'reader', 'ingest'] as const)
        keys[role] = (await createApiKey(t.store.keys, role, role)).key;
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });
    const req = (path: string, key: string | undefined, body?: unknown) =>
      app.request(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    let id = '';
    it('lists the cases the policy opened after ingest ({items, next}) to a reader', { skip }, async () => {
      const ing = await req('/v1/ingest/names', keys.ingest, {
        values: ['kit-login.example', 'plain.example'],
      });
      assert.equal(ing.status, 200, await ing.text());
      const res = await req('/v1/cases', keys.reader);
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        items: { id: string; subject: string; state: string }[];
        next: string | null;
      };
      assert.deepEqual(
        body.items.map((c) => [c.subject, c.state]),
        [['domain:kit-login.example', 'open']],
      );
      assert.equal(body.next, null);
      id = body.items[0]!.id;
      const paged = (await (await req('/v1/cases?limit=1', keys.reader)).json()) as { next: string | null };
      assert.equal(paged.next, id);
      const empty = (await (await req(`/v1/cases?after=${id}`, keys.reader)).json()) as { items: unknown[] };
      assert.deepEqual(empty.items, []);
      assert.equal((await req('/v1/cases?state=benign', keys.reader)).status, 200);
      assert.equal((await req('/v1/cases?state=closed', keys.reader)).status, 400);
    });

    it('shows one case; 404 CASE_NOT_FOUND for an unknown id', { skip }, async () => {
      const res = await req(`/v1/cases/${id}`, keys.reader);
      const c = (await res.json()) as {
        members: { key: string }[];
        history: { kind: string }[];
        decision: unknown;
      };
      assert.equal(c.members[0]?.key, 'domain:kit-login.example');
      assert.deepEqual(
        c.history.map((h) => h.kind),
        ['open'],
      );
      assert.equal(c.decision, null);
      const nf = await req('/v1/cases/K-0000000000', keys.reader);
      assert.equal(nf.status, 404);
      assert.equal(((await nf.json()) as { error: { code: string } }).error.code, 'CASE_NOT_FOUND');
    });

    it('claims and decides with the analyst role only; 409 CASE_ILLEGAL_TRANSITION out of order', {
      skip,
    }, async () => {
      assert.equal((await req(`/v1/cases/${id}/claim`, keys.reader, {})).status, 403);
      const early = await req(`/v1/cases/${id}/decision`, keys.analyst, { as: 'malicious', note: 'kit' });
      assert.equal(early.status, 409);
      const err = (await early.json()) as {
        error: { code: string; details: { state: string; allowedFrom: string[] } };
      };
      assert.equal(err.error.code, 'CASE_ILLEGAL_TRANSITION');
      assert.deepEqual([err.error.details.state, err.error.details.allowedFrom], ['open', ['in-review']]);
      const claimed = await req(`/v1/cases/${id}/claim`, keys.analyst, {});
      assert.equal(claimed.status, 200);
      assert.match(((await claimed.json()) as { assignee: string }).assignee, /^key:/);
      assert.equal(
        (await req(`/v1/cases/${id}/decision`, keys.analyst, { as: 'maybe', note: 'x' })).status,
        400,
      );
      assert.equal(
        (await req(`/v1/cases/${id}/decision`, keys.analyst, { as: 'benign', note: '' })).status,
        400,
      );
      const d = await req(`/v1/cases/${id}/decision`, keys.analyst, {
        as: 'malicious',
        note: 'kit seen',
        tlp: 'green',
      });
      assert.equal(d.status, 200);
      const r = (await d.json()) as { case: { state: string; decision: { as: string; tlp: string } } };
      assert.deepEqual(
        [r.case.state, r.case.decision.as, r.case.decision.tlp],
        ['confirmed-malicious', 'malicious', 'green'],
      );
      const again = await req(`/v1/cases/${id}/decision`, keys.admin, { as: 'benign', note: 'no' });
      assert.equal(again.status, 409);
    });

    it('shows the live policy, dry-runs a candidate (analyst), applies one (admin)', { skip }, async () => {
      const live = (await (await req('/v1/policy', keys.reader)).json()) as {
        name: string;
        text: string;
        rules: { id: string }[];
      };
      assert.equal(live.name, 'default');
      assert.ok(live.rules.some((r) => r.id === 'lone-strong'));
      const candidate = live.text.replace(
        'subject.kind == "entity" && risk >= 90.0',
        'subject.kind == "entity" && risk >= 100.0',
      );
      assert.equal((await req('/v1/policy/test', keys.reader, { policy: candidate })).status, 403);
      const dry = await req('/v1/policy/test', keys.analyst, { policy: candidate });
      assert.equal(dry.status, 200);
      const r = (await dry.json()) as {
        versusLive: { lostSubjects: string[] };
        contradictions: { subject: string; decided: string }[];
      };
      assert.deepEqual(r.versusLive.lostSubjects, ['domain:kit-login.example']);
      // The case was decided malicious: a policy that lets it pass contradicts that decision.
      assert.deepEqual(
        r.contradictions.map((c) => [c.subject, c.decided]),
        [['domain:kit-login.example', 'malicious']],
      );
      const bad = await req('/v1/policy/test', keys.analyst, { policy: 'version: 1\nname: x\nrules: []\n' });
      assert.equal(bad.status, 400);
      assert.equal((await req('/v1/policy', keys.analyst, { policy: candidate })).status, 403);
      const applied = await req('/v1/policy', keys.admin, { policy: candidate });
      assert.equal(applied.status, 200);
      assert.equal(
        ((await (await req('/v1/policy', keys.reader)).json()) as { source: string }).source,
        'store',
      );
    });

    it('documents the case routes in the OpenAPI document', { skip }, async () => {
      const doc = (await (await app.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
      };
      assert.equal(doc.paths['/v1/cases']?.get?.['x-required-role'], 'reader');
      assert.equal(doc.paths['/v1/cases/{id}']?.get?.['x-required-role'], 'reader');
      assert.equal(doc.paths['/v1/cases/{id}/claim']?.post?.['x-required-role'], 'analyst');
      assert.equal(doc.paths['/v1/cases/{id}/decision']?.post?.['x-required-role'], 'analyst');
    });
  });
}
