/**
 * Which learned weights are in force: the last weights file applied with `precursor tune --apply`
 * (kept in the store beside the policy, so every process of a deployment scores alike), or none (the
 * detectors' own weights and the configured flag threshold). Parsed files are cached by their hash:
 * the detect stage asks once per run.
 * @module
 */
import type { LearnedScoring } from '../detect/score.js';
import type { Aggregates } from '../store/store.js';
import { parseWeightsFile, type WeightsFile } from './tune.js';

export interface LiveWeights {
  readonly file: WeightsFile;
  readonly hash: string;
  readonly scoring: LearnedScoring;
}

const parsed = new Map<string, LiveWeights>();

export function scoringOf(file: WeightsFile): LearnedScoring {
  const weights: Record<string, number> = {};
  for (const [id, s] of Object.entries(file.signals)) weights[id] = s.weight;
  return { weights, flag: file.threshold };
}

export async function liveWeights(store: Aggregates): Promise<LiveWeights | undefined> {
  const v = await store.cases.activePolicy('weights');
  if (v === undefined) return undefined;
  const hit = parsed.get(v.hash);
  if (hit) return hit;
  const file = parseWeightsFile(v.text, 'store');
  const live = { file, hash: v.hash, scoring: scoringOf(file) };
  if (parsed.size > 8) parsed.clear();
  parsed.set(v.hash, live);
  return live;
}

/** The learned scoring in force, or undefined (the detectors' weights and the configured threshold). */
export async function learnedScoring(store: Aggregates): Promise<LearnedScoring | undefined> {
  return (await liveWeights(store))?.scoring;
}
