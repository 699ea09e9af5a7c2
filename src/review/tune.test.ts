import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrecursorError } from '../domain/index.js';
import {
  coefficientToWeight,
  fitLogistic,
  type LabelledCase,
  parseWeightsFile,
  tune,
  WeightsFileSchema,
} from './tune.js';

// Deterministic pseudo-random numbers, so the synthetic decisions are the same every run.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A noisy-OR scorer like the detect stage's (positive weights combine, negative subtract). */
const noisyOr = (signals: readonly string[], weights: Readonly<Record<string, number>>) => {
  let keep = 1;
  let minus = 0;
  for (const id of new Set(signals)) {
    const w = weights[id] ?? 0;
    if (w > 0) keep *= 1 - w / 100;
    else minus += -w;
  }
  return Math.max(0, Math.min(100, 100 * (1 - keep) - minus));
};

/** Decisions drawn from a known model: log-odds −1 + Σ β over the signals present. */
const TRUE_BETA: Record<string, number> = {
  'page.gate.turnstile': 2.5,
  'tenant.payment.crypto': 1.5,
  'tenant.cluster.burst': -1.5, // honest organisations onboarding staff look like a burst
  'domain.lure-vocabulary': 0,
};
function decisions(n: number, seed: number): LabelledCase[] {
  const r = rng(seed);
  const ids = Object.keys(TRUE_BETA);
  return Array.from({ length: n }, (_, i) => {
    const signals = ids.filter(() => r() < 0.4);
    if (i % 50 === 0) signals.push('tenant.rare-signal');
    const z = -1 + signals.reduce((a, id) => a + (TRUE_BETA[id] ?? 0), 0);
    const label = r() < sigmoid(z) ? 1 : 0;
    return {
      id: `K-${i}`,
      signals,
      label: label as 0 | 1,
      decidedAt: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(),
      score: noisyOr(signals, CURRENT),
    };
  });
}
const CURRENT = {
  'page.gate.turnstile': 60,
  'tenant.payment.crypto': 40,
  'tenant.cluster.burst': 45,
  'domain.lure-vocabulary': 30,
  'tenant.rare-signal': 20,
};

describe('tune: the logistic fit', () => {
  it('reaches the optimum: the penalised gradient is zero', () => {
    const cases = decisions(2000, 7);
    const ids = Object.keys(TRUE_BETA);
    const rows = cases.map((c) => ({
      features: c.signals.flatMap((s) => (ids.includes(s) ? [ids.indexOf(s)] : [])),
      label: c.label,
    }));
    const { w, converged, iterations } = fitLogistic(rows, ids.length, 1);
    assert.ok(converged && iterations < 20, `converged in ${iterations}`);
    const g = new Array(ids.length + 1).fill(0);
    for (const r of rows) {
      let z = w[0]!;
      for (const j of r.features) z += w[j + 1]!;
      const e = r.label - sigmoid(z);
      g[0] += e;
      for (const j of r.features) g[j + 1] += e;
    }
    for (let j = 1; j <= ids.length; j++) g[j] -= w[j]!;
    for (const v of g) assert.ok(Math.abs(v) < 1e-6, `gradient ${v}`);
  });

  it('recovers the coefficients of the model that made the data', () => {
    const cases = decisions(6000, 11);
    const ids = Object.keys(TRUE_BETA);
    const rows = cases.map((c) => ({
      features: c.signals.flatMap((s) => (ids.includes(s) ? [ids.indexOf(s)] : [])),
      label: c.label,
    }));
    const { w } = fitLogistic(rows, ids.length, 0.01);
    assert.ok(Math.abs(w[0]! + 1) < 0.2, `intercept ${w[0]}`);
    for (const [j, id] of ids.entries())
      assert.ok(Math.abs(w[j + 1]! - TRUE_BETA[id]!) < 0.25, `${id}: ${w[j + 1]}`);
  });

  it('keeps weights finite when the labels are perfectly separable', () => {
    const rows = [
      ...Array.from({ length: 20 }, () => ({ features: [0], label: 1 as const })),
      ...Array.from({ length: 20 }, () => ({ features: [] as number[], label: 0 as const })),
    ];
    const { w, converged } = fitLogistic(rows, 1, 1);
    assert.ok(converged);
    assert.ok(Number.isFinite(w[1]!) && w[1]! > 2 && w[1]! < 20, `coefficient ${w[1]}`);
  });

  it('turns a coefficient into a detect-stage weight', () => {
    // A signal that alone reaches the decision boundary (2 log-odds above the intercept) weighs 50.
    assert.equal(coefficientToWeight(0, 2), 0);
    assert.equal(coefficientToWeight(2, 2), 50);
    assert.equal(coefficientToWeight(4, 2), 75, 'two such signals: 50 and 50 make 75, log-odds 4');
    assert.equal(coefficientToWeight(-2, 2), -50);
    assert.equal(coefficientToWeight(100, 2), 99.9);
  });
});

