import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../../test/support/share-snapshot.js';
import { stixErrors } from '../../../test/support/stix-schemas.js';
import { indicatorPattern, observableValue } from './pattern.js';
import { uuidv5 } from '../uuid-v5.js';
import { canonicalJson, scoId } from './stix-id.js';
import { buildStixBundle } from './stix-bundle.js';
import type { StixIndicator, StixObject } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

/** Reads a comparison `[type:value = '…']` back, following the STIX patterning grammar for strings. */
function parsePattern(pattern: string): { type: string; value: string } {
  const m = /^\[([a-z0-9-]+):value = '((?:\\\\|\\'|[^'\\])*)'\]$/.exec(pattern);
  assert.ok(m, `not a single comparison: ${pattern}`);
  return { type: m[1] as string, value: (m[2] as string).replace(/\\(['\\])/g, '$1') };
}

const byType = (objects: readonly StixObject[], type: string) => objects.filter((o) => o.type === type);

describe('STIX 2.1 export', () => {
  it('validates every object and the bundle against the official OASIS schemas', () => {
    const { bundle, rejected } = buildStixBundle(snapshot(), { tlp: 'red' });
    assert.deepEqual(rejected, []);
    const errors = bundle.objects.flatMap((o) => stixErrors(o));
    assert.deepEqual(errors, []);
    assert.deepEqual(stixErrors(bundle), []);
    const types = new Set<string>(bundle.objects.map((o) => o.type));
    for (const t of [
      'identity',
      'marking-definition',
      'domain-name',
      'url',
      'ipv4-addr',
      'ipv6-addr',
      'indicator',
      'infrastructure',
      'campaign',
      'relationship',
      'sighting',
    ])
      assert.ok(types.has(t), t);
    const rels = new Set(
      byType(bundle.objects, 'relationship').map(
        (r) => (r as { relationship_type: string }).relationship_type,
      ),
    );
    assert.deepEqual([...rels].sort(), ['consists-of', 'indicates', 'related-to', 'resolves-to', 'uses']);
  });

  it('gives SCOs the specification’s deterministic ids', () => {
    assert.equal(
      scoId('domain-name', { value: 'example.com' }),
      'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
    );
    // RFC 9562 appendix A.4 test vector (DNS namespace, www.example.com)
    assert.equal(
      uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    assert.equal(
      canonicalJson({ b: 1, a: ['x', { d: 'é', c: null }] }),
      '{"a":["x",{"c":null,"d":"é"}],"b":1}',
    );
  });

  it('round-trips patterns with quotes and backslashes', () => {
    const values = ["https://a.example/o'auth\\cb?x='1'", "\\\\'", "'", '\\', "it's\\\\'s"];
    for (const v of values)
      assert.deepEqual(parsePattern(indicatorPattern('domain', v)), { type: 'domain-name', value: v });
    assert.equal(
      observableValue('url', "https://a.example/a\\b c%zz/é?q='x'"),
      "https://a.example/a%5Cb%20c%25zz/%C3%A9?q='x'",
    );
    const { bundle } = buildStixBundle(snapshot(), { tlp: 'red' });
    for (const ind of byType(bundle.objects, 'indicator') as StixIndicator[]) {
      const { type, value } = parsePattern(ind.pattern);
      const sco = bundle.objects.find((o) => o.type === type && (o as { value: string }).value === value);
      assert.ok(sco, `pattern ${ind.pattern} names an exported observable`);
    }
  });

  it('marks with the canonical TLP 2.0 ids, never TLP 1.0 ones', () => {
    const { bundle } = buildStixBundle(snapshot(), { tlp: 'red' });
    const markings = byType(bundle.objects, 'marking-definition');
    assert.deepEqual(
      markings.map((m) => [m.id, (m as { name: string }).name]),
      [
        ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR'],
        ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN'],
        ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER'],
      ],
    );
    const tlp1 = /613f2e26|34098fce|f88d31f6|5e57c739/;
    assert.doesNotMatch(JSON.stringify(bundle), tlp1);
  });

  it('keeps ids stable across exports and versions, and revokes as a new version', () => {
    const a = buildStixBundle(snapshot(), { tlp: 'red' }).bundle;
    const b = buildStixBundle(snapshot(), { tlp: 'red' }).bundle;
    assert.deepEqual(a, b);
    const snap = snapshot();
    const history = snap.indicators.filter((i) => i.key === 'domain:reversed-decision.com');
    const v1 = buildStixBundle({ ...snap, indicators: [history[0] as never] }, { tlp: 'red' }).bundle;
    const v2 = buildStixBundle({ ...snap, indicators: history }, { tlp: 'red' }).bundle;
    const i1 = byType(v1.objects, 'indicator')[0] as StixIndicator;
    const i2 = byType(v2.objects, 'indicator')[0] as StixIndicator;
    assert.equal(i1.id, i2.id);
    assert.equal(i1.created, i2.created);
    assert.ok(i2.modified > i1.modified);
    assert.equal(i1.revoked, undefined);
    assert.equal(i2.revoked, true);
    // relationships of a revoked indicator go with it
    const rels = byType(v2.objects, 'relationship').filter((r) => JSON.stringify(r).includes(i2.id));
    assert.ok(rels.length > 0 && rels.every((r) => (r as { revoked?: boolean }).revoked === true));
  });

  it('scopes by TLP: nothing above the ceiling, and relationships only between visible ends', () => {
    const { bundle } = buildStixBundle(snapshot(), { tlp: 'green' });
    const text = JSON.stringify(bundle);
    assert.doesNotMatch(text, /bank-secure-login|Bank wave/);
    assert.ok(!text.includes(TLP_MARKING_IDS.amber));
    const ids = new Set<string>(bundle.objects.map((o) => o.id));
    for (const r of byType(bundle.objects, 'relationship') as { source_ref: string; target_ref: string }[])
      assert.ok(ids.has(r.source_ref) && ids.has(r.target_ref));
    const clear = buildStixBundle(snapshot(), { tlp: 'clear' }).bundle;
    assert.deepEqual(
      byType(clear.objects, 'indicator').map((i) => (i as StixIndicator).pattern),
      ["[domain-name:value = 'unattributed-lure.net']"],
    );
  });

  it('leaves out personal data unless asked for at TLP:RED', () => {
    const plain = JSON.stringify(buildStixBundle(snapshot(), { tlp: 'red' }).bundle);
    assert.doesNotMatch(plain, /raccoon-mail|billing\.raccoon|fp_7Hq2LmX9|email-addr/);
    assert.throws(() => buildStixBundle(snapshot(), { tlp: 'amber', includePersonalData: true }), /TLP:RED/);
    const red = buildStixBundle(snapshot(), { tlp: 'red', includePersonalData: true }).bundle;
    const text = JSON.stringify(red);
    assert.match(text, /ops@raccoon-mail\.example/);
    assert.match(text, /fp_7Hq2LmX9/);
    assert.ok(byType(red.objects, 'email-addr').length === 2);
    assert.deepEqual(
      red.objects.flatMap((o) => stixErrors(o)),
      [],
    );
  });

  it('exports only versions since a time, with the observables they stand on', () => {
    const { bundle } = buildStixBundle(snapshot(), { tlp: 'red', since: '2026-11-10T00:00:00.000Z' });
    const sdo = bundle.objects.filter(
      (o) => !['identity', 'marking-definition', 'domain-name', 'relationship'].includes(o.type),
    );
    assert.deepEqual(sdo.map((o) => o.type).sort(), ['campaign', 'indicator', 'infrastructure']);
    assert.ok(
      bundle.objects.some(
        (o) => o.type === 'domain-name' && (o as { value: string }).value === 'reversed-decision.com',
      ),
    );
  });

  it('reports a record it cannot convert and exports the rest', () => {
    const snap = snapshot();
    const bad = {
      ...snap.indicators[0],
      key: 'domain:bad.example',
      value: 'bad.example',
      validUntil: '2026-01-01T00:00:00.000Z',
    };
    const { bundle, rejected } = buildStixBundle(
      { ...snap, indicators: [...snap.indicators, bad as never] },
      { tlp: 'red' },
    );
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]?.ref, 'domain:bad.example');
    assert.match(rejected[0]?.reason ?? '', /valid_until/);
    assert.ok(byType(bundle.objects, 'indicator').length > 5);
    assert.doesNotMatch(JSON.stringify(bundle), /bad\.example/);
  });
});
