/**
 * Learning from decisions (pure): every decided case is a label (malicious 1, benign 0; escalations are
 * not labels). A logistic regression over which signal ids the case carried gives one readable
 * coefficient per signal (its log-odds), calibrated probabilities, and — converted to the noisy-OR weights
 * the detect stage adds up — a proposed weights file, evaluated on held-out decisions and diffed against
 * the current weights before anything is applied.
 *
 * Why the fit is written here: the maintained JavaScript package for this (ml-logistic-regression 2.0)
 * runs a fixed 50,000 steps of plain gradient ascent with no intercept and no regularisation, so on
 * separable labels (common with few decisions) its weights grow without bound and its probabilities are
 * not calibrated. Ours is the textbook L2-regularised fit by Newton's method (IRLS): a few dozen signals,
 * converged in ~10 steps, each step one linear solve done by ml-matrix's Cholesky decomposition.
 * @module
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { PrecursorError } from '../domain/index.js';

// ml-matrix loads only when weights are fitted (`precursor tune`), not where this module's weights-file
// parser is used: at the start of every ingest (~0.05 s).
const requireCjs = createRequire(import.meta.url);
let mlMatrix: typeof import('ml-matrix') | undefined;
const matrices = (): typeof import('ml-matrix') => {
  mlMatrix ??= requireCjs('ml-matrix') as typeof import('ml-matrix');
  return mlMatrix;
};

/** One decided case, as the store gives it. */
export interface LabelledCase {
  readonly id: string;
  /** Signal ids the case's subject carried when it was decided. */
  readonly signals: readonly string[];
  readonly label: 0 | 1;
  /** Decision time; the most recent decisions are held out. */
  readonly decidedAt: string;
  /** The score the current weights gave it (for the before/after comparison). */
  readonly score: number;
}

export interface TuneOptions {
  /** L2 penalty on the signal coefficients (not the intercept). */
  readonly lambda?: number;
  /** Signals on fewer training cases than this keep their current weight (too little to learn from). */
  readonly minSupport?: number;
  /** Fraction of the most recent decisions held out for evaluation. */
  readonly holdOut?: number;
  /** Threshold choice: F-beta on the training cases (beta < 1 favours precision: a short queue). */
  readonly beta?: number;
  /** The current weights and flag threshold. */
  readonly current: { readonly weights: Readonly<Record<string, number>>; readonly threshold: number };
  /** How a set of signal ids scores under a weights map (the detect stage's aggregation; injected). */
  readonly scorer: (signals: readonly string[], weights: Readonly<Record<string, number>>) => number;
  readonly now: string;
  /** Revision of the file being replaced (the new file is one higher). */
  readonly revision?: number;
}

