/**
 * What a decision teaches the rest of the pipeline, written in the decision's transaction:
 *
 * - benign: each member gets a `review.benign` signal whose negative weight cancels the score it had
 *   when a human looked at it, so the same evidence no longer flags it (new, stronger evidence still
 *   can: the weight is what was judged, not a permanent zero); the members and the pivot values that
 *   tied two or more of them are recorded as suppressions, which the correlation stage reads so the
 *   next recluster does not glue the same honest things together;
 * - malicious: each member gets a `review.malicious` signal (a human confirmed it), the case's
 *   entities are published through the `IntelPublisher` port;
 * - a reversal undoes the previous decision's effects: suppressions lifted, review signals withdrawn,
 *   published intel revoked.
 *
 * The detect stage keeps other detectors' signals when it re-scores an entity, so a review signal
 * stays part of every later assessment until a reversal withdraws it.
 * @module
 */
import { assess, learnedThresholds, type ScoreThresholds } from '../detect/score.js';
import type { Assessment, Decision, EntityKey, Signal, Tlp } from '../domain/index.js';
import type { Aggregates, CaseDecision, StoredCase, Suppression } from '../store/store.js';
import type { IntelPublisher } from './intel-port.js';
import { learnedScoring } from './weights-source.js';

export const REVIEW_DETECTOR = 'review';
/** Members whose links are read to find the pivots that tied them (bounded: a huge case is rare). */
const MAX_PIVOT_SCAN = 2_000;
/** Weight multiplier kept on a pivot a benign decision suppressed (the correlation stage applies it). */
export const BENIGN_PIVOT_FACTOR = 0.1;

export interface FeedbackInput {
  readonly case: StoredCase;
  readonly as: Decision;
  readonly previous: CaseDecision | null;
  readonly actor: string;
  readonly at: string;
  readonly tlp: Tlp;
  readonly thresholds: ScoreThresholds;
  readonly intel: IntelPublisher | undefined;
}

export interface FeedbackReport {
  readonly suppressed: number;
  readonly lifted: number;
  readonly rescored: number;
  /** Entities tied to the members that were re-scored (a malicious decision, or its reversal). */
  readonly linked: number;
  readonly published: boolean;
  readonly revoked: boolean;
}

export async function applyFeedback(tx: Aggregates, f: FeedbackInput): Promise<FeedbackReport> {
  const c = f.case;
  const keys = c.detail.members.map((m) => m.key);
  let lifted = 0;
  let revoked = false;
  if (f.previous?.as === 'benign' && f.as !== 'benign') lifted = await tx.cases.liftSuppressions(c.id, f.at);
  if (f.previous?.as === 'malicious' && f.as !== 'malicious' && f.intel !== undefined) {
    await f.intel.revoke(tx, {
      caseId: c.id,
      at: f.at,
      actor: f.actor,
      reason: `decision reversed to ${f.as}`,
    });
    revoked = true;
  }
  let suppressed = 0;
  let published = false;
  let signal: ((key: EntityKey, score: number) => Signal) | undefined;
  if (f.as === 'benign') {
    const rows = await suppressionsFor(tx, c, f);
    await tx.cases.suppress(rows);
    suppressed = rows.length;
    signal = (_key, score) => ({
      id: 'review.benign',
      detector: REVIEW_DETECTOR,
      weight: -Math.max(1, Math.min(100, Math.ceil(score))),
      detail: `decided benign by ${f.actor} in case ${c.id} on ${f.at.slice(0, 10)}`,
      evidence: [{ kind: 'text', value: `case:${c.id}` }],
    });
  } else if (f.as === 'malicious') {
    signal = () => ({
      id: 'review.malicious',
      detector: REVIEW_DETECTOR,
      weight: 90,
      detail: `confirmed malicious by ${f.actor} in case ${c.id} on ${f.at.slice(0, 10)}`,
      evidence: [{ kind: 'text', value: `case:${c.id}` }],
    });
  }
  // Escalated and reversals without a new verdict withdraw the review signal; a verdict replaces it.
  const touch = signal !== undefined || f.previous?.as === 'benign' || f.previous?.as === 'malicious';
  const rescored = touch ? await rescore(tx, keys, signal, f) : 0;
  // Entities tied to a confirmed member (directly, or through a shared certificate, device, wallet …)
  // get a `review.linked` signal scaled by the tie's strength and are re-scored; a reversal withdraws it.
  const linked =
    f.as === 'malicious'
      ? await rescoreLinked(tx, c, f, true)
      : f.previous?.as === 'malicious'
        ? await rescoreLinked(tx, c, f, false)
        : 0;
  if (f.as === 'malicious' && f.intel !== undefined) {
    await f.intel.publish(tx, {
      caseId: c.id,
      campaignId: c.campaignId,
      entityKeys: keys,
      tlp: f.tlp,
      decidedAt: f.at,
      actor: f.actor,
    });
    published = true;
  }
  return { suppressed, lifted, rescored, linked, published, revoked };
}

async function rescore(
  tx: Aggregates,
  keys: readonly EntityKey[],
  signal: ((key: EntityKey, score: number) => Signal) | undefined,
  f: FeedbackInput,
): Promise<number> {
  if (keys.length === 0) return 0;
  const present = await tx.entities.getMany(keys);
  const known = keys.filter((k) => present.has(k));
  const current = await tx.assessments.signalsOf(known);
  const scoreOf = new Map(f.case.detail.members.map((m) => [m.key, m.score]));
  // Scored as the detect stage scores: with the learned weights in force, if any.
  const learned = await learnedScoring(tx);
  const thresholds = learnedThresholds(f.thresholds, learned);
  const replacements = [];
  const assessments: Assessment[] = [];
  for (const key of known) {
    const others = (current.get(key) ?? []).filter((s) => s.detector !== REVIEW_DETECTOR);
    const own = signal === undefined ? [] : [signal(key, scoreOf.get(key) ?? 0)];
    replacements.push({ entity: key, detectors: [REVIEW_DETECTOR], signals: own, observedAt: f.at });
    assessments.push(assess(key, [...others, ...own], f.at, thresholds, learned?.weights));
  }
  await tx.assessments.replaceSignals(replacements);
  await tx.assessments.write(assessments);
  return assessments.length;
}

