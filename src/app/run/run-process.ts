/**
 * `precursor run`: the embedded mode's one long-running process — the server, the configured feeds,
 * the tenant stage and detect over what they commit, the crawl and enrichment queues, and the later
 * stages (incremental after each detect, periodic on a slower clock) — until SIGINT/SIGTERM. Every
 * part resumes from what the store holds (feed checkpoints, stage cursors and state, queue items), so
 * a stopped or killed process continues where it committed.
 * @module
 */
import type { Observation } from '../../domain/index.js';
import { SsrfGuard } from '../../ingest/crawl/ssrf-guard.js';
import { type RunningServer, startServer } from '../../server/serve.js';
import { createCrawlWorker } from '../crawl-worker.js';
import { laterStages } from '../later-stages.js';
import type { AppContext } from '../open-app.js';
import { tenantStageFor } from '../tenant-stage-for.js';
import { createEnrichRound } from './enrich-round.js';
import { feedName, runFeed, validateFeeds } from './feeds.js';
import { Ticker } from './ticker.js';

export interface RunProcessOptions {
  readonly cwd: string;
  readonly host?: string;
  readonly port?: number;
  /** Told once the server listens (URL) and as feeds and jobs report trouble. */
  readonly say: (line: string) => void;
}

export interface RunHandle {
  readonly server: RunningServer;
  /** Stops every feed and job, persists the tenant stage's windows, closes the server. */
  stop(): Promise<void>;
}

export async function startRunProcess(app: AppContext, o: RunProcessOptions): Promise<RunHandle> {
  const settings = app.config.run;
  validateFeeds(settings.feeds, o.cwd);
  const store = app.pipeline.store;
  const tenant = tenantStageFor(store, app.config);
  const server = await startServer(app, {
    tenant,
    ...(o.host ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
  });
  const ac = new AbortController();
  const signal = ac.signal;
  const warn = (what: string) => (e: unknown) => {
    app.logger.warn({ err: e }, `${what} failed`);
    o.say(`precursor: notice: ${what} failed: ${(e as Error).message}`);
  };
  const stages = laterStages(app);

  let tenantPending = true;
  const detect = new Ticker(
    settings.detectSeconds * 1000,
    async (s) => {
      if (tenantPending) {
        tenantPending = false;
        await tenant.run();
      }
      await app.pipeline.detect({ signal: s });
      for (const st of stages.afterDetect) await st.run(s);
    },
    warn('detect'),
  );
  const onCommitted = (obs: readonly Observation[]) => {
    if (obs.some((x) => x.kind === 'tenant-event')) tenantPending = true;
    detect.wake();
  };

  // In the scale-out mode the feeds publish and `precursor worker` processes run the stages.
  const streamed = app.pipeline.streamed;
  const jobs: Promise<void>[] = streamed ? [] : [detect.run(signal)];
  for (const f of settings.feeds)
    jobs.push(
      runFeed(app, f, {
        signal,
        onCommitted,
        pollMs: settings.pollSeconds * 1000,
        cwd: o.cwd,
        onError: (name, e) => warn(`feed ${name}`)(e),
      }),
    );
  if (settings.crawl.enabled) {
    const worker = createCrawlWorker(app, {
      guard: new SsrfGuard({ allowPrivate: app.config.crawl.allowPrivate }),
      concurrency: settings.crawl.concurrency,
    });
    const crawl = new Ticker(
      settings.crawl.everySeconds * 1000,
      async () => {
        const r = await worker.drain(settings.crawl.batch);
        if (r.claimed > 0) detect.wake();
        // A full batch means more is waiting: go again at once.
        if (r.claimed === settings.crawl.batch) crawl.wake();
      },
      warn('crawl'),
    );
    jobs.push(crawl.run(signal));
  }
  if (settings.enrich.enabled) {
    const round = createEnrichRound(app, settings.enrich, o.cwd);
    const enrich = new Ticker(
      settings.enrich.everySeconds * 1000,
      async (s) => {
        if ((await round(s)) > 0) detect.wake();
      },
      warn('enrich'),
    );
    jobs.push(enrich.run(signal));
  }
  for (const st of stages.periodic)
    jobs.push(new Ticker(settings.reclusterSeconds * 1000, (s) => st.run(s), warn(st.name)).run(signal));

  o.say(`Precursor running on ${server.url} (docs: ${server.url}/docs)`);
  for (const f of settings.feeds) o.say(`  feed: ${feedName(f)}`);
  o.say(
    `  crawl: ${settings.crawl.enabled ? `every ${settings.crawl.everySeconds} s` : 'off'}; enrich: ${settings.enrich.enabled ? `every ${settings.enrich.everySeconds} s` : 'off'}; stages: ${streamed ? 'in the workers (scale-out mode)' : `detect${[...stages.afterDetect, ...stages.periodic].map((s) => `, ${s.name}`).join('')}`}`,
  );
  return {
    server,
    async stop() {
      ac.abort();
      await Promise.allSettled(jobs);
      await server.close();
      // Only the process that runs the tenant stage may write its windows (the leading worker, when streamed).
      if (!streamed) await tenant.persist();
    },
  };
}
