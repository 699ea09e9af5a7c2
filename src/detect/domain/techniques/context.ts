/**
 * What every technique reads: the normalised name, the label the registrant chose, and the engine's
 * shared structures. Techniques are pure functions of this context.
 * @module
 */
import type { Signal } from '../../../domain/index.js';
import type { BrandIndex, BrandToken } from '../brand-index.js';
import type { DomainEngineConfig } from '../config.js';
import type { NormalizedName } from '../normalize.js';
import type { SkeletonMap } from '../skeleton.js';

export const DETECTOR_ID = 'domain';

/**
 * The label the registrant chose, alone: what most techniques read. Their findings depend on nothing
 * else, which is what lets the engine cache them per label.
 */
export interface LabelView {
  /** The label the registrant chose (Unicode): the registrable label, or the tenant label on a platform. */
  readonly target: string;
  /** `target` without hyphens. */
  readonly bare: string;
  /** Skeleton of `target` (hyphens kept). */
  readonly skeleton: string;
}

/** The whole name around the chosen label: for the techniques that read the rest of it. */
export interface NameView extends LabelView {
  readonly name: NormalizedName;
  /** Labels left of `target` (Unicode), left to right. */
  readonly subLabels: readonly string[];
  /** The shared-platform suffix the name sits under, if any (`workers.dev`). */
  readonly platform: string | undefined;
}

export interface Engine {
  readonly index: BrandIndex;
  readonly skeletons: SkeletonMap;
  readonly config: DomainEngineConfig;
}

/** A signal plus the brand token it is about, so the engine can name the brand. */
export interface Finding {
  readonly signal: Signal;
  readonly token?: BrandToken;
}

// The engine cites no evidence of its own (the pipeline adds the entity), so all its signals share one.
const NO_EVIDENCE: Signal['evidence'] = Object.freeze([]);

export function finding(id: string, weight: number, detail: string, token?: BrandToken): Finding {
  const signal: Signal = { id, detector: DETECTOR_ID, weight, detail, evidence: NO_EVIDENCE };
  return token ? { signal, token } : { signal };
}

export const quote = (s: string): string => `\`${s}\``;
export const brandName = (t: BrandToken): string =>
  t.role === 'brand'
    ? `brand ${quote(t.token)} (${t.brand.name})`
    : `${t.brand.name} product ${quote(t.token)}`;
