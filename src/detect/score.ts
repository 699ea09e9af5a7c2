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

export function aggregate(
  signals: readonly Signal[],
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
): ScoreResult {
  const unique = strongestById(signals);
  // 99.9 caps a single signal so that the log stays finite; one signal alone can reach 99.9, not 100.
  const logs = unique.map((s) => (s.weight > 0 ? -Math.log1p(-clamp(s.weight, 0, 99.9) / 100) : 0));
  const logSum = logs.reduce((a, b) => a + b, 0);
  const positive = 100 * (1 - Math.exp(-logSum));
  const negative = unique.reduce((a, s) => (s.weight < 0 ? a - s.weight : a), 0);
  const score = round1(clamp(positive - negative, 0, 100));
  // Positives share the pre-penalty total; negatives share what they took away, so the parts add up
  // to the score.
  const taken = positive - score;
  const contributions: Contribution[] = unique
    .map((s, i) => ({
      id: s.id,
      detector: s.detector,
      weight: s.weight,
      points: round1(
        s.weight > 0
          ? logSum > 0
            ? (positive * (logs[i] ?? 0)) / logSum
            : 0
          : s.weight < 0 && negative > 0
            ? (-taken * -s.weight) / negative
            : 0,
      ),
      detail: s.detail,
      evidence: s.evidence,
    }))
    .sort((a, b) => b.points - a.points || a.id.localeCompare(b.id));
  const flagged = score >= thresholds.flag;
  const verdict: Verdict = score >= thresholds.malicious ? 'malicious' : flagged ? 'suspicious' : 'benign';
  return { score, flagged, verdict, contributions };
}

export function assess(
  entity: EntityKey,
  signals: readonly Signal[],
  assessedAt: string,
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
): Assessment {
  return { entity, assessedAt, ...aggregate(signals, thresholds) };
}
