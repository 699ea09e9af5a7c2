/**
 * The detector contract. Detectors are pure: `(subject, context) → signals`. They read the world only
 * through `DetectContext`, never a database handle, so they run the same in a test, in the embedded
 * pipeline and on a scale-out worker.
 * @module
 */
import type { Entity, EntityKey, EntityType, Link, Signal } from '../domain/index.js';

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
}

export interface Detector {
  /** Stable id; signals it emits are namespaced under it (`domain`, `page`, `tenant.velocity`, …). */
  readonly id: string;
  readonly entityTypes: readonly EntityType[];
  detect(subject: DetectSubject, ctx: DetectContext): readonly Signal[] | Promise<readonly Signal[]>;
}