export interface Fit {
  readonly intercept: number;
  readonly coefficients: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** L2-regularised logistic regression by Newton's method over binary features (signal present or not). */
export function fitLogistic(
  rows: readonly { features: readonly number[]; label: 0 | 1 }[],
  dims: number,
  lambda: number,
  maxIterations = 50,
): { w: number[]; iterations: number; converged: boolean } {
  // w[0] is the intercept, w[j + 1] the coefficient of feature j.
  const p = dims + 1;
  const w = new Array<number>(p).fill(0);
  for (let it = 1; it <= maxIterations; it++) {
    const H = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const g = new Array<number>(p).fill(0);
    for (const r of rows) {
      let z = w[0]!;
      for (const j of r.features) z += w[j + 1]!;
      const mu = sigmoid(z);
      const s = mu * (1 - mu);
      const err = r.label - mu;
      const idx = [0, ...r.features.map((j) => j + 1)];
      for (const a of idx) {
        g[a]! += err;
        const row = H[a]!;
        for (const b of idx) row[b]! += s;
      }
    }
    for (let j = 1; j < p; j++) {
      g[j]! -= lambda * w[j]!;
      H[j]![j]! += lambda;
    }
    // A tiny ridge on the intercept keeps H positive definite when every case is of one label.
    H[0]![0]! += 1e-9;
    const { CholeskyDecomposition, Matrix } = matrices();
    const step = new CholeskyDecomposition(new Matrix(H)).solve(Matrix.columnVector(g)).to1DArray();
    let biggest = 0;
    for (let j = 0; j < p; j++) {
      w[j]! += step[j]!;
      biggest = Math.max(biggest, Math.abs(step[j]!));
    }
    if (biggest < 1e-8) return { w, iterations: it, converged: true };
  }
  return { w, iterations: maxIterations, converged: false };
}

/**
 * A coefficient as a detect-stage weight. The detect stage adds positive weights as a noisy-OR, which is
 * additive in −ln(1 − w/100); the model adds log-odds. Mapping β to −ln(1 − w/100) = β · ln 2 / D, where
 * D is the log-odds a subject needs above the intercept to reach the learned decision boundary, keeps
 * the two in step for positive signals: a set of signals reaches 50 points exactly when the model puts
 * it on the boundary, and a signal weighs 50 when it alone takes a subject there. (Matching each weight
 * to its own probability lift instead collapses every weight towards 0 when malicious labels are rare,
 * because lifts from a tiny base rate are tiny while log-odds still add up.) Negative coefficients take
 * away the points of the same magnitude, which the detect stage subtracts after the noisy-OR.
 */
export function coefficientToWeight(beta: number, boundary: number): number {
  const d = Math.max(1e-6, boundary);
  const w = 100 * (1 - 2 ** (-Math.abs(beta) / d));
  return Math.round(Math.sign(beta) * Math.min(99.9, w) * 10) / 10;
}

/** The model log-odds that best separates the training labels by F-beta (the learned decision boundary). */
function boundaryLogOdds(z: readonly { z: number; label: 0 | 1 }[], beta: number): number {
  const sorted = [...z].sort((a, b) => b.z - a.z);
  const positives = sorted.reduce((n, r) => n + r.label, 0);
  const b2 = beta * beta;
  let tp = 0;
  let fp = 0;
  let best = -1;
  let at = sorted[0]?.z ?? 0;
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (r.label === 1) tp++;
    else fp++;
    // A boundary only between distinct scores.
    if (i + 1 < sorted.length && sorted[i + 1]!.z === r.z) continue;
    const precision = tp / (tp + fp);
    const recall = positives === 0 ? 0 : tp / positives;
    const f = precision + recall === 0 ? 0 : ((1 + b2) * precision * recall) / (b2 * precision + recall);
    if (f > best + 1e-12) {
      best = f;
      at = r.z;
    }
  }
  return at;
}

export interface Metrics {
  readonly cases: number;
  readonly malicious: number;
  readonly precision: number;
  readonly recall: number;
  readonly flagged: number;
}

function metrics(cases: readonly LabelledCase[], flagged: (c: LabelledCase) => boolean): Metrics {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  for (const c of cases) {
    const f = flagged(c);
    if (c.label === 1) pos++;
    if (f && c.label === 1) tp++;
    if (f && c.label === 0) fp++;
  }
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    cases: cases.length,
    malicious: pos,
    flagged: tp + fp,
    precision: tp + fp === 0 ? 1 : round(tp / (tp + fp)),
    recall: pos === 0 ? 1 : round(tp / pos),
  };
}

export const WEIGHTS_FORMAT = 'precursor/signal-weights';

/** The versioned weights file the detect stage and `score` read. */
export const WeightsFileSchema = z
  .object({
    format: z.literal(WEIGHTS_FORMAT),
    version: z.literal(1),
    /** Increases by one with every applied tuning. */
    revision: z.number().int().min(1),
    fittedAt: z.string().datetime({ offset: true }),
    model: z.literal('logistic-regression-l2'),
    lambda: z.number().min(0),
    intercept: z.number(),
    /** Flag threshold on the 0–100 score. */
    threshold: z.number().min(0).max(100),
    signals: z.record(
      // Review signals are human decisions, not evidence to re-weigh.
      z
        .string()
        .min(1)
        .refine((id) => !id.startsWith('review.'), 'review signals cannot be re-weighted'),
      z
        .object({
          /** Detect-stage weight (noisy-OR, −99.9…99.9). */
          weight: z.number().min(-99.9).max(99.9),
          /** Log-odds the signal adds; exp(coefficient) is its odds ratio. */
          coefficient: z.number(),
          /** Training cases carrying it, and how many of those were malicious. */
          support: z.number().int().min(0),
          malicious: z.number().int().min(0),
        })
        .strict(),
    ),
    evaluation: z
      .object({
        trainCases: z.number().int().min(0),
        heldOutCases: z.number().int().min(0),
        precision: z.number(),
        recall: z.number(),
        brier: z.number(),
      })
      .strict(),
  })
  .strict();
