/**
 * The tenant stage of an app: configuration (`detectors.tenant`) and the domain engine wired in. The
 * CLI creates one per command; the server should create one per process and hand it to
 * `tenantRoutes` so the windows stay in memory between requests.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { scorerFromDomainEngine } from '../detect/tenant/domain-scorer.js';
import { resolveTenantConfig } from '../detect/tenant/resolve-tenant-config.js';
import { TenantStage, type TenantStageOptions } from '../detect/tenant/tenant-stage.js';
import { decodeStoredTenantEvent } from '../ingest/sources/tenant/tenant-source.js';
import { learnedScoring } from '../review/weights-source.js';
import type { Store } from '../store/store.js';
import { domainEngineFor } from './detectors.js';
import { pivotModelFor } from './pivots-for.js';

export function tenantStageFor(
  store: Store,
  config: Config,
  options: Pick<TenantStageOptions, 'commitAfterMs'> = {},
): TenantStage {
  return new TenantStage(store, {
    ...options,
    config: resolveTenantConfig(config.detectors.tenant),
    scoreDomain: scorerFromDomainEngine(domainEngineFor(config)),
    decodeEvent: decodeStoredTenantEvent,
    pivots: pivotModelFor(config),
    learned: () => learnedScoring(store),
  });
}
