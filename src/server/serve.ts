/**
 * Runs the app on a Node HTTP server until a signal asks it to stop.
 * @module
 */
import { serve } from '@hono/node-server';
import type { AppContext } from '../app/open-app.js';
import { PACKAGE_VERSION, packagePath } from '../app/package-info.js';
import { createApp } from './app.js';
import { PrecursorError } from '../domain/index.js';
import { tenantStageFor } from '../app/tenant-stage-for.js';
import { checkLivePolicyTargets, checkReviewTargets } from '../app/review-service-for.js';
import { startOutboxWorker } from '../app/outbox-worker.js';
import type { RouteDef } from './route.js';
import type { TenantStage } from '../detect/tenant/tenant-stage.js';
import { tenantRoutes } from './routes/tenant-routes.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(
  app: AppContext,
  options: {
    host?: string;
    port?: number;
    extraRoutes?: readonly RouteDef<never, never, never>[];
    /** The process's tenant stage, when the caller runs one too (one per process: it holds windows). */
    tenant?: TenantStage;
    /** The clock feed lag is measured against (see `AppOptions.now`). */
    now?: () => Date;
    /** How fast `now` runs (see `AppOptions.clockRate`). */
    clockRate?: () => number;
  } = {},
): Promise<RunningServer> {
  // A long-running server builds its detectors before it listens, so a broken brand profile stops it
  // at start rather than at the first ingest.
  await app.pipeline.registry();
  checkReviewTargets(app.config);
  await checkLivePolicyTargets(app.pipeline.store, app.config);
  // One tenant stage per process: its windows live in memory between requests.
  const tenant = options.tenant ?? tenantStageFor(app.pipeline.store, app.config);
  const hono = createApp({
    pipeline: app.pipeline,
    logger: app.logger,
    version: PACKAGE_VERSION,
    webRoot: packagePath('web', 'dist'),
    bodyLimit: app.config.server.bodyLimit,
    ...(options.now ? { now: options.now } : {}),
    ...(options.clockRate ? { clockRate: options.clockRate } : {}),
    extraRoutes: [
      ...(tenantRoutes(app.pipeline, tenant) as unknown as RouteDef<never, never, never>[]),
      ...(options.extraRoutes ?? []),
    ],
  });
  const host = options.host ?? app.config.server.host;
  const port = options.port ?? app.config.server.port;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: hono.fetch, hostname: host, port }, (info) => {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
      app.logger.info({ url, store: app.pipeline.store.capabilities.dialect }, 'listening');
      // The outbox is delivered by the serving process (in the scale-out mode, by each worker).
      const outbox = startOutboxWorker(app);
      resolve({
        url,
        port: info.port,
        close: async () => {
          await outbox.stop();
          await new Promise<void>((res) => server.close(() => res()));
          await tenant.persist();
        },
      });
    });
    server.once('error', (e: NodeJS.ErrnoException) => {
      // A busy or privileged port is the operator's to fix, not a crash: say which address and why.
      const why =
        e.code === 'EADDRINUSE'
          ? 'the address is already in use'
          : e.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : e.code === 'EADDRNOTAVAIL'
              ? 'no such local address'
              : e.message;
      reject(new PrecursorError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${why}`, { cause: e }));
    });
  });
}

/** Resolves on the first SIGINT/SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
