import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Contribution, Signal } from '../domain/index.js';
import { aggregate, aggregateBy, type ScoreResult, type ScoreThresholds, strongestById } from './score.js';

const s = (id: string, weight: number): Signal => ({ id, detector: 'd', weight, detail: id, evidence: [] });
const sum = (r: ReturnType<typeof aggregate>) => r.contributions.reduce((a, c) => a + c.points, 0);

describe('aggregate', () => {
  it('combines positive evidence as a noisy-OR that never exceeds 100', () => {
    assert.equal(aggregate([s('a', 60), s('b', 60)]).score, 84);
    assert.equal(aggregate([s('a', 100), s('b', 100)]).score <= 100, true);
    assert.equal(aggregate([]).score, 0);
  });
  it('attributes the score to its signals so that the points add up', () => {
    const r = aggregate([s('a', 60), s('b', 30), s('c', -10)]);
    assert.ok(Math.abs(sum(r) - r.score) < 0.25, `${sum(r)} vs ${r.score}`);
    assert.equal(r.contributions[0]?.id, 'a', 'strongest first');
    assert.ok((r.contributions.find((c) => c.id === 'c')?.points ?? 0) < 0);
  });
  it('lets exculpatory signals pull a score down, never below 0', () => {
    assert.equal(aggregate([s('a', 60), s('old', -30)]).score, 30);
    assert.equal(aggregate([s('a', 20), s('old', -90)]).score, 0);
  });
  it('counts a repeated signal id once (its strongest)', () => {
    assert.equal(aggregate([s('a', 40), s('a', 50)]).score, 50);
  });
  it('flags at the threshold and calls malicious above the second', () => {
    assert.equal(aggregate([s('a', 49.9)]).flagged, false);
    assert.equal(aggregate([s('a', 50)]).flagged, true);
    assert.equal(aggregate([s('a', 50)]).verdict, 'suspicious');
    assert.equal(aggregate([s('a', 90)]).verdict, 'malicious');
    assert.equal(aggregate([s('a', 60)], { flag: 70, malicious: 90 }).flagged, false);
  });
});

// The plain statement of the formula, kept here as the oracle for the allocation-free `aggregateBy`.
function plainAggregate(signals: readonly Signal[], thresholds: ScoreThresholds): ScoreResult {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const round1 = (v: number): number => Math.round(v * 10) / 10;
  const unique = strongestById(signals);
  const logs = unique.map((x) => (x.weight > 0 ? -Math.log1p(-clamp(x.weight, 0, 99.9) / 100) : 0));
  const logSum = logs.reduce((a, b) => a + b, 0);
  const positive = 100 * (1 - Math.exp(-logSum));
  const negative = unique.reduce((a, x) => (x.weight < 0 ? a - x.weight : a), 0);
  const score = round1(clamp(positive - negative, 0, 100));
  const taken = positive - score;
  const contributions: Contribution[] = unique
    .map((x, i) => ({
      id: x.id,
      detector: x.detector,
      weight: x.weight,
      points: round1(
        x.weight > 0
          ? logSum > 0
            ? (positive * (logs[i] ?? 0)) / logSum
            : 0
          : x.weight < 0 && negative > 0
            ? (-taken * -x.weight) / negative
            : 0,
      ),
      detail: x.detail,
      evidence: x.evidence,
    }))
    .sort((a, b) => b.points - a.points || a.id.localeCompare(b.id));
  const flagged = score >= thresholds.flag;
  return {
    score,
    flagged,
    verdict: score >= thresholds.malicious ? 'malicious' : flagged ? 'suspicious' : 'benign',
    contributions,
  };
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IDS = [
  'domain.combosquat',
  'domain.abused-tld',
  'domain.homoglyph',
  'domain.lure-vocabulary',
  'domain.a',
  'domain.b',
];
const WEIGHTS = [0, 1, 5, 10, 15, 25, 30, 45, 50, 60, 65, 80, 99.9, 100, 150, -5, -20, -100, 12.5, 33.3];

describe('aggregateBy', () => {
  it('equals the plain formula, bit for bit, on many inputs, directly and through an accessor', () => {
    const rnd = mulberry32(1);
    const thresholds = [
      { flag: 50, malicious: 85 },
      { flag: 30, malicious: 60 },
      { flag: 99, malicious: 100 },
    ];
    for (let n = 0; n < 20000; n++) {
      const findings: { signal: Signal }[] = [];
      const count = Math.floor(rnd() * 8);
      for (let k = 0; k < count; k++) {
        const id = IDS[Math.floor(rnd() * IDS.length)] as string;
        const weight =
          rnd() < 0.7
            ? (WEIGHTS[Math.floor(rnd() * WEIGHTS.length)] as number)
            : Math.round(rnd() * 2400 - 400) / 10;
        findings.push({
          signal: {
            id,
            detector: 'domain',
            weight,
            detail: `detail ${k} ${Math.floor(rnd() * 3)}`,
            evidence: [],
          },
        });
      }
      const th = thresholds[n % thresholds.length] as ScoreThresholds;
      const signals = findings.map((f) => f.signal);
      const expected = plainAggregate(signals, th);
      assert.deepEqual(
        aggregateBy(findings, (f) => f.signal, th),
        expected,
      );
      assert.deepEqual(aggregate(signals, th), expected);
    }
  });
});
