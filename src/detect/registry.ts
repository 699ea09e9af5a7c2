/**
 * The detector registry: an explicit, typed list (no registration by import side effects), indexed by
 * the entity types each detector wants.
 * @module
 */
import type { EntityType, Signal } from '../domain/index.js';
import type { DetectContext, DetectSubject, Detector } from './detector.js';

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
    const out: Signal[] = [];
    for (const d of this.for(subject.type)) {
      try {
        out.push(...(await d.detect(subject, ctx)));
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
    return out;
  }
}
