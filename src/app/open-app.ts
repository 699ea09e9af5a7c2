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
import { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';
import { JOB_KEYS, jobNamespace } from './scale-out/lock-keys.js';
import type { StreamSettings } from './scale-out/stream-layout.js';
import { PrecursorError } from '../domain/index.js';

export interface AppContext {
  readonly config: Config & { source: string | undefined };
  readonly pipeline: Pipeline;
  readonly logger: Logger;
  /** The scale-out mode's stream settings (`stream.url` set), else undefined: the embedded mode. */
  readonly stream?: StreamSettings | undefined;
  close(): Promise<void>;
}

const isPostgres = (url: string | undefined) => url !== undefined && /^postgres(ql)?:\/\//.test(url);

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
  const stream: StreamSettings | undefined = config.stream.url
    ? { ...config.stream, url: config.stream.url }
    : undefined;
  if (stream && !isPostgres(config.database.url))
    throw new PrecursorError(
      'CONFIG_INVALID',
      'invalid configuration: stream.url (PRECURSOR_STREAM_URL) needs a PostgreSQL store: set database.url (PRECURSOR_DATABASE_URL) to postgres://…',
    );
  const store = await openStore({
    home: config.home,
    databaseUrl: config.database.url,
    schema: config.database.schema,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  // Processes sharing a PostgreSQL store never run one job at once (each takes the job's advisory lock).
  // The PostgreSQL and NATS clients load only when configured: most commands run on SQLite alone.
  const locks = isPostgres(config.database.url)
    ? (await import('../store/postgres/lock-session.js')).openJobLocks(
        config.database.url as string,
        jobNamespace(config.database.schema),
      )
    : undefined;
  const publisher = stream ? (await import('./scale-out/publisher.js')).createPublisher(stream) : undefined;
  const pipelineOptions: PipelineOptions = {
    ...(locks ? { exclusive: (job, fn) => locks.exclusive(JOB_KEYS[job], fn) } : {}),
    ...(publisher ? { sink: publisher.sink(store) } : {}),
  };
  const pipeline = createPipeline(store, () => buildRegistry(config), config, pipelineOptions);
  return {
    config,
    pipeline,
    logger,
    stream,
    async close() {
      await publisher?.close();
      await locks?.close();
      await store.close();
    },
  };
}