/** Detector of the linked-entity signal: its own, so replacing it never touches an entity's own verdict. */
export const LINKED_DETECTOR = 'review-linked';
/** Weight of `review.linked` at tie strength 1 (a tie alone never flags; with other evidence it may). */
const LINKED_WEIGHT = 40;
const LINKED_MIN_WEIGHT = 5;
const MAX_LINKED = 5_000;
/** Links followed from one shared attribute (a certificate, device, IP) to the entities it ties. */
const MAX_FAN_OUT = 200;
const SCORED_TYPES = new Set(['domain', 'account', 'url']);

async function rescoreLinked(tx: Aggregates, c: StoredCase, f: FeedbackInput, add: boolean): Promise<number> {
  const members = new Set<string>(c.detail.members.map((m) => m.key));
  const best = new Map<EntityKey, { strength: number; via: string }>();
  const consider = (key: EntityKey, strength: number, via: string) => {
    if (members.has(key) || !SCORED_TYPES.has(key.slice(0, key.indexOf(':')))) return;
    const prev = best.get(key);
    if (!prev || strength > prev.strength) best.set(key, { strength, via });
  };
  const other = (l: { from: EntityKey; to: EntityKey }, k: string) => (l.from === k ? l.to : l.from);
  for (const m of [...members].slice(0, MAX_PIVOT_SCAN)) {
    for (const l of await tx.entities.links(m as EntityKey)) {
      const n1 = other(l, m);
      if (members.has(n1)) continue;
      if (SCORED_TYPES.has(n1.slice(0, n1.indexOf(':')))) {
        consider(n1, l.strength, m);
        continue;
      }
      // A shared attribute: the entities it ties, at the weaker of the two ties.
      for (const l2 of (await tx.entities.links(n1)).slice(0, MAX_FAN_OUT))
        consider(other(l2, n1), Math.min(l.strength, l2.strength), n1);
    }
    if (best.size >= MAX_LINKED) break;
  }
  const strong = [...best.entries()].filter(
    ([, b]) => Math.round(LINKED_WEIGHT * b.strength) >= LINKED_MIN_WEIGHT,
  );
  if (strong.length === 0) return 0;
  const present = await tx.entities.getMany(strong.map(([k]) => k));
  const targets = strong.filter(([k]) => present.has(k));
  const keys = targets.map(([k]) => k);
  const current = await tx.assessments.signalsOf(keys);
  const learned = await learnedScoring(tx);
  const thresholds = learnedThresholds(f.thresholds, learned);
  const replacements = [];
  const assessments: Assessment[] = [];
  for (const [key, b] of targets) {
    const signals = current.get(key) ?? [];
    const mine = signals.find((s) => s.detector === LINKED_DETECTOR);
    const fromThisCase = mine?.evidence.some((e) => e.kind === 'text' && e.value === `case:${c.id}`) ?? false;
    // A reversal withdraws only what this case gave; another case's tie stays.
    if (!add && !fromThisCase) continue;
    const own: Signal[] = add
      ? [
          {
            id: 'review.linked',
            detector: LINKED_DETECTOR,
            weight: Math.max(mine && !fromThisCase ? mine.weight : 0, Math.round(LINKED_WEIGHT * b.strength)),
            detail: `tied (via ${b.via}, strength ${b.strength.toFixed(2)}) to an entity confirmed malicious by ${f.actor} in case ${c.id}`,
            evidence: [{ kind: 'text', value: `case:${c.id}` }],
          },
        ]
      : [];
    const others = signals.filter((s) => s.detector !== LINKED_DETECTOR);
    replacements.push({ entity: key, detectors: [LINKED_DETECTOR], signals: own, observedAt: f.at });
    assessments.push(assess(key, [...others, ...own], f.at, thresholds, learned?.weights));
  }
  await tx.assessments.replaceSignals(replacements);
  await tx.assessments.write(assessments);
  return assessments.length;
}

/** The members themselves, and every entity linked to two or more of them (the pivots that tied them). */
async function suppressionsFor(tx: Aggregates, c: StoredCase, f: FeedbackInput): Promise<Suppression[]> {
  const members = new Set<string>(c.detail.members.map((m) => m.key));
  const base = { caseId: c.id, at: f.at, actor: f.actor, liftedAt: null };
  const out: Suppression[] = [...members].map((key) => ({
    ...base,
    key,
    kind: 'entity' as const,
    factor: 0,
    reason: `decided benign in case ${c.id}`,
  }));
  const touching = new Map<string, Set<string>>();
  for (const m of [...members].slice(0, MAX_PIVOT_SCAN)) {
    for (const l of await tx.entities.links(m as EntityKey)) {
      const other = l.from === m ? l.to : l.from;
      const seen = touching.get(other) ?? new Set<string>();
      seen.add(m);
      touching.set(other, seen);
    }
  }
  for (const [key, by] of touching) {
    if (by.size < 2) continue;
    out.push({
      ...base,
      key: `pivot:${key}`,
      kind: 'pivot',
      factor: BENIGN_PIVOT_FACTOR,
      reason: `tied ${by.size} members of case ${c.id}, decided benign`,
    });
  }
  return out;
}
