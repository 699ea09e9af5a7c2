/**
 * The detector registry: an explicit, typed list (no registration by import side effects), indexed by
 * the entity types each detector wants.
 * @module
 */
import type { EntityType, Signal } from '../domain/index.js';
import type { DerivedLink, DetectContext, DetectSubject, Detector } from './detector.js';

/** Every detector's signals about a subject, and the links the link-deriving ones derived. */
export interface RegistryResult {
  readonly signals: Signal[];
  /**
   * By detector id, for each detector that derives links and ran to completion: the subject's links
   * as that detector sees them now (an empty list withdraws what it derived before).
   */
  readonly links: Map<string, readonly DerivedLink[]>;
}

export class DetectorRegistry {
  readonly #byType = new Map<EntityType, Detector[]>();
  readonly #ids = new Set<string>();

  constructor(detectors: readonly Detector[] = []) {
    for (const d of detectors) this.register(d);
  }

  register(detector: Detector): this {
    if (this.#ids.has(detector.id)) throw new Error(`detector id '${detector.id}' is registered twice`);
    this.#ids.add(detector.id);
    for (const t of detector.entityTypes) {
      const list = this.#byType.get(t) ?? [];
      list.push(detector);
      this.#byType.set(t, list);
    }
    return this;
  }

  ids(): string[] {
    return [...this.#ids];
  }

  for(type: EntityType): readonly Detector[] {
    return this.#byType.get(type) ?? [];
  }

  /**
   * Runs every detector for the subject's type. A detector that throws yields an `detector.error`
   * signal of weight 0 instead of sinking the batch: the failure stays visible in the explanation.
   */
  async run(subject: DetectSubject, ctx: DetectContext): Promise<Signal[]> {
    return (await this.analyze(subject, ctx)).signals;
  }

  /**
   * `run`, plus the links the link-deriving detectors derived. A detector that throws keeps the links
   * it derived before (its failure says nothing about them).
   */
  async analyze(subject: DetectSubject, ctx: DetectContext): Promise<RegistryResult> {
    const out: Signal[] = [];
    const links = new Map<string, readonly DerivedLink[]>();
    for (const d of this.for(subject.type)) {
      try {
        if (d.derivesLinks) {
          const r = await d.detect(subject, ctx);
          out.push(...r.signals);
          links.set(d.id, r.links);
        } else out.push(...(await d.detect(subject, ctx)));
      } catch (e) {
        out.push({
          id: 'detector.error',
          detector: d.id,
          weight: 0,
          detail: `detector ${d.id} failed on ${subject.key}: ${e instanceof Error ? e.message : String(e)}`,
          evidence: [],
        });
      }
    }
    return { signals: out, links };
  }
}
