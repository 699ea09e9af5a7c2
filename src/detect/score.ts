/**
 * Turns signals into a score that explains itself.
 *
 * Positive weights combine as a noisy-OR (each signal is read as independent evidence: 60 and 60 make
 * 84, never more than 100), negative weights subtract afterwards. Because the noisy-OR is a product,
 * its log splits exactly into per-signal terms, which is how each signal's share of the final score
 * (`points`) is computed: contributions add up to the score, to rounding.
 * @module
 */
import type { Assessment, Contribution, EntityKey, Signal, Verdict } from '../domain/index.js';

export interface ScoreThresholds {
  /** Score at which an entity is flagged (put in front of a human). */
  readonly flag: number;
  /** Score at which the verdict is `malicious` rather than `suspicious`. */
  readonly malicious: number;
}

export const DEFAULT_THRESHOLDS: ScoreThresholds = Object.freeze({ flag: 50, malicious: 85 });

export interface ScoreResult {
  readonly score: number;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  readonly contributions: readonly Contribution[];
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Keeps the strongest signal per id: a detector that repeats itself does not add evidence. */
export function strongestById(signals: readonly Signal[]): Signal[] {
  const best = new Map<string, Signal>();
  for (const s of signals) {
    const prev = best.get(s.id);
    if (!prev || Math.abs(s.weight) > Math.abs(prev.weight)) best.set(s.id, s);
  }
  return [...best.values()];
}

// Scratch, reused across calls (scoring is synchronous); entries past the count in use are stale.
const UNIQUE: Signal[] = [];
let LOGS = new Float64Array(16);

const byPoints = (a: Contribution, b: Contribution): number =>
  b.points - a.points || a.id.localeCompare(b.id);

export function aggregate(
  signals: readonly Signal[],
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
): ScoreResult {
  return aggregateBy(signals, (s) => s, thresholds);
}

/**
 * `aggregate` over anything that carries a signal, so that a hot caller (the domain engine, over its
 * findings) builds no intermediate array. Only the returned contributions are allocated: no `Map`,
 * no per-call arrays, an insertion sort (lists are a handful long). `score.test.ts` holds it to the
 * plain formula, bit for bit.
 */
export function aggregateBy<T>(
  items: readonly T[],
  signalOf: (item: T) => Signal,
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
): ScoreResult {
  // The strongest signal per id (as `strongestById`): first occurrence fixes the position, a strictly
  // stronger one replaces the value. A detector that repeats itself does not add evidence.
  const unique = UNIQUE;
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const s = signalOf(items[i] as T);
    let k = 0;
    while (k < n && (unique[k] as Signal).id !== s.id) k++;
    if (k === n) unique[n++] = s;
    else if (Math.abs(s.weight) > Math.abs((unique[k] as Signal).weight)) unique[k] = s;
  }
  if (LOGS.length < n) LOGS = new Float64Array(n * 2);
  const logs = LOGS;
  // 99.9 caps a single signal so that the log stays finite; one signal alone can reach 99.9, not 100.
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
  // Positives share the pre-penalty total; negatives share what they took away, so the parts add up
  // to the score.
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
    contributions.push(c);
    let at = i;
    while (at > 0 && byPoints(contributions[at - 1] as Contribution, c) > 0) {
      contributions[at] = contributions[at - 1] as Contribution;
      at--;
    }
    contributions[at] = c;
  }
  const flagged = score >= thresholds.flag;
  const verdict: Verdict = score >= thresholds.malicious ? 'malicious' : flagged ? 'suspicious' : 'benign';
  return { score, flagged, verdict, contributions };
}

/**
 * Learned weights (`precursor tune --apply`, docs/tune.md), by signal id: a signal whose id is listed
 * counts with the listed weight instead of the one its detector gave.
 */
export type SignalWeights = Readonly<Record<string, number>>;

/** What an applied weights file changes in scoring: signal weights and the flag threshold. */
export interface LearnedScoring {
  readonly weights: SignalWeights;
  readonly flag: number;
}

/** Thresholds with a learned flag threshold put in (the malicious threshold stays configured). */
export function learnedThresholds(
  base: ScoreThresholds,
  learned: LearnedScoring | undefined,
): ScoreThresholds {
  return learned === undefined
    ? base
    : { flag: learned.flag, malicious: Math.max(base.malicious, learned.flag) };
}

/** Signals with the learned weights put in; the same array when nothing changes. */
export function reweigh(signals: readonly Signal[], weights: SignalWeights | undefined): readonly Signal[] {
  if (weights === undefined) return signals;
  let out: Signal[] | undefined;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as Signal;
    const w = Object.hasOwn(weights, s.id) ? weights[s.id] : undefined;
    if (w === undefined || w === s.weight) continue;
    out ??= signals.slice();
    out[i] = { ...s, weight: w };
  }
  return out ?? signals;
}

export function assess(
  entity: EntityKey,
  signals: readonly Signal[],
  assessedAt: string,
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
  weights?: SignalWeights,
): Assessment {
  return { entity, assessedAt, ...aggregate(reweigh(signals, weights), thresholds) };
}
