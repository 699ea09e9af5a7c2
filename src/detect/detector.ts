/**
 * The detector contract. Detectors are pure: `(subject, context) → signals`. They read the world only
 * through `DetectContext`, never a database handle, so they run the same in a test, in the embedded
 * pipeline and on a scale-out worker.
 * @module
 */
import type { Entity, EntityKey, EntityType, Link, PlainPivot, Signal } from '../domain/index.js';

/** What a detector is asked about: an entity as the store knows it. */
export type DetectSubject = Pick<Entity, 'key' | 'type' | 'display' | 'attrs'>;

export interface DetectContext {
  /** Event time of the evidence that triggered this run (never the wall clock). */
  readonly now: string;
  /** Detector-specific configuration, by detector id; validated by the detector itself. */
  config<T = unknown>(detectorId: string): T | undefined;
  /** Read-only look-ups of the neighbourhood, for detectors that need it. */
  entity(key: EntityKey): Promise<Entity | undefined>;
  links(key: EntityKey): Promise<readonly Link[]>;
  /**
   * The signals stored for an entity: what every detector said of it when it was last assessed (the
   * page detector weighs the domain engine's signals for the page's host). Read where the stage reads
   * everything else — inside its transaction — so a detector never reaches for a store handle of its own.
   */
  signals(key: EntityKey): Promise<readonly Signal[]>;
}

/**
 * A link a detector derives from what it analysed: from the subject to `to` (created if new) through
 * `pivot`. Its strength is the pivot model's, and its provenance `detector:<id>`.
 */
export interface DerivedLink {
  readonly to: EntityKey;
  readonly pivot: PlainPivot;
}

/** What a detector that derives links returns: its signals and the subject's links as it sees them now. */
export interface Detection {
  readonly signals: readonly Signal[];
  readonly links: readonly DerivedLink[];
}

interface DetectorBase {
  /** Stable id; signals it emits are namespaced under it (`domain`, `page`, `tenant.velocity`, …). */
  readonly id: string;
  readonly entityTypes: readonly EntityType[];
}

/** A detector that judges: signals only. */
export interface SignalDetector extends DetectorBase {
  readonly derivesLinks?: false;
  detect(subject: DetectSubject, ctx: DetectContext): readonly Signal[] | Promise<readonly Signal[]>;
}

/**
 * A detector that also derives links from what it analysed. Each run replaces the links it derived
 * from the subject before (a page re-analysed with new kit rules is re-linked), so the links follow
 * the stored facts and the current rules.
 */
export interface LinkingDetector extends DetectorBase {
  readonly derivesLinks: true;
  detect(subject: DetectSubject, ctx: DetectContext): Detection | Promise<Detection>;
}

export type Detector = SignalDetector | LinkingDetector;