describe('tune: from decisions to a weights file', () => {
  const cases = decisions(3000, 3);
  const result = tune(cases, {
    current: { weights: CURRENT, threshold: 50 },
    scorer: noisyOr,
    now: '2026-12-03T10:00:00.000Z',
    revision: 4,
  });

  it('learns readable signs: the gate raises, the honest burst lowers, vocabulary does nothing much', () => {
    const c = result.fit.coefficients;
    assert.ok(c['page.gate.turnstile']! > 1.5);
    assert.ok(c['tenant.cluster.burst']! < -0.8);
    assert.ok(Math.abs(c['domain.lure-vocabulary']!) < 0.4);
    assert.ok(result.file.signals['tenant.cluster.burst']!.weight < 0);
  });

  it('keeps signals it saw too rarely at their current weight', () => {
    const r = tune(cases, {
      current: { weights: CURRENT, threshold: 50 },
      scorer: noisyOr,
      now: '2026-12-03T10:00:00.000Z',
      minSupport: 100,
    });
    assert.deepEqual(r.untouched, ['tenant.rare-signal']);
    assert.equal(r.file.signals['tenant.rare-signal'], undefined);
  });

  it('evaluates on the most recent quarter, held out, and beats the current weights there', () => {
    assert.equal(result.heldOut.after.cases, 750);
    assert.equal(result.file.evaluation.trainCases, 2250);
    const f1 = (m: { precision: number; recall: number }) =>
      (2 * m.precision * m.recall) / (m.precision + m.recall);
    assert.ok(
      result.heldOut.after.precision > result.heldOut.before.precision,
      JSON.stringify(result.heldOut),
    );
    assert.ok(f1(result.heldOut.after) > f1(result.heldOut.before));
    assert.ok(result.heldOut.brier < 0.2);
  });

  it('gives calibrated probabilities (predicted close to observed per bin)', () => {
    for (const b of result.heldOut.calibration.filter((x) => x.cases >= 50))
      assert.ok(Math.abs(b.predicted - b.observed) < 0.1, JSON.stringify(b));
  });

  it('writes a valid, versioned weights file and diffs it against the current weights', () => {
    assert.equal(WeightsFileSchema.safeParse(result.file).success, true);
    assert.equal(result.file.revision, 5);
    const parsed = parseWeightsFile(JSON.stringify(result.file), 'w.json');
    assert.deepEqual(parsed, result.file);
    const burst = result.changes.find((c) => c.id === 'tenant.cluster.burst')!;
    assert.equal(burst.before, 45);
    assert.ok(burst.delta < -45);
    assert.deepEqual(result.threshold.before, 50);
  });

  it('lists the decided cases the new weights gain and lose', () => {
    const { gained, lost } = result;
    const flaggedBefore = new Set(cases.filter((c) => c.score >= 50).map((c) => c.id));
    for (const id of [...gained.malicious, ...gained.benign]) assert.ok(!flaggedBefore.has(id));
    for (const id of [...lost.malicious, ...lost.benign]) assert.ok(flaggedBefore.has(id));
    assert.ok(lost.benign.length > gained.benign.length, 'fewer honest subjects in the queue');
  });

  it('refuses to learn from one kind of label, and rejects a bad weights file', () => {
    const oneSided = cases.map((c) => ({ ...c, label: 1 as const }));
    assert.throws(
      () =>
        tune(oneSided, {
          current: { weights: CURRENT, threshold: 50 },
          scorer: noisyOr,
          now: '2026-12-03T10:00:00Z',
        }),
      (e: unknown) => isPrecursorError(e) && e.code === 'VALIDATION_FAILED',
    );
    assert.throws(() => parseWeightsFile('{', 'w.json'), /not JSON/);
    assert.throws(
      () => parseWeightsFile(JSON.stringify({ ...result.file, extra: 1 }), 'w.json'),
      (e: unknown) => isPrecursorError(e) && e.code === 'CONFIG_INVALID',
    );
  });
});
