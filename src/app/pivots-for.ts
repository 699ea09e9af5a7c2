/**
 * The pivot model and the extractor of an app's configuration: link strengths from `pivots`, tenant
 * identity rules from `detectors.tenant.identity` — the same the tenant detectors use, so the entity
 * keys and link strengths the detect stage writes agree with theirs.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { createPivotModel, type PivotModel } from '../correlate/pivots.js';
import { resolveTenantConfig } from '../detect/tenant/resolve-tenant-config.js';
import type { Extraction, Observation } from '../domain/index.js';
import { createExtractor } from '../ingest/extract.js';

const models = new WeakMap<Config, PivotModel>();
const extractors = new WeakMap<Config, (o: Observation) => Extraction>();

export function pivotModelFor(config: Config): PivotModel {
  let model = models.get(config);
  if (!model) {
    model = createPivotModel(config.pivots);
    models.set(config, model);
  }
  return model;
}

export function extractorFor(config: Config): (o: Observation) => Extraction {
  let extract = extractors.get(config);
  if (!extract) {
    extract = createExtractor({
      pivots: pivotModelFor(config),
      identity: resolveTenantConfig(config.detectors.tenant).identity,
    });
    extractors.set(config, extract);
  }
  return extract;
}
