import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID as uuidv4 } from 'node:crypto';
import { snapshot } from '../../../test/support/share-snapshot.js';
import { buildStixBundle } from '../stix/stix-bundle.js';
import { TLP_MARKING_IDS } from '../stix/tlp-marking.js';
import { MemoryObjectSource, taxiiRecordOf, tlpOfStixObject } from './memory-object-source.js';
import {
  envelopeJson,
  getManifest,
  getObject,
  getObjects,
  getVersions,
  manifestJson,
  pageHeaders,
  versionsJson,
} from './taxii-pages.js';
import { dateAdded } from './taxii-timestamp.js';

const C = '7d1c5a0e-6f0b-4f4e-9a3c-2a7b9c0d1e2f';
const PAGING = { maxPageSize: 1000, tlp: 'red' as const };
const params = (q: Record<string, string | string[]> = {}) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p;
};
const indicator = (id: string, modified: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: '2026-11-01T00:00:00.000Z',
  modified,
  pattern: "[domain-name:value = 'x.example']",
  pattern_type: 'stix',
  valid_from: '2026-11-01T00:00:00.000Z',
  ...extra,
});
const domain = (v: string) => ({
  type: 'domain-name',
  spec_version: '2.1',
  id: `domain-name--${uuidv4()}`,
  value: v,
});

/** 3,000 objects sharing one date_added between two singletons. */
function tiedSource() {
  const s = new MemoryObjectSource();
  const tie = dateAdded(Date.parse('2026-11-20T10:00:00.000Z'));
  s.add(C, [taxiiRecordOf(domain('before.example'), dateAdded(Date.parse('2026-11-20T09:00:00.000Z')))]);
  s.add(
    C,
    Array.from({ length: 3000 }, (_, i) => taxiiRecordOf(domain(`tie-${i}.example`), tie)),
  );
  s.add(C, [taxiiRecordOf(domain('after.example'), dateAdded(Date.parse('2026-11-20T11:00:00.000Z')))]);
  return { s, tie };
}

async function walk(s: MemoryObjectSource, q: Record<string, string>, onPage?: (n: number) => void) {
  const seen: string[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    const p = await getObjects(s, C, params({ ...q, ...(next ? { next } : {}) }), PAGING);
    seen.push(...p.records.map((r) => r.id));
    next = p.next;
    assert.equal(p.more, next !== undefined);
    onPage?.(++pages);
  } while (next);
  return seen;
}

