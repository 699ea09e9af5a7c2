/**
 * `precursor tune` as a workflow: gather the labels (decided cases, and optionally a labelled history
 * file), fit new signal weights and a flag threshold (`tune.ts`, pure), say what would change — on the
 * decided cases (held-out precision and recall, cases gained and lost) and across the whole store
 * (entities that would start or stop being flagged) — and, only when asked, make the weights live:
 * recorded in the store, audited, and every stored assessment they change re-scored, in one
 * transaction.
 *
 * The unit of learning is a member of a decided case: the detect stage scores entities, so the weights
 * are learned from the entities a human judged (each member of a case decided malicious is a positive,
 * of one decided benign a negative), with the signals they carried when the case was last evaluated.
 * Review signals (`review.*`) are the decisions themselves and never features.
 * @module
 */
import { createHash } from 'node:crypto';
import {
  aggregate,
  assess,
  learnedThresholds,
  type ScoreThresholds,
  type SignalWeights,
} from '../detect/score.js';
import { type Assessment, type EntityKey, PrecursorError, type Signal } from '../domain/index.js';
import type { Aggregates, StoredCase } from '../store/store.js';
import { REVIEW_DETECTOR } from './feedback.js';
import { type LabelledCase, parseWeightsFile, type TuneResult, tune, type WeightsFile } from './tune.js';
import { liveWeights, scoringOf } from './weights-source.js';

export interface TuneRequest {
  readonly lambda?: number;
  readonly minSupport?: number;
  readonly holdOut?: number;
  readonly beta?: number;
  /** A labelled history (JSON lines `{"entity","label","at"?}`) beside the decided cases. */
  readonly labels?: { readonly text: string; readonly source: string };
  readonly at?: string;
  readonly signal?: AbortSignal;
}

export interface LabelSummary {
  /** Decided cases (malicious or benign) that gave labels. */
  readonly cases: number;
  /** Labelled entities: from cases, from the labels file, malicious and benign. */
  readonly entities: number;
  readonly fromCases: number;
  readonly fromFile: number;
  readonly malicious: number;
  readonly benign: number;
  /** Labels-file entities the store does not know (no signals to learn from; skipped). */
  readonly unknown: number;
}

/** What applying a weights file would do (dry run) or did (apply) to the stored assessments. */
export interface StoreEffect {
  /** Assessed entities carrying a signal whose weight the file sets. */
  readonly entities: number;
  readonly rescored: number;
  readonly flaggedBefore: number;
  readonly flaggedAfter: number;
  /** Entities that would start / stop being flagged (a sample of keys each). */
  readonly gained: number;
  readonly lost: number;
  readonly gainedSample: readonly string[];
  readonly lostSample: readonly string[];
}

export interface TuneReport extends Omit<TuneResult, 'gained' | 'lost'> {
  readonly labels: LabelSummary;
  /** The weights in force before: an applied file's revision and hash, or the detectors' own. */
  readonly current: {
    readonly source: 'store' | 'detectors';
    readonly revision: number;
    readonly hash: string | null;
  };
  /** Labelled entities the new weights would flag and the current do not, and the reverse, by label. */
  readonly entities: {
    readonly gained: { readonly malicious: number; readonly benign: number };
    readonly lost: { readonly malicious: number; readonly benign: number };
  };
  /** Decided cases with a member flagged under the new weights and none under the current (gained), and the reverse. */
  readonly cases: {
    readonly gained: { readonly malicious: readonly string[]; readonly benign: readonly string[] };
    readonly lost: { readonly malicious: readonly string[]; readonly benign: readonly string[] };
  };
  readonly store: StoreEffect;
}

export interface ApplyReport {
  readonly revision: number;
  readonly hash: string;
  readonly threshold: number;
  readonly signals: number;
  readonly store: StoreEffect;
  readonly audit: { readonly seq: number | null; readonly hash: string | null };
}

interface Row extends LabelledCase {
  readonly entity: string;
  readonly caseId: string | null;
}

