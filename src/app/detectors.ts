/**
 * The detectors the product runs, in one explicit list, built from configuration. Building the
 * domain engine's indexes takes a moment, so it is built once per process and shared.
 * @module
 */
import { join } from 'node:path';
import type { Config } from '../config/config-schema.js';
import { type DeepPartial, domainConfigProblem } from '../detect/domain/config.js';
import { resolvePageConfig } from '../detect/page/page-config.js';
import { resolveTenantConfig } from '../detect/tenant/resolve-tenant-config.js';
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
import { PrecursorError } from '../domain/index.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import { packagePath } from './package-info.js';

const engines = new Map<string, DomainEngine>();

/** The detector sections `detectors.<id>` may hold. */
export const DETECTOR_IDS = ['domain', 'page', 'tenant'] as const;

/**
 * Validates every `detectors.<id>` section at start, before any command runs: an unknown detector
 * (`domian:`) or an unknown or mistyped key inside a section is CONFIG_INVALID naming it, instead of
 * a default silently kept (or, for the page detector, an error signal at the first page).
 */
export function validateDetectorConfig(config: Config): void {
  const bad = (m: string) => new PrecursorError('CONFIG_INVALID', `invalid configuration: detectors.${m}`);
  for (const [id, section] of Object.entries(config.detectors)) {
    if (!(DETECTOR_IDS as readonly string[]).includes(id))
      throw bad(`${id}: unknown detector (known: ${DETECTOR_IDS.join(', ')})`);
    if (id === 'domain') {
      const p = domainConfigProblem(section);
      if (p) throw bad(`domain: ${p}`);
    } else if (id === 'page') {
      try {
        resolvePageConfig(section);
      } catch (e) {
        throw bad(`page: ${(e as Error).message.replace(/^invalid page config at /, '')}`);
      }
    } else {
      try {
        resolveTenantConfig(section);
      } catch (e) {
        throw bad(`tenant: ${(e as Error).message.replace(/^tenant config: /, '')}`);
      }
    }
  }
}

/**
 * What the domain engine of a configuration is built from: plain data, so that a worker thread
 * (certificate-prejudge.ts) builds the very engine the detectors use.
 */
export interface DomainEngineSpec {
  readonly brands: string;
  readonly settings: DeepPartial<DomainEngineConfig>;
}

export function domainEngineSpec(config: Config): DomainEngineSpec {
  // The engine's own flag threshold follows `scoring` unless the section sets one, so "flagged" means
  // the same to the engine (the tenant look-alike check) as to the assessment.
  const section = (config.detectors.domain ?? {}) as DeepPartial<DomainEngineConfig>;
  return {
    brands: config.brands ?? defaultBrandsDir(),
    settings: { ...section, thresholds: { ...config.scoring, ...section.thresholds } },
  };
}

/** The domain engine for this configuration (cached by brands path and engine settings). */
export function domainEngineFor(config: Config): DomainEngine {
  return domainEngineOf(domainEngineSpec(config));
}

/** The domain engine a spec describes (cached by brands path and engine settings). */
export function domainEngineOf({ brands, settings }: DomainEngineSpec): DomainEngine {
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

export async function buildRegistry(config: Config): Promise<DetectorRegistry> {
  const brands = await loadBrandCatalog(config.brands ?? defaultBrandsDir());
  const kits = await loadKitRules(config.kits ?? packagePath('kits'));
  const problems = [...brands.problems, ...kits.problems];
  if (problems.length > 0)
    throw new PrecursorError('CONFIG_INVALID', `page analysis data: ${problems.join('; ')}`);
  const page = createPageDetector({
    reader: new EvidenceStore(evidenceDir(config)),
    brands: brands.catalog,
    kitRules: kits.rules,
  });
  return new DetectorRegistry([createDomainDetector(domainEngineFor(config)), page]);
}
