/**
 * The demo scenario behind `npm start`: the three kinds of preparation Precursor watches, from data
 * shipped in `data/demo/` and a seeded tenant simulation, through the same pipeline as real feeds.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { AppContext } from '../../app/open-app.js';
import { packagePath } from '../../app/package-info.js';
import { tenantStageFor } from '../../app/tenant-stage-for.js';
import { ingestTenantEvents } from '../../app/ingest-tenant-events.js';
import { simulateTenants } from '../../simulate/tenant-simulator.js';
import { createListSource } from '../../ingest/sources/list/list-source.js';
import type { CliIo } from '../command.js';
import { crawlIntoStore } from './crawl.js';

export interface DemoSummary {
  readonly names: { lines: number; inserted: number; rejected: number; flagged: number };
  readonly tenants: { events: number; rejected: number; accountsFlagged: number; operators: number };
  readonly pages: { crawled: number; flagged: number };
}

/** Lookalike names as a CT or zone feed would deliver them (idempotent: re-running adds nothing). */
async function loadNames(app: AppContext) {
  const source = createListSource({
    path: packagePath('data', 'demo', 'names.txt'),
    sourceId: 'demo:names',
    observedAt: '2026-11-01T09:00:00.000Z',
  });
  const { ingest, detect } = await app.pipeline.ingest(source, { ignoreCheckpoint: true });
  return {
    lines: ingest.records,
    inserted: ingest.inserted,
    rejected: ingest.rejected,
    flagged: detect?.flagged ?? 0,
  };
}

/** A month of one cloud provider's sign-ups with operators preparing infrastructure across two. */
async function loadTenants(app: AppContext) {
  const sim = simulateTenants({ seed: 'precursor-demo', honestAccounts: 2000, days: 30, operators: 3 });
  const stage = tenantStageFor(app.pipeline.store, app.config);
  let rejected = 0;
  let flagged = 0;
  for (let i = 0; i < sim.events.length; i += 5000) {
    const r = await ingestTenantEvents(app.pipeline.store, sim.events.slice(i, i + 5000), {
      stage,
      source: 'demo:tenants',
    });
    rejected += r.rejected.length;
    flagged = Math.max(flagged, r.detection?.flagged ?? 0);
  }
  await stage.persist();
  await app.pipeline.detect();
  const accounts = await app.pipeline.store.entities.list({ type: 'account', flagged: true, limit: 10_000 });
  return {
    events: sim.events.length,
    rejected,
    accountsFlagged: accounts.length,
    operators: sim.truth.operators.length,
  };
}

/**
 * Sites being readied: the demo's own pages on a loopback "lab" server, crawled through the real
 * fetcher. Only these lab URLs are crawled with private addresses allowed.
 */
async function crawlLab(app: AppContext) {
  const dir = packagePath('data', 'demo', 'pages');
  const pages = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.html'))
      .map((f) => [`/${f.replace(/\.html$/, '')}`, readFileSync(`${dir}/${f}`)]),
  );
  const server = createServer((req, res) => {
    const body = pages.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const quiet: CliIo = {
    stdout: new PassThrough().resume(),
    stderr: new PassThrough().resume(),
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
  };
  try {
    await crawlIntoStore(
      app,
      [...pages.keys()].map((p) => origin + p),
      { allowPrivate: true, json: true },
      quiet,
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  const snaps = await app.pipeline.store.entities.list({ type: 'snapshot', limit: 10_000 });
  return { crawled: pages.size, flagged: snaps.filter((s) => s.assessment?.flagged).length };
}

export async function loadDemoScenario(app: AppContext): Promise<DemoSummary> {
  const names = await loadNames(app);
  const tenants = await loadTenants(app);
  const pages = await crawlLab(app);
  return { names, tenants, pages };
}