export type WeightsFile = z.infer<typeof WeightsFileSchema>;

export function parseWeightsFile(text: string, source = '<weights>'): WeightsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PrecursorError('CONFIG_INVALID', `weights ${source}: not JSON: ${(e as Error).message}`);
  }
  const r = WeightsFileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new PrecursorError(
      'CONFIG_INVALID',
      `weights ${source}: ${i.path.join('.') || 'file'}: ${i.message}`,
      {
        details: { file: source, path: i.path.join('.') },
      },
    );
  }
  return r.data;
}

export interface WeightChange {
  readonly id: string;
  readonly before: number | null;
  readonly after: number;
  readonly delta: number;
}

export interface TuneResult {
  readonly file: WeightsFile;
  readonly fit: Fit;
  /** Signals seen on too few cases to learn from: they keep their current weight. */
  readonly untouched: readonly string[];
  readonly changes: readonly WeightChange[];
  readonly threshold: { readonly before: number; readonly after: number };
  readonly heldOut: {
    readonly before: Metrics;
    readonly after: Metrics;
    /** Mean squared error of the model's probabilities; 0.25 is a coin. */
    readonly brier: number;
    /** Reliability: predicted vs observed malicious rate in five probability bins. */
    readonly calibration: readonly { bin: string; cases: number; predicted: number; observed: number }[];
  };
  /** Decided cases the new weights would flag and the current do not (gained) and the reverse (lost). */
  readonly gained: { readonly malicious: readonly string[]; readonly benign: readonly string[] };
  readonly lost: { readonly malicious: readonly string[]; readonly benign: readonly string[] };
}

