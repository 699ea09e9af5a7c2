import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LINK_PIVOTS, PIVOT_CLASSES, type PivotSettings } from '../domain/index.js';
import {
  createPivotModel,
  DEFAULT_PIVOT_STRENGTHS,
  DEFAULT_PIVOTS,
  resolvePivotStrengths,
} from './pivots.js';

describe('pivot model', () => {
  it('has a strength from 0 to 1 for every pivot and every class of a classed pivot', () => {
    for (const p of LINK_PIVOTS) {
      const v = DEFAULT_PIVOT_STRENGTHS[p];
      const values = typeof v === 'number' ? [v] : Object.values(v);
      if (p in PIVOT_CLASSES)
        assert.deepEqual(Object.keys(v).sort(), [...PIVOT_CLASSES[p as keyof typeof PIVOT_CLASSES]].sort());
      for (const x of values) assert.ok(x >= 0 && x <= 1, `${p}: ${x}`);
    }
  });

  it('gives the strengths extraction and the tenant rules used before it existed', () => {
    assert.equal(DEFAULT_PIVOTS.strength('uses-ns'), 0.3);
    assert.equal(DEFAULT_PIVOTS.strength('resolves-to'), 0.5);
    assert.equal(DEFAULT_PIVOTS.strength('same-kit'), 0.9);
    assert.equal(DEFAULT_PIVOTS.strength('exfil-to'), 0.9);
    assert.equal(DEFAULT_PIVOTS.strength('same-ip', 'residential'), 0.4);
    assert.equal(DEFAULT_PIVOTS.strength('same-ip', 'hosting'), 0.7);
    assert.equal(DEFAULT_PIVOTS.strength('same-ip', 'ipv6-prefix'), 0.5);
    assert.equal(DEFAULT_PIVOTS.strength('same-ip', 'mobile'), 0, 'a carrier NAT pool links nothing');
    assert.equal(DEFAULT_PIVOTS.strength('same-email-domain', 'free'), 0);
    assert.equal(DEFAULT_PIVOTS.strength('same-email-domain', 'corporate'), 0.3);
    // A certificate for n names: 1 / log2(n + 1), at least 0.1.
    for (let n = 0; n <= 2000; n++) {
      const old = n <= 1 ? 1 : Math.max(0.1, 1 / Math.log2(n + 1));
      assert.equal(DEFAULT_PIVOTS.sharedStrength('cert-name', n), old, `${n} names`);
    }
  });

  it('merges configured strengths over the defaults', () => {
    const m = createPivotModel({
      strengths: { 'same-kit': 0.6, 'same-ip': { hosting: 0.8 }, 'cert-name': 0.5 },
      sharedFloor: 0.2,
    });
    assert.equal(m.strength('same-kit'), 0.6);
    assert.equal(m.strength('same-ip', 'hosting'), 0.8);
    assert.equal(m.strength('same-ip', 'residential'), 0.4, 'other classes keep their default');
    assert.equal(m.sharedStrength('cert-name', 1), 0.5);
    assert.equal(m.sharedStrength('cert-name', 3), 0.25);
    assert.equal(m.sharedStrength('cert-name', 500), 0.2, 'floor');
    const off = createPivotModel({ strengths: { 'cert-name': 0 } });
    assert.equal(off.sharedStrength('cert-name', 500), 0, 'the floor never lifts a pivot that links nothing');
    assert.equal(resolvePivotStrengths()['uses-ns'], 0.3);
  });

  it('refuses unknown pivots and classes and strengths out of range, as CONFIG_INVALID', () => {
    const bad: unknown[] = [
      { strengths: { 'same-nothing': 0.5 } },
      { strengths: { 'same-ip': { cgnat: 0 } } },
      { strengths: { 'same-ip': 0.5 } },
      { strengths: { 'same-kit': 1.5 } },
      { strengths: { 'same-kit': '0.5' } },
      { sharedFloor: -1 },
    ];
    for (const settings of bad)
      assert.throws(
        () => createPivotModel(settings as PivotSettings),
        { code: 'CONFIG_INVALID' },
        JSON.stringify(settings),
      );
  });
});
