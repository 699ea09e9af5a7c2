/**
 * The detectors the product runs, in one explicit list, built from configuration. Building the
 * domain engine's indexes takes a moment, so it is built once per process and shared.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import {
  createDomainDetector,
  createDomainEngine,
  type DomainEngine,
  type DomainEngineConfig,
  defaultBrandsDir,
  loadBrandProfiles,
} from '../detect/domain/index.js';
import type { DeepPartial } from '../detect/domain/config.js';
import { DetectorRegistry } from '../detect/registry.js';
import { PrecursorError } from '../domain/index.js';

const engines = new Map<string, DomainEngine>();

/** The domain engine for this configuration (cached by brands path and engine settings). */
export function domainEngineFor(config: Config): DomainEngine {
  const brands = config.brands ?? defaultBrandsDir();
  const settings = (config.detectors.domain ?? {}) as DeepPartial<DomainEngineConfig>;
  const cacheKey = `${brands}\u0000${JSON.stringify(settings)}`;
  let engine = engines.get(cacheKey);
  if (!engine) {
    let profiles: ReturnType<typeof loadBrandProfiles>;
    try {
      profiles = loadBrandProfiles(brands);
    } catch (e) {
      throw new PrecursorError(
        'CONFIG_INVALID',
        `brand profiles: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    engine = createDomainEngine({ profiles, config: settings });
    engines.set(cacheKey, engine);
  }
  return engine;
}

export function buildRegistry(config: Config): DetectorRegistry {
  return new DetectorRegistry([createDomainDetector(domainEngineFor(config))]);
}
