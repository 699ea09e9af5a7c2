import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { publishCase, publisher, seedEntities } from '../../test/support/published-intel.js';
import { stixErrors } from '../../test/support/stix-schemas.js';
import { collectionId, CONFIRMED_ALIAS } from './collections.js';

const CONFIRMED = collectionId(CONFIRMED_ALIAS);

describeEachStore('publishing confirmed intel', (t, skip) => {
  const keys = [
    'domain:login-micros0ft.com',
    "url:https://login-micros0ft.com/o365/?a='b\\c",
    'ip:203.0.113.7',
  ] as const;

  it('publishes versioned indicators, a campaign and valid STIX objects into the confirmed collection', {
    skip,
  }, async () => {
    await seedEntities(t.store, [...keys, 'account:cloud-a/1']);
    await t.store.entities.upsertLinks([
      {
        from: keys[0],
        to: 'ip:203.0.113.7',
        pivot: 'resolves-to',
        strength: 0.8,
        seenAt: '2026-11-01T08:00:00.000Z',
        provenance: 'dns',
      },
    ]);
    await publishCase(t.store, publisher(), {
      caseId: 'K-1',
      campaignId: 'C-raccoon',
      keys: [...keys, 'account:cloud-a/1'],
      at: '2026-11-20T12:00:00.000Z',
    });
    const records = await t.store.intel.latest();
    assert.deepEqual(
      records.map((r) => [r.kind, r.key, r.version, r.tlp, r.revoked]),
      [
        ['campaign', 'C-raccoon', 1, 'green', false],
        ['indicator', keys[0], 1, 'green', false],
        ['indicator', keys[1], 1, 'green', false],
        ['indicator', keys[2], 1, 'green', false],
      ].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
    );
    const domain = records.find((r) => r.key === keys[0]);
    assert.equal(domain?.validUntil, '2026-12-20T12:00:00.000Z');
    assert.deepEqual(domain?.body.resolvesTo, ['203.0.113.7']);
    const objects = await t.store.intel.queryObjects({
      collectionId: CONFIRMED,
      tlp: 'red',
      versions: 'all',
      limit: 1000,
    });
    const types = new Set(objects.map((o) => o.type));
    for (const ty of [
      'identity',
      'marking-definition',
      'indicator',
      'domain-name',
      'url',
      'ipv4-addr',
      'campaign',
      'infrastructure',
      'relationship',
    ])
      assert.ok(types.has(ty), `missing ${ty}`);
    for (const o of objects) assert.deepEqual(stixErrors(JSON.parse(o.body)), [], o.body);
    const rels = objects
      .filter((o) => o.type === 'relationship')
      .map((o) => JSON.parse(o.body).relationship_type);
    for (const r of ['indicates', 'uses', 'consists-of', 'resolves-to', 'related-to'])
      assert.ok(rels.includes(r), r);
    const audit = await t.store.audit.list({ subject: 'case:K-1' });
    assert.deepEqual(
      audit.map((a) => a.action),
      ['intel.publish'],
    );
  });

  it('revokes with new versions, never edits, and republishes with a later one', { skip }, async () => {
    const before = await t.store.intel.queryObjects({
      collectionId: CONFIRMED,
      tlp: 'red',
      versions: 'all',
      limit: 1000,
    });
    await t.store.transaction((tx) =>
      publisher().revoke(tx, {
        caseId: 'K-1',
        at: '2026-11-21T12:00:00.000Z',
        actor: 'cli:lead',
        reason: 'reversed',
      }),
    );
    const latest = await t.store.intel.latest();
    assert.ok(latest.every((r) => r.revoked && r.version === 2));
    const after = await t.store.intel.queryObjects({
      collectionId: CONFIRMED,
      tlp: 'red',
      versions: 'all',
      limit: 1000,
    });
    // Old versions remain; new ones are added.
    for (const o of before) assert.ok(after.some((a) => a.stixId === o.stixId && a.version === o.version));
    const lastIndicators = await t.store.intel.queryObjects({
      collectionId: CONFIRMED,
      tlp: 'red',
      versions: 'last',
      types: ['indicator', 'campaign', 'relationship'],
      limit: 1000,
    });
    assert.ok(lastIndicators.length > 0);
    for (const o of lastIndicators) assert.equal(JSON.parse(o.body).revoked, true, o.body);
    // Revoking twice does nothing more.
    await t.store.transaction((tx) =>
      publisher().revoke(tx, {
        caseId: 'K-1',
        at: '2026-11-21T13:00:00.000Z',
        actor: 'cli:lead',
        reason: 'again',
      }),
    );
    assert.ok((await t.store.intel.latest()).every((r) => r.version === 2));
    // Confirmed again by another case: version 3, not revoked; reversing the first case again leaves it.
    await publishCase(t.store, publisher(), {
      caseId: 'K-2',
      keys: [keys[0]],
      tlp: 'amber',
      at: '2026-11-21T12:00:00.000Z',
    });
    const [again] = await t.store.intel.latest({ keys: [keys[0]] });
    assert.equal(again?.version, 3);
    assert.equal(again?.revoked, false);
    assert.equal(again?.modified, '2026-11-21T12:00:00.001Z');
    assert.equal(again?.body.created, '2026-11-20T12:00:00.000Z');
    const green = await t.store.intel.queryObjects({
      collectionId: CONFIRMED,
      tlp: 'green',
      versions: 'last',
      types: ['indicator'],
      limit: 1000,
    });
    // A green reader's latest of the domain indicator is still the revoked green version.
    const d = green
      .map((o) => JSON.parse(o.body))
      .find((o) => String(o.pattern).includes('login-micros0ft.com') && !String(o.pattern).includes('url'));
    assert.equal(d?.revoked, true);
  });
});