const SAMPLE = 20;
const PAGE = 500;

const LabelLine = (v: unknown): { entity: EntityKey; label: 0 | 1; at?: string } | string => {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['entity', 'label', 'at'].includes(k)) return `unknown key "${k}"`;
  if (typeof o.entity !== 'string' || !/^[a-z-]+:./.test(o.entity)) return 'entity must be an entity key';
  if (o.label !== 'malicious' && o.label !== 'benign') return 'label must be "malicious" or "benign"';
  if (o.at !== undefined && (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))))
    return 'at must be an ISO time';
  return {
    entity: o.entity as EntityKey,
    label: o.label === 'malicious' ? 1 : 0,
    ...(typeof o.at === 'string' ? { at: new Date(o.at).toISOString() } : {}),
  };
};

/** Every case decided malicious or benign, page by page. */
async function* decidedCases(store: Aggregates, signal?: AbortSignal): AsyncGenerator<StoredCase> {
  let after: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page = await store.cases.list({
      states: ['confirmed-malicious', 'benign'],
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

const featureIds = (signals: readonly { id: string }[]) =>
  [...new Set(signals.map((s) => s.id).filter((id) => !id.startsWith(`${REVIEW_DETECTOR}.`)))].sort();

/** The labelled entities: members of decided cases (the latest decision wins), then the labels file's. */
async function gatherLabels(
  store: Aggregates,
  r: TuneRequest,
): Promise<{
  rows: Map<string, Omit<Row, 'score'>>;
  summary: LabelSummary;
  observed: Map<string, number[]>;
}> {
  const rows = new Map<string, Omit<Row, 'score'>>();
  const observed = new Map<string, number[]>();
  const see = (signals: readonly { id: string; weight: number }[]) => {
    for (const s of signals) {
      if (s.id.startsWith(`${REVIEW_DETECTOR}.`)) continue;
      const list = observed.get(s.id) ?? [];
      if (list.length < 1000) list.push(s.weight);
      observed.set(s.id, list);
    }
  };
  let cases = 0;
  for await (const c of decidedCases(store, r.signal)) {
    if (c.decision === null || (c.decision.as !== 'malicious' && c.decision.as !== 'benign')) continue;
    cases++;
    const label = c.decision.as === 'malicious' ? 1 : 0;
    for (const m of c.detail.members) {
      const prev = rows.get(m.key);
      if (prev && prev.decidedAt > c.decision.at) continue;
      see(m.signals);
      rows.set(m.key, {
        id: m.key,
        entity: m.key,
        caseId: c.id,
        signals: featureIds(m.signals),
        label,
        decidedAt: c.decision.at,
      });
    }
  }
  const fromCases = rows.size;
  let fromFile = 0;
  let unknown = 0;
  if (r.labels) {
    const wanted: { entity: EntityKey; label: 0 | 1; at?: string }[] = [];
    const lines = r.labels.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = undefined;
      }
      const parsed = v === undefined ? 'not JSON' : LabelLine(v);
      if (typeof parsed === 'string')
        throw new PrecursorError('VALIDATION_FAILED', `labels ${r.labels.source}:${i + 1}: ${parsed}`, {
          details: { file: r.labels.source, line: i + 1 },
        });
      // A human's decision on a case outranks a history label for the same entity.
      if (!rows.has(parsed.entity) || rows.get(parsed.entity)!.caseId === null) wanted.push(parsed);
    }
    for (let i = 0; i < wanted.length; i += PAGE) {
      r.signal?.throwIfAborted();
      const part = wanted.slice(i, i + PAGE);
      const keys = part.map((w) => w.entity);
      const [signals, assessed] = await Promise.all([
        store.assessments.signalsOf(keys),
        store.assessments.getMany(keys),
      ]);
      for (const w of part) {
        const a = assessed.get(w.entity);
        if (a === undefined) {
          unknown++;
          continue;
        }
        const list = signals.get(w.entity) ?? [];
        see(list);
        fromFile++;
        rows.set(w.entity, {
          id: w.entity,
          entity: w.entity,
          caseId: null,
          signals: featureIds(list),
          label: w.label,
          decidedAt: w.at ?? a.assessedAt,
        });
      }
    }
  }
  let malicious = 0;
  for (const row of rows.values()) malicious += row.label;
  return {
    rows,
    observed,
    summary: {
      cases,
      entities: rows.size,
      fromCases,
      fromFile,
      malicious,
      benign: rows.size - malicious,
      unknown,
    },
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};

/** The detect stage's aggregation over a set of signal ids, each at the given weight. */
export function scoreIds(ids: readonly string[], weights: SignalWeights): number {
  const signals: Signal[] = ids.map((id) => ({
    id,
    detector: '',
    weight: weights[id] ?? 0,
    detail: '',
    evidence: [],
  }));
  return aggregate(signals).score;
}

/**
 * The effect of `learned` (weights and flag threshold) on every stored assessment carrying a signal it
 * sets; with `write`, the changed assessments are written (inside the caller's transaction).
 */
async function storeEffect(
  store: Aggregates,
  base: ScoreThresholds,
  file: WeightsFile,
  at: string,
  write: boolean,
  signal?: AbortSignal,
): Promise<StoreEffect> {
  const learned = scoringOf(file);
  const thresholds = learnedThresholds(base, learned);
  const ids = new Set(Object.keys(file.signals));
  const all = await store.assessments.keysWithSignals([...ids]);
  let entities = 0;
  let rescored = 0;
  let flaggedBefore = 0;
  let flaggedAfter = 0;
  const gained: string[] = [];
  const lost: string[] = [];
  let gainedN = 0;
  let lostN = 0;
  for (let i = 0; i < all.length; i += PAGE) {
    signal?.throwIfAborted();
    const part = all.slice(i, i + PAGE);
    const [signals, assessed] = await Promise.all([
      store.assessments.signalsOf(part),
      store.assessments.getMany(part),
    ]);
    const changed: Assessment[] = [];
    for (const key of part) {
      const list = signals.get(key) ?? [];
      const before = assessed.get(key);
      if (before === undefined || !list.some((s) => ids.has(s.id))) continue;
      entities++;
      const after = assess(key, list, write ? at : before.assessedAt, thresholds, learned.weights);
      if (before.flagged) flaggedBefore++;
      if (after.flagged) flaggedAfter++;
      if (after.flagged && !before.flagged) {
        gainedN++;
        if (gained.length < SAMPLE) gained.push(key);
      }
      if (!after.flagged && before.flagged) {
        lostN++;
        if (lost.length < SAMPLE) lost.push(key);
      }
      if (after.score !== before.score || after.flagged !== before.flagged) changed.push(after);
    }
    rescored += changed.length;
    if (write && changed.length > 0) await store.assessments.write(changed);
  }
  return {
    entities,
    rescored,
    flaggedBefore,
    flaggedAfter,
    gained: gainedN,
    lost: lostN,
    gainedSample: gained,
    lostSample: lost,
  };
}

/** Fits and reports; changes nothing. */
export async function proposeWeights(
  store: Aggregates,
  base: ScoreThresholds,
  r: TuneRequest = {},
): Promise<{ report: TuneReport; file: WeightsFile }> {
  const at = r.at ?? new Date().toISOString();
  const live = await liveWeights(store);
  const { rows, summary, observed } = await gatherLabels(store, r);
  // Current weights: an applied file's, else what the detectors gave (the median over labelled entities).
  const current: Record<string, number> = {};
  for (const [id, ws] of observed) current[id] = median(ws);
  if (live) Object.assign(current, live.scoring.weights);
  const threshold = live ? live.file.threshold : base.flag;
  const labelled: Row[] = [...rows.values()].map((row) => ({
    ...row,
    score: scoreIds(row.signals, current),
  }));
  const result = tune(labelled, {
    ...(r.lambda !== undefined ? { lambda: r.lambda } : {}),
    ...(r.minSupport !== undefined ? { minSupport: r.minSupport } : {}),
    ...(r.holdOut !== undefined ? { holdOut: r.holdOut } : {}),
    ...(r.beta !== undefined ? { beta: r.beta } : {}),
    current: { weights: current, threshold },
    scorer: scoreIds,
    now: at,
    revision: live?.file.revision ?? 0,
  });
  const newWeights = scoringOf(result.file).weights;
  const byCase = new Map<string, { label: 0 | 1; now: boolean; next: boolean }>();
  for (const row of labelled) {
    if (row.caseId === null) continue;
    const e = byCase.get(row.caseId) ?? { label: row.label, now: false, next: false };
    e.now ||= row.score >= threshold;
    e.next ||= scoreIds(row.signals, { ...current, ...newWeights }) >= result.file.threshold;
    byCase.set(row.caseId, e);
  }
  const casesWhere = (f: (e: { now: boolean; next: boolean }) => boolean, label: 0 | 1) =>
    [...byCase.entries()]
      .filter(([, e]) => e.label === label && f(e))
      .map(([id]) => id)
      .sort();
  const { gained, lost, ...rest } = result;
  const report: TuneReport = {
    ...rest,
    labels: summary,
    current: {
      source: live ? 'store' : 'detectors',
      revision: live?.file.revision ?? 0,
      hash: live?.hash ?? null,
    },
    entities: {
      gained: { malicious: gained.malicious.length, benign: gained.benign.length },
      lost: { malicious: lost.malicious.length, benign: lost.benign.length },
    },
    cases: {
      gained: {
        malicious: casesWhere((e) => e.next && !e.now, 1),
        benign: casesWhere((e) => e.next && !e.now, 0),
      },
      lost: {
        malicious: casesWhere((e) => e.now && !e.next, 1),
        benign: casesWhere((e) => e.now && !e.next, 0),
      },
    },
    store: await storeEffect(store, base, result.file, at, false, r.signal),
  };
  return { report, file: result.file };
}

export const weightsText = (file: WeightsFile): string => `${JSON.stringify(file, null, 2)}\n`;

/**
 * Makes a weights file live: recorded in the store (numbered one past the live revision), audited with
 * what it replaced, and every stored assessment it changes re-scored — one transaction.
 */
export async function applyWeights(
  store: Aggregates,
  base: ScoreThresholds,
  candidate: WeightsFile | { readonly text: string; readonly source: string },
  actor: string,
  options: { at?: string } = {},
): Promise<ApplyReport> {
  const parsed = 'text' in candidate ? parseWeightsFile(candidate.text, candidate.source) : candidate;
  const at = options.at ?? new Date().toISOString();
  return store.transaction(async (tx) => {
    const live = await liveWeights(tx);
    const file: WeightsFile = { ...parsed, revision: (live?.file.revision ?? 0) + 1 };
    const text = weightsText(file);
    const hash = createHash('sha256').update(text).digest('hex');
    await tx.cases.recordPolicy({
      name: 'weights',
      revision: String(file.revision),
      hash,
      kind: 'weights',
      text,
      appliedAt: at,
      actor,
    });
    const effect = await storeEffect(tx, base, file, at, true);
    const entry = await tx.audit.append({
      at,
      actor,
      action: 'weights.apply',
      subject: `weights:${file.revision}`,
      detail: {
        before: live
          ? {
              revision: live.file.revision,
              hash: live.hash,
              threshold: live.file.threshold,
              signals: live.scoring.weights,
            }
          : { revision: 0, hash: null, threshold: base.flag, signals: null },
        revision: file.revision,
        hash,
        threshold: file.threshold,
        signals: scoringOf(file).weights,
        evaluation: file.evaluation,
        rescored: effect.rescored,
      },
    });
    return {
      revision: file.revision,
      hash,
      threshold: file.threshold,
      signals: Object.keys(file.signals).length,
      store: effect,
      audit: { seq: entry.seq, hash: entry.hash },
    };
  });
}
