/**
 * Signals and assessments: the explanation is the product, so every number carries its reason.
 * @module
 */
import type { EntityKey } from './entity.js';

/** A reference to what a signal was derived from. */
export type EvidenceRef =
  | { kind: 'observation'; dedupeKey: string }
  | { kind: 'entity'; key: EntityKey }
  | { kind: 'snapshot'; sha256: string }
  | { kind: 'text'; value: string };

export interface Signal {
  /** Namespaced, stable id, e.g. `domain.homoglyph`, `page.gate.turnstile`. */
  readonly id: string;
  /** The detector that produced it. */
  readonly detector: string;
  /** -100..100; negative weights are exculpatory (e.g. an old registration). */
  readonly weight: number;
  /** A sentence a person can read. */
  readonly detail: string;
  readonly evidence: readonly EvidenceRef[];
}

export type Verdict = 'benign' | 'suspicious' | 'malicious';

export interface Contribution {
  readonly id: string;
  readonly detector: string;
  readonly weight: number;
  /** Points of the final score attributed to this signal; contributions add up to the score. */
  readonly points: number;
  readonly detail: string;
  readonly evidence: readonly EvidenceRef[];
}

export interface Assessment {
  readonly entity: EntityKey;
  /** 0..100 */
  readonly score: number;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  readonly contributions: readonly Contribution[];
  /** Event time of the newest evidence considered. */
  readonly assessedAt: string;
}