export function tune(cases: readonly LabelledCase[], o: TuneOptions): TuneResult {
  const lambda = o.lambda ?? 1;
  const minSupport = o.minSupport ?? 3;
  const beta = o.beta ?? 0.5;
  const sorted = [...cases].sort(
    (a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.id.localeCompare(b.id),
  );
  // Decisions taken together (the members of one case share its decision time) stay on one side.
  let cut = Math.floor(sorted.length * (1 - (o.holdOut ?? 0.25)));
  const splitsGroup = (i: number) =>
    i > 0 && i < sorted.length && sorted[i]!.decidedAt === sorted[i - 1]!.decidedAt;
  let forward = cut;
  while (splitsGroup(forward)) forward++;
  if (forward < sorted.length) cut = forward;
  else while (splitsGroup(cut)) cut--;
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  if (train.length < 2 || new Set(train.map((c) => c.label)).size < 2)
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `tune needs decided cases of both kinds to learn from (training has ${train.length}, labels ${[...new Set(train.map((c) => c.label))].join(',') || 'none'})`,
    );

  const support = new Map<string, { n: number; mal: number }>();
  for (const c of train)
    for (const id of new Set(c.signals)) {
      const s = support.get(id) ?? { n: 0, mal: 0 };
      s.n++;
      s.mal += c.label;
      support.set(id, s);
    }
  const features = [...support.entries()]
    .filter(([, s]) => s.n >= minSupport)
    .map(([id]) => id)
    .sort();
  const index = new Map(features.map((id, j) => [id, j]));
  const rows = train.map((c) => ({
    features: [...new Set(c.signals)].flatMap((id) => (index.has(id) ? [index.get(id)!] : [])),
    label: c.label,
  }));
  const { w, iterations, converged } = fitLogistic(rows, features.length, lambda);
  const intercept = w[0]!;
  const coefficients = Object.fromEntries(features.map((id, j) => [id, w[j + 1]!]));
  const prob = (signals: readonly string[]) => {
    let z = intercept;
    for (const id of new Set(signals)) z += coefficients[id] ?? 0;
    return sigmoid(z);
  };

  const zOf = (signals: readonly string[]) => {
    let z = intercept;
    for (const id of new Set(signals)) z += coefficients[id] ?? 0;
    return z;
  };
  const boundary = boundaryLogOdds(
    train.map((c) => ({ z: zOf(c.signals), label: c.label })),
    beta,
  );
  const weights: Record<string, number> = { ...o.current.weights };
  for (const id of features) weights[id] = coefficientToWeight(coefficients[id]!, boundary - intercept);
  const untouched = [...support.keys()].filter((id) => !index.has(id)).sort();

  // Threshold: the score that maximises F-beta on the training cases under the new weights.
  const trainScore = new Map(train.map((c) => [c.id, o.scorer(c.signals, weights)]));
  let threshold = o.current.threshold;
  let bestF = -1;
  for (let t = 1; t <= 100; t++) {
    const m = metrics(train, (c) => (trainScore.get(c.id) ?? 0) >= t);
    const b2 = beta * beta;
    const f =
      m.precision + m.recall === 0 ? 0 : ((1 + b2) * m.precision * m.recall) / (b2 * m.precision + m.recall);
    if (f > bestF + 1e-12) {
      bestF = f;
      threshold = t;
    }
  }

  const newScore = new Map(cases.map((c) => [c.id, o.scorer(c.signals, weights)]));
  const flaggedNow = (c: LabelledCase) => c.score >= o.current.threshold;
  const flaggedNew = (c: LabelledCase) => (newScore.get(c.id) ?? 0) >= threshold;

  let brier = 0;
  const bins = Array.from({ length: 5 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const c of test) {
    const p = prob(c.signals);
    brier += (p - c.label) ** 2;
    const b = bins[Math.min(4, Math.floor(p * 5))]!;
    b.n++;
    b.p += p;
    b.y += c.label;
  }
  brier = test.length === 0 ? 0 : Math.round((brier / test.length) * 10_000) / 10_000;
  const calibration = bins.map((b, i) => ({
    bin: `${i * 20}–${i * 20 + 20}%`,
    cases: b.n,
    predicted: b.n === 0 ? 0 : Math.round((b.p / b.n) * 1000) / 1000,
    observed: b.n === 0 ? 0 : Math.round((b.y / b.n) * 1000) / 1000,
  }));
  const after = metrics(test, flaggedNew);

  const changes: WeightChange[] = features
    .map((id) => {
      const before = o.current.weights[id] ?? null;
      const a = weights[id]!;
      return { id, before, after: a, delta: Math.round((a - (before ?? 0)) * 10) / 10 };
    })
    .filter((c) => c.before !== c.after)
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.id.localeCompare(y.id));

  const pick = (f: (c: LabelledCase) => boolean, label: 0 | 1) =>
    cases.filter((c) => c.label === label && f(c)).map((c) => c.id);
  const gainedF = (c: LabelledCase) => flaggedNew(c) && !flaggedNow(c);
  const lostF = (c: LabelledCase) => !flaggedNew(c) && flaggedNow(c);

  const file: WeightsFile = {
    format: WEIGHTS_FORMAT,
    version: 1,
    revision: (o.revision ?? 0) + 1,
    fittedAt: o.now,
    model: 'logistic-regression-l2',
    lambda,
    intercept: Math.round(intercept * 1e6) / 1e6,
    threshold,
    signals: Object.fromEntries(
      features.map((id) => [
        id,
        {
          weight: weights[id]!,
          coefficient: Math.round(coefficients[id]! * 1e6) / 1e6,
          support: support.get(id)!.n,
          malicious: support.get(id)!.mal,
        },
      ]),
    ),
    evaluation: {
      trainCases: train.length,
      heldOutCases: test.length,
      precision: after.precision,
      recall: after.recall,
      brier,
    },
  };
  return {
    file,
    fit: { intercept, coefficients, iterations, converged },
    untouched,
    changes,
    threshold: { before: o.current.threshold, after: threshold },
    heldOut: { before: metrics(test, flaggedNow), after, brier, calibration },
    gained: { malicious: pick(gainedF, 1), benign: pick(gainedF, 0) },
    lost: { malicious: pick(lostF, 1), benign: pick(lostF, 0) },
  };
}
