/**
 * `aggregate` from `../score.ts`, repeated operation for operation over the engine's findings so that
 * scores and points are bit-identical to it (a test compares both on many inputs), without the `Map`,
 * the intermediate arrays and the sort it builds per call: names with several signals are a third of
 * a phishing-heavy stream. Only the returned contributions are allocated.
 * @module
 */
import type { Contribution, Signal } from '../../domain/index.js';
import type { ScoreResult, ScoreThresholds } from '../score.js';
import type { Finding } from './techniques/context.js';

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

// Scratch, reused across calls (scoring is synchronous); entries past the count in use are stale.
const UNIQUE: Signal[] = [];
let LOGS = new Float64Array(16);

const byPoints = (a: Contribution, b: Contribution): number =>
  b.points - a.points || a.id.localeCompare(b.id);

/** `aggregate(findings.map((f) => f.signal), thresholds)`. */
export function aggregateFindings(findings: readonly Finding[], thresholds: ScoreThresholds): ScoreResult {
  // strongestById: first occurrence fixes the position, a strictly stronger one replaces the value.
  const unique = UNIQUE;
  let n = 0;
  for (let i = 0; i < findings.length; i++) {
    const s = (findings[i] as Finding).signal;
    let k = 0;
    while (k < n && (unique[k] as Signal).id !== s.id) k++;
    if (k === n) unique[n++] = s;
    else if (Math.abs(s.weight) > Math.abs((unique[k] as Signal).weight)) unique[k] = s;
  }
  if (LOGS.length < n) LOGS = new Float64Array(n * 2);
  const logs = LOGS;
  let logSum = 0;
  let negative = 0;
  for (let i = 0; i < n; i++) {
    const w = (unique[i] as Signal).weight;
    const log = w > 0 ? -Math.log1p(-clamp(w, 0, 99.9) / 100) : 0;
    logs[i] = log;
    logSum = logSum + log;
  }
  for (let i = 0; i < n; i++) {
    const w = (unique[i] as Signal).weight;
    negative = w < 0 ? negative - w : negative;
  }
  const positive = 100 * (1 - Math.exp(-logSum));
  const score = round1(clamp(positive - negative, 0, 100));
  const taken = positive - score;
  const contributions: Contribution[] = [];
  for (let i = 0; i < n; i++) {
    const s = unique[i] as Signal;
    const c: Contribution = {
      id: s.id,
      detector: s.detector,
      weight: s.weight,
      points: round1(
        s.weight > 0
          ? logSum > 0
            ? (positive * (logs[i] as number)) / logSum
            : 0
          : s.weight < 0 && negative > 0
            ? (-taken * -s.weight) / negative
            : 0,
      ),
      detail: s.detail,
      evidence: s.evidence,
    };
    // Stable insertion sort with `aggregate`'s comparator (lists are a handful long).
    contributions.push(c);
    let at = i;
    while (at > 0 && byPoints(contributions[at - 1] as Contribution, c) > 0) {
      contributions[at] = contributions[at - 1] as Contribution;
      at--;
    }
    contributions[at] = c;
  }
  const flagged = score >= thresholds.flag;
  const verdict = score >= thresholds.malicious ? 'malicious' : flagged ? 'suspicious' : 'benign';
  return { score, flagged, verdict, contributions };
}
