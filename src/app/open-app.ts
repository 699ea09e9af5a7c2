/**
 * The composition root shared by the CLI and the server: configuration → store → detectors →
 * pipeline. Nothing below this file picks an implementation.
 * @module
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { openStore } from '../store/open-store.js';
import { buildRegistry, validateDetectorConfig } from './detectors.js';
import { createLogger } from './logger.js';
import { createPipeline, type Pipeline } from './pipeline.js';

export interface AppContext {
  readonly config: Config & { source: string | undefined };
  readonly pipeline: Pipeline;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  readonly configFile?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Overrides applied after file and environment (CLI flags). */
  readonly overrides?: { home?: string | undefined; databaseUrl?: string | undefined };
  readonly logStream?: NodeJS.WritableStream;
  /** The caller only reads: the store is opened read-only and never migrated (see `openStore`). */
  readonly readOnly?: boolean;
}

export async function openApp(options: OpenAppOptions = {}): Promise<AppContext> {
  const env = { ...(options.env ?? process.env) };
  if (options.overrides?.home) env.PRECURSOR_HOME = options.overrides.home;
  if (options.overrides?.databaseUrl) env.PRECURSOR_DATABASE_URL = options.overrides.databaseUrl;
  const config = loadConfig({ file: options.configFile, env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  validateDetectorConfig(config);
  const logger = createLogger(config.log.level, options.logStream);
  const store = await openStore({
    home: config.home,
    databaseUrl: config.database.url,
    schema: config.database.schema,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  const pipeline = createPipeline(store, () => buildRegistry(config, store), config);
  return {
    config,
    pipeline,
    logger,
    close: () => store.close(),
  };
}
