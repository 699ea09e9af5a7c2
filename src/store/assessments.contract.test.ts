import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey, Signal } from '../domain/index.js';

const key = 'domain:rnicrosoft.com' as EntityKey;
const signal = (id: string, detector: string, weight = 40): Signal => ({
  id,
  detector,
  weight,
  detail: id,
  evidence: [{ kind: 'text', value: id }],
});

describeEachStore('assessments contract', (t, skip) => {
  it("replaces a detector's signals, leaving other detectors' alone", { skip }, async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await t.store.assessments.replaceSignals([
      {
        entity: key,
        detectors: ['domain'],
        observedAt: at,
        signals: [signal('domain.homoglyph', 'domain', 80)],
      },
      { entity: key, detectors: ['page'], observedAt: at, signals: [signal('page.gate.turnstile', 'page')] },
    ]);
    await t.store.assessments.replaceSignals([
      {
        entity: key,
        detectors: ['domain'],
        observedAt: at,
        signals: [signal('domain.combosquat', 'domain')],
      },
    ]);
    const sig = await t.store.assessments.signalsOf([key, 'domain:none.example']);
    assert.deepEqual(
      sig
        .get(key)
        ?.map((s) => s.id)
        .sort(),
      ['domain.combosquat', 'page.gate.turnstile'],
      'signals of a detector are replaced, not accumulated',
    );
    assert.equal(sig.has('domain:none.example'), false);
    assert.deepEqual(
      sig.get(key)?.find((s) => s.id === 'page.gate.turnstile'),
      signal('page.gate.turnstile', 'page'),
    );
    // No detectors named: the signals are added (upserted by id), nothing is cleared.
    await t.store.assessments.replaceSignals([
      { entity: key, detectors: [], observedAt: at, signals: [signal('domain.combosquat', 'domain', 60)] },
    ]);
    const again = (await t.store.assessments.signalsOf([key])).get(key) ?? [];
    assert.equal(again.length, 2);
    assert.equal(again.find((s) => s.id === 'domain.combosquat')?.weight, 60);
  });

  it('keeps assessment history only on change', { skip }, async () => {
    const a = {
      entity: key,
      score: 80,
      flagged: true,
      verdict: 'suspicious' as const,
      contributions: [],
      assessedAt: '2026-01-03T00:00:00.000Z',
    };
    await t.store.assessments.write([a]);
    await t.store.assessments.write([{ ...a, assessedAt: '2026-01-04T00:00:00.000Z' }]);
    await t.store.assessments.write([
      { ...a, score: 70, assessedAt: '2026-01-04T12:00:00.000Z' },
      { ...a, score: 90, verdict: 'malicious', assessedAt: '2026-01-05T00:00:00.000Z' },
    ]);
    const hist = await t.store.assessments.history(key);
    assert.deepEqual(
      hist.map((h) => h.score),
      [80, 90],
      'the last assessment of a call wins',
    );
    const latest = await t.store.assessments.get(key);
    assert.equal(latest?.verdict, 'malicious');
    assert.equal(latest?.assessedAt, '2026-01-05T00:00:00.000Z');
    assert.equal(await t.store.assessments.get('domain:none.example'), undefined);
    assert.deepEqual(await t.store.assessments.history('domain:none.example'), []);
  });
});
