import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../score.js';
import { aggregateFindings } from './aggregate.js';
import { finding, type Finding } from './techniques/context.js';

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

describe('aggregateFindings', () => {
  it('equals aggregate from score.ts, bit for bit, on many inputs', () => {
    const rnd = mulberry32(1);
    const thresholds = [
      { flag: 50, malicious: 85 },
      { flag: 30, malicious: 60 },
      { flag: 99, malicious: 100 },
    ];
    for (let n = 0; n < 20000; n++) {
      const findings: Finding[] = [];
      const count = Math.floor(rnd() * 8);
      for (let k = 0; k < count; k++) {
        const id = IDS[Math.floor(rnd() * IDS.length)] as string;
        const weight =
          rnd() < 0.7
            ? (WEIGHTS[Math.floor(rnd() * WEIGHTS.length)] as number)
            : Math.round(rnd() * 2400 - 400) / 10;
        findings.push(finding(id, weight, `detail ${k} ${Math.floor(rnd() * 3)}`));
      }
      const th = thresholds[n % thresholds.length] as { flag: number; malicious: number };
      const expected = aggregate(
        findings.map((f) => f.signal),
        th,
      );
      assert.deepEqual(aggregateFindings(findings, th), expected);
    }
  });
});
