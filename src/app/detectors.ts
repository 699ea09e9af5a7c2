/**
 * The detectors the product runs, in one explicit list, built from configuration. Building the
 * domain engine's indexes takes a moment, so it is built once per process and shared.
 * @module
 */
import { join } from 'node:path';
import type { Config } from '../config/config-schema.js';
import type { DeepPartial } from '../detect/domain/config.js';
import {
  createDomainDetector,
  createDomainEngine,
  type DomainEngine,
  type DomainEngineConfig,
  defaultBrandsDir,
  loadBrandProfiles,
} from '../detect/domain/index.js';
import { loadBrandCatalog } from '../detect/page/brand-catalog.js';
import { loadKitRules } from '../detect/page/kit-rules.js';
import { createPageDetector } from '../detect/page/page-detector.js';
import { DetectorRegistry } from '../detect/registry.js';
import { type EntityKey, PrecursorError } from '../domain/index.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import type { Aggregates } from '../store/store.js';
import { packagePath } from './package-info.js';

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
        {
          cause: e,
        },
      );
    }
    engine = createDomainEngine({ profiles, config: settings });
    engines.set(cacheKey, engine);
  }
  return engine;
}

/** Where crawl evidence lives: content-addressed files under the data directory. */
export const evidenceDir = (config: Config): string => join(config.home, 'evidence');

export async function buildRegistry(
  config: Config,
  store: Pick<Aggregates, 'assessments'>,
): Promise<DetectorRegistry> {
  const brands = await loadBrandCatalog(config.brands ?? defaultBrandsDir());
  const kits = await loadKitRules(config.kits ?? packagePath('kits'));
  const problems = [...brands.problems, ...kits.problems];
  if (problems.length > 0)
    throw new PrecursorError('CONFIG_INVALID', `page analysis data: ${problems.join('; ')}`);
  const page = createPageDetector({
    reader: new EvidenceStore(evidenceDir(config)),
    brands: brands.catalog,
    kitRules: kits.rules,
    // The page verdict weighs what the name itself says (a new lookalike behind a gate ≫ a gate).
    nameSignals: async (host) =>
      (await store.assessments.signalsOf([`domain:${host}` as EntityKey])).get(
        `domain:${host}` as EntityKey,
      ) ?? [],
  });
  return new DetectorRegistry([createDomainDetector(domainEngineFor(config)), page]);
}
