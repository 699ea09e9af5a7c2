/**
 * The assessments aggregate: each detector's current signals about an entity, the entity's latest
 * assessment, and the history of its score and flag.
 * @module
 */
import type { Assessment, EntityKey, Signal } from '../domain/index.js';
import type { WriteHints } from './entities.js';

export interface SignalReplacement {
  readonly entity: EntityKey;
  /** Signals previously written by these detectors for the entity are replaced by `signals`. */
  readonly detectors: readonly string[];
  readonly signals: readonly Signal[];
  readonly observedAt: string;
}

/**
 * @example
 * ```ts
 * const previous = await store.assessments.signalsOf(['domain:rnicrosoft.com']);
 * await store.assessments.write([assess('domain:rnicrosoft.com', signals, now, thresholds)]);
 * ```
 */
export interface AssessmentStore {
  /** Current signals of the given entities, all detectors. */
  signalsOf(keys: readonly EntityKey[]): Promise<Map<EntityKey, Signal[]>>;
  replaceSignals(replacements: readonly SignalReplacement[], hints?: WriteHints): Promise<void>;
  /** Writes assessments; a history row is added only when score or flag changed. */
  write(assessments: readonly Assessment[], hints?: WriteHints): Promise<void>;
  get(key: EntityKey): Promise<Assessment | undefined>;
  /** The latest assessments of the given entities (absent keys are missing from the map). */
  getMany(keys: readonly EntityKey[]): Promise<Map<EntityKey, Assessment>>;
  /** Keys of the entities holding a signal from `detector` (how a stage finds what it said before). */
  keysWithSignalsFrom(detector: string): Promise<EntityKey[]>;
  /** Keys of the entities holding any signal with one of these ids (what re-weighting a signal touches). */
  keysWithSignals(signalIds: readonly string[]): Promise<EntityKey[]>;
  /** Every change of score or flag, oldest first. */
  history(key: EntityKey): Promise<Assessment[]>;
}
