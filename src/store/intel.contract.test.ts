import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { IntelObjectInput, IntelRecord } from './store.js';

const C1 = '6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const C2 = '7a1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const C3 = '8a1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

function record(key: string, version: number, over: Partial<IntelRecord> = {}): IntelRecord {
  return {
    kind: 'indicator',
    key,
    version,
    created: '2026-01-01T00:00:00.000Z',
    modified: `2026-01-0${version}T00:00:00.000Z`,
    tlp: 'green',
    revoked: false,
    validUntil: '2026-04-01T00:00:00.000Z',
    caseId: 'K-1',
    publishedAt: `2026-01-0${version}T00:00:00.000Z`,
    actor: 'cli:test',
    body: { key, version },
    ...over,
  };
}

function obj(id: string, version: string, tlp: IntelObjectInput['tlp'] = 'green'): IntelObjectInput {
  return {
    stixId: id,
    type: id.slice(0, id.indexOf('--')),
    version,
    specVersion: '2.1',
    tlp,
    mediaType: 'application/stix+json;version=2.1',
    body: JSON.stringify({ id, modified: version, tlp }),
  };
}

const ID = (n: number) => `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (d: number) => `2026-01-0${d}T00:00:00.000000Z`;

describeEachStore('intel contract', (t, skip) => {
  it('keeps record versions append-only and answers the latest of each', { skip }, async () => {
    await t.store.intel.appendRecords([record('domain:a.example', 1), record('domain:b.example', 1)]);
    await t.store.intel.appendRecords([record('domain:a.example', 2, { revoked: true, caseId: 'K-2' })]);
    await assert.rejects(t.store.intel.appendRecords([record('domain:a.example', 2)]), /already published/);
    const latest = await t.store.intel.latest({ kind: 'indicator' });
    assert.deepEqual(
      latest.map((r) => [r.key, r.version, r.revoked]),
      [
        ['domain:a.example', 2, true],
        ['domain:b.example', 1, false],
      ],
    );
    assert.deepEqual(latest[1]?.body, { key: 'domain:b.example', version: 1 });
    assert.equal((await t.store.intel.latest({ keys: ['domain:b.example'] })).length, 1);
    assert.deepEqual(
      (await t.store.intel.latest({ afterKey: 'domain:a.example', limit: 5 })).map((r) => r.key),
      ['domain:b.example'],
    );
    assert.deepEqual(
      (await t.store.intel.history('indicator', 'domain:a.example')).map((r) => r.version),
      [1, 2],
    );
    assert.deepEqual(
      (await t.store.intel.keysOfCase('K-1')).map((r) => r.key),
      ['domain:a.example', 'domain:b.example'],
    );
    // The tables refuse edits (triggers), whoever bypasses the aggregate.
    const db = (t.store as unknown as { db: import('kysely').Kysely<import('./schema.js').Database> }).db;
    await assert.rejects(db.updateTable('intel_records').set({ revoked: 0 }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('intel_records').execute(), /append-only/);
  });

  it('adds objects with strictly increasing date_added and pages by keyset', { skip }, async () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    const r0 = await t.store.intel.revision();
    const first = await t.store.intel.addObjects(C1, [obj(ID(2), V(1)), obj(ID(1), V(1))], now);
    assert.equal(first.length, 2);
    // The clock stepping back does not move date_added back.
    const second = await t.store.intel.addObjects(C1, [obj(ID(1), V(2), 'amber')], new Date(0));
    assert.ok((second[0]?.dateAdded ?? '') > (first[1]?.dateAdded ?? 'z'));
    // The same (id, version) again is skipped.
    assert.equal((await t.store.intel.addObjects(C1, [obj(ID(1), V(2))], now)).length, 0);
    // SCOs (no version) are added only when they differ from their latest version.
    const sco = 'domain-name--00000000-0000-5000-8000-000000000001';
    const s1 = { ...obj(sco, ''), body: '{"value":"a.example"}' };
    assert.equal((await t.store.intel.addObjects(C1, [s1], now)).length, 1);
    assert.equal((await t.store.intel.addObjects(C1, [s1], now)).length, 0);
    assert.equal(
      (await t.store.intel.addObjects(C1, [{ ...s1, body: '{"value":"a.example","x":1}' }], now)).length,
      1,
    );
    await t.store.intel.addObjects(C2, [obj(ID(9), V(1))], now);
    assert.equal(await t.store.intel.countObjects(C1), 5);
    assert.ok((await t.store.intel.revision()) > r0);

    const all = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: 'all',
      limit: 100,
    });
    assert.deepEqual(
      all.map((o) => [o.stixId, o.version.slice(0, 10)]),
      [
        [ID(2), '2026-01-01'],
        [ID(1), '2026-01-01'],
        [ID(1), '2026-01-02'],
        [sco, all[3]?.dateAdded.slice(0, 10)],
        [sco, all[4]?.dateAdded.slice(0, 10)],
      ],
    );
    // Keyset: after the second record.
    const a = all[1];
    assert.ok(a);
    const rest = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: 'all',
      limit: 100,
      after: { dateAdded: a.dateAdded, id: a.stixId, version: a.version },
    });
    assert.equal(rest.length, 3);
    // last/first among what the reader may see: a green reader's latest of ID(1) is version 1.
    const green = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'green',
      versions: 'last',
      limit: 100,
      ids: [ID(1)],
    });
    assert.deepEqual(
      green.map((o) => o.version.slice(0, 10)),
      ['2026-01-01'],
    );
    const red = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: 'last',
      limit: 100,
      ids: [ID(1)],
    });
    assert.deepEqual(
      red.map((o) => [o.version.slice(0, 10), o.tlp]),
      [['2026-01-02', 'amber']],
    );
    const firsts = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: 'first',
      limit: 100,
      types: ['indicator'],
    });
    assert.equal(firsts.length, 2);
    const picked = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: { versions: [V(2)] },
      limit: 100,
    });
    assert.deepEqual(
      picked.map((o) => o.stixId),
      [ID(1)],
    );
    const later = await t.store.intel.queryObjects({
      collectionId: C1,
      tlp: 'red',
      versions: 'all',
      limit: 100,
      addedAfter: a.dateAdded,
    });
    assert.equal(later.length, 3);
    assert.equal(
      (await t.store.intel.queryObjects({ collectionId: C2, tlp: 'clear', versions: 'all', limit: 10 }))
        .length,
      0,
    );
  });

  it('answers last among the admitted versions whatever order they were added in', { skip }, async () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    // Three versions of ID(5) in one call (v3 amber), then an older one (v1) posted later; ID(6) once.
    await t.store.intel.addObjects(C3, [obj(ID(5), V(2)), obj(ID(5), V(3), 'amber'), obj(ID(6), V(1))], now);
    await t.store.intel.addObjects(C3, [{ ...obj(ID(5), V(1)), specVersion: '2.0' }], now);
    const last = async (tlp: IntelObjectInput['tlp'], specVersions?: string[]) =>
      (
        await t.store.intel.queryObjects({
          collectionId: C3,
          tlp,
          versions: 'last',
          limit: 100,
          ...(specVersions ? { specVersions } : {}),
        })
      ).map((o) => `${o.stixId.slice(-1)}@${o.version.slice(9, 10)}`);
    assert.deepEqual(await last('red'), ['5@3', '6@1']);
    assert.deepEqual(await last('green'), ['5@2', '6@1']);
    assert.deepEqual(await last('red', ['2.0']), ['5@1']);
    // Paging with a small limit walks the same answer.
    const page = await t.store.intel.queryObjects({
      collectionId: C3,
      tlp: 'green',
      versions: 'last',
      limit: 1,
    });
    const a = page[0];
    assert.ok(a);
    const rest = await t.store.intel.queryObjects({
      collectionId: C3,
      tlp: 'green',
      versions: 'last',
      limit: 10,
      after: { dateAdded: a.dateAdded, id: a.stixId, version: a.version },
    });
    assert.deepEqual(
      [a, ...rest].map((o) => o.stixId.slice(-1)),
      ['5', '6'],
    );
  });

  it('keeps collections, grants and TAXII status resources', { skip }, async () => {
    const c = await t.store.intel.ensureCollection({
      id: C1,
      alias: 'confirmed',
      title: 'Confirmed',
      description: 'd',
      canWrite: false,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    assert.equal(c.alias, 'confirmed');
    const again = await t.store.intel.ensureCollection({ ...c, title: 'other' });
    assert.equal(again.title, 'Confirmed');
    assert.equal((await t.store.intel.collection('confirmed'))?.id, C1);
    assert.equal((await t.store.intel.collection(C1))?.alias, 'confirmed');
    assert.equal(await t.store.intel.collection('nope'), undefined);
    await t.store.intel.grant({
      collectionId: C1,
      partner: 'acme',
      tlp: 'green',
      grantedAt: 'x',
      grantedBy: 'cli',
    });
    await t.store.intel.grant({
      collectionId: C1,
      partner: 'acme',
      tlp: 'amber',
      grantedAt: 'y',
      grantedBy: 'cli',
    });
    assert.deepEqual(
      (await t.store.intel.grants({ partner: 'acme' })).map((g) => g.tlp),
      ['amber'],
    );
    assert.equal(await t.store.intel.ungrant(C1, 'acme'), true);
    assert.equal(await t.store.intel.ungrant(C1, 'acme'), false);
    assert.equal((await t.store.intel.grants()).length, 0);
    await t.store.intel.saveStatus({ id: 's1', keyId: 'k1', createdAt: 'z', body: '{"a":1}' });
    assert.equal((await t.store.intel.status('s1'))?.body, '{"a":1}');
    assert.equal(await t.store.intel.status('s2'), undefined);
  });

  it('stores the partner of an API key', { skip }, async () => {
    await t.store.keys.create({
      id: 'kp',
      label: 'acme',
      role: 'reader',
      hash: 'hp',
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
      partner: 'acme',
    });
    assert.equal((await t.store.keys.byHash('hp'))?.partner, 'acme');
  });
});
