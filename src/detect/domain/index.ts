/**
 * The domain engine: lookalike, combosquat and lure scoring of host names. See docs/brands.md.
 * @module
 */
export { type BrandProfile, loadBrandProfiles, parseBrandProfile } from './brand-profiles.js';
export { DEFAULT_DOMAIN_CONFIG, type DomainEngineConfig, resolveDomainConfig } from './config.js';
export { createDomainDetector } from './detector.js';
export {
  createDomainEngine,
  type DomainEngine,
  type DomainEngineOptions,
  type DomainFacts,
  type DomainScore,
  type DomainScoreError,
  type DomainScoreErrorCode,
  type DomainScoreResult,
} from './engine.js';
export {
  type EvaluateNamesOptions,
  evaluateNames,
  type LabelledName,
  type NameEvaluation,
  parseNameList,
} from './evaluate.js';
export { type ExtractResult, extractHosts } from './extract-host.js';
export { type NormalizedName, type NormalizeResult, normalizeHost } from './normalize.js';
export { defaultBrandsDir } from './package-paths.js';
export { DOMAIN_SIGNALS, type DomainSignalId } from './signal-ids.js';