describe('TAXII 2.1 paging and filters', () => {
  it('pages through thousands of objects sharing one date_added exactly once each, in order', async () => {
    const { s } = tiedSource();
    const all = (await s.query({ collectionId: C, tlp: 'red', versions: 'all', limit: 10_000 })).map(
      (r) => r.id,
    );
    assert.equal(all.length, 3002);
    const seen = await walk(s, { limit: '97' });
    assert.deepEqual(seen, all);
  });

  it('keeps the cursor right when objects are added while a client pages', async () => {
    const { s } = tiedSource();
    const seen = await walk(s, { limit: '500' }, (n) => {
      if (n === 2)
        s.add(C, [taxiiRecordOf(domain('late.example'), dateAdded(Date.parse('2026-11-20T12:00:00.000Z')))]);
    });
    assert.equal(seen.length, 3003);
    assert.equal(new Set(seen).size, 3003);
  });

  it('applies added_after exclusively and reports X-TAXII-Date-Added-First/Last', async () => {
    const { s, tie } = tiedSource();
    const p = await getObjects(s, C, params({ added_after: tie, limit: '10' }), PAGING);
    assert.equal(p.records.length, 1);
    assert.equal((p.records[0]?.object as { value?: string } | undefined)?.value, 'after.example');
    const first = await getObjects(s, C, params({ limit: '2' }), PAGING);
    assert.deepEqual(pageHeaders(first), {
      'X-TAXII-Date-Added-First': '2026-11-20T09:00:00.000000Z',
      'X-TAXII-Date-Added-Last': tie,
    });
    const none = await getObjects(s, C, params({ added_after: '2030-01-01T00:00:00Z' }), PAGING);
    assert.deepEqual(pageHeaders(none), {});
    assert.equal(envelopeJson(none), '{"more":false}');
    // an offset timestamp is read as the instant it names
    const offset = await getObjects(s, C, params({ added_after: '2026-11-20T12:30:00+02:00' }), PAGING);
    assert.equal(offset.records.length, 1);
  });

  it('filters by id, type, version and spec_version', async () => {
    const s = new MemoryObjectSource();
    const id = `indicator--${uuidv4()}`;
    const other = `indicator--${uuidv4()}`;
    const t0 = Date.parse('2026-11-20T00:00:00Z');
    s.add(C, [
      taxiiRecordOf(indicator(id, '2026-11-02T00:00:00.000Z'), dateAdded(t0)),
      taxiiRecordOf(indicator(id, '2026-11-05T00:00:00.000Z'), dateAdded(t0 + 1000)),
      taxiiRecordOf(indicator(id, '2026-11-09T00:00:00.000Z', { revoked: true }), dateAdded(t0 + 2000)),
      taxiiRecordOf(indicator(other, '2026-11-03T00:00:00.000Z'), dateAdded(t0 + 3000)),
      taxiiRecordOf(domain('x.example'), dateAdded(t0 + 4000)),
    ]);
    const versions = async (q: Record<string, string | string[]>) =>
      (await getObjects(s, C, params(q), PAGING)).records.map(
        (r) => `${r.id === id ? 'A' : r.id === other ? 'B' : 'D'}@${r.version.slice(5, 10)}`,
      );
    assert.deepEqual(await versions({}), ['A@11-09', 'B@11-03', 'D@11-20']);
    assert.deepEqual(await versions({ 'match[id]': id, 'match[version]': 'first' }), ['A@11-02']);
    assert.deepEqual(await versions({ 'match[id]': id, 'match[version]': 'all' }), [
      'A@11-02',
      'A@11-05',
      'A@11-09',
    ]);
    assert.deepEqual(await versions({ 'match[id]': id, 'match[version]': 'first,last' }), [
      'A@11-02',
      'A@11-05',
      'A@11-09',
    ]);
    assert.deepEqual(await versions({ 'match[version]': '2026-11-05T00:00:00.000Z' }), ['A@11-05']);
    assert.deepEqual(await versions({ 'match[type]': 'domain-name' }), ['D@11-20']);
    assert.deepEqual(await versions({ 'match[id]': [id, other] }), ['A@11-09', 'B@11-03']);
    assert.deepEqual(await versions({ 'match[spec_version]': '2.0' }), []);
    assert.deepEqual(
      await versions({ 'match[spec_version]': '2.1', 'match[type]': 'indicator,domain-name' }),
      ['A@11-09', 'B@11-03', 'D@11-20'],
    );

    const one = await getObject(s, C, id, params(), PAGING);
    assert.equal(one.records.length, 1);
    const vs = await getVersions(s, C, id, params(), PAGING);
    assert.equal(
      versionsJson(vs),
      '{"more":false,"versions":["2026-11-02T00:00:00.000Z","2026-11-05T00:00:00.000Z","2026-11-09T00:00:00.000Z"]}',
    );
    const vpage = await getVersions(s, C, id, params({ limit: '2' }), PAGING);
    assert.equal(vpage.records.length, 2);
    assert.ok(vpage.next);
    const rest = await getVersions(s, C, id, params({ limit: '2', next: vpage.next }), PAGING);
    assert.deepEqual(
      rest.records.map((r) => r.version),
      ['2026-11-09T00:00:00.000Z'],
    );
    await assert.rejects(getObject(s, C, `indicator--${uuidv4()}`, params(), PAGING), { status: 404 });
    await assert.rejects(getVersions(s, C, id, params({ 'match[version]': 'first' }), PAGING), {
      status: 400,
    });

    const manifest = JSON.parse(
      manifestJson(await getManifest(s, C, params({ 'match[id]': id, 'match[version]': 'all' }), PAGING)),
    );
    assert.deepEqual(Object.keys(manifest.objects[0]).sort(), ['date_added', 'id', 'media_type', 'version']);
    assert.equal(manifest.objects[0].media_type, 'application/stix+json;version=2.1');
    assert.equal(manifest.objects.length, 3);
  });

  it('refuses bad parameters and cursors with 400 and caps limit at the server maximum', async () => {
    const { s } = tiedSource();
    for (const q of [
      { limit: '0' },
      { limit: '-1' },
      { limit: 'ten' },
      { added_after: 'yesterday' },
      { 'match[id]': 'nope' },
      { 'match[type]': 'A' },
      { 'match[version]': 'last,2026-01-01T00:00:00Z' },
      { next: 'garbage!' },
    ])
      await assert.rejects(getObjects(s, C, params(q), PAGING), { status: 400 }, JSON.stringify(q));
    const p = await getObjects(s, C, params({ limit: '10', 'match[type]': 'domain-name' }), PAGING);
    await assert.rejects(getObjects(s, C, params({ next: p.next as string }), PAGING), /different filters/);
    const forged = Buffer.from(JSON.stringify([1, '2026', 'x', 'y', 'zzz'])).toString('base64url');
    await assert.rejects(getObjects(s, C, params({ next: forged }), PAGING), { status: 400 });
    const capped = await getObjects(s, C, params({ limit: '100000' }), { maxPageSize: 250, tlp: 'red' });
    assert.equal(capped.records.length, 250);
    const dflt = await getObjects(s, C, params(), { maxPageSize: 1000, defaultPageSize: 100, tlp: 'red' });
    assert.equal(dflt.records.length, 100);
  });

  it('never shows a reader anything above its TLP, through any endpoint', async () => {
    const { bundle } = buildStixBundle(snapshot(), { tlp: 'red' });
    const s = new MemoryObjectSource();
    s.addObjects(C, bundle.objects as never, Date.parse('2026-11-20T00:00:00Z'));
    // an indicator that became amber in its second version
    const id = `indicator--${uuidv4()}`;
    const green = { object_marking_refs: [TLP_MARKING_IDS.green] };
    const amber = { object_marking_refs: [TLP_MARKING_IDS.amber] };
    s.addObjects(C, [
      indicator(id, '2026-11-02T00:00:00.000Z', green),
      indicator(id, '2026-11-04T00:00:00.000Z', amber),
    ]);
    const unmarked = `indicator--${uuidv4()}`;
    s.addObjects(C, [indicator(unmarked, '2026-11-02T00:00:00.000Z')]);
    const reader = { maxPageSize: 1000, tlp: 'green' as const };

    const objects = await getObjects(s, C, params({ 'match[version]': 'all' }), reader);
    const text = envelopeJson(objects);
    assert.ok(objects.records.length > 20);
    const marks = (JSON.parse(text).objects as { object_marking_refs?: string[] }[]).flatMap(
      (o) => o.object_marking_refs ?? [],
    );
    assert.ok(
      marks.length > 20 && marks.every((m) => m === TLP_MARKING_IDS.green || m === TLP_MARKING_IDS.clear),
    );
    assert.doesNotMatch(text, /bank-secure-login|Bank wave/);
    assert.ok(!text.includes(unmarked), 'unmarked objects are treated as TLP:RED');
    assert.match(text, /"identity_class":"organization"/, 'the producer identity is public');
    const manifest = manifestJson(await getManifest(s, C, params({ 'match[version]': 'all' }), reader));
    assert.equal(JSON.parse(manifest).objects.length, objects.records.length);
    const amberIndicator = bundle.objects.find(
      (o) => o.type === 'indicator' && JSON.stringify(o).includes('bank-secure-login'),
    );
    await assert.rejects(getObject(s, C, amberIndicator?.id as string, params(), reader), { status: 404 });
    await assert.rejects(getVersions(s, C, amberIndicator?.id as string, params(), reader), { status: 404 });
    assert.deepEqual(
      (await getVersions(s, C, id, params(), reader)).records.map((r) => r.version),
      ['2026-11-02T00:00:00.000Z'],
    );
    assert.deepEqual(
      (await getObject(s, C, id, params(), reader)).records.map((r) => r.version),
      ['2026-11-02T00:00:00.000Z'],
    );
    const amberReader = { ...reader, tlp: 'amber' as const };
    assert.deepEqual(
      (await getObject(s, C, id, params(), amberReader)).records.map((r) => r.version),
      ['2026-11-04T00:00:00.000Z'],
    );
    assert.equal(
      tlpOfStixObject({
        type: 'indicator',
        object_marking_refs: [TLP_MARKING_IDS.green, TLP_MARKING_IDS.red],
      }),
      'red',
    );
  });

  it('returns nothing for an unknown collection', async () => {
    const p = await getObjects(new MemoryObjectSource(), C, params(), PAGING);
    assert.equal(envelopeJson(p), '{"more":false}');
  });
});
