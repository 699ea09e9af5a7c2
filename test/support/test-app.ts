/**
 * The HTTP app the API tests call in-process (`app.request`, no socket): the embedded pipeline over a
 * test store with the given detectors, a silent logger and the default configuration unless one is given.
 * @module
 */
import { createLogger } from '../../src/app/logger.js';
import { createPipeline } from '../../src/app/pipeline.js';
import { type Config, ConfigSchema } from '../../src/config/config-schema.js';
import type { Detector } from '../../src/detect/detector.js';
import { DetectorRegistry } from '../../src/detect/registry.js';
import { type AppOptions, createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';

export function testApp(
  store: Store,
  detectors: readonly Detector[] = [],
  config: Config = ConfigSchema.parse({}),
  /** Another clock than the wall's (as the live demo's replay clock). */
  clock: Pick<AppOptions, 'now' | 'clockRate'> = {},
): ReturnType<typeof createApp> {
  const pipeline = createPipeline(store, async () => new DetectorRegistry(detectors), config);
  return createApp({ pipeline, logger: createLogger('silent'), version: 'test', ...clock });
}
