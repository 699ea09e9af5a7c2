/**
 * Adapts the domain engine (`createDomainEngine`, src/detect/domain) to the tenant state's
 * `DomainScorer`, structurally, so the tenant work does not depend on the engine's module.
 * @module
 */
import type { DomainScorer } from './tenant-state.js';

/** The part of the domain engine this needs. */
export interface DomainEngineLike {
  score(
    nameOrUrl: string,
  ): { ok: true; score: number; flagged: boolean; brand: { name: string } | null } | { ok: false };
}

export function scorerFromDomainEngine(engine: DomainEngineLike): DomainScorer {
  return (domain) => {
    const r = engine.score(domain);
    return r.ok ? { score: r.score, flagged: r.flagged, brand: r.brand?.name } : undefined;
  };
}
