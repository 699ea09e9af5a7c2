/**
 * What the scale-out suites share: a small seeded world, a deployment of its own (PostgreSQL schema
 * + stream prefix, both removed after), worker processes, waiting until the work is done, and the
 * final state in a form two runs can be compared by (campaign ids and case ids left out: they are
 * names, not results).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type AppContext, openApp } from '../../src/app/open-app.js';
import { statusReport } from '../../src/app/status.js';
import { createCertstreamSource } from '../../src/ingest/sources/certstream/certstream-source.js';
import { createTenantFileSource } from '../../src/ingest/sources/tenant/tenant-source.js';
import { createTransactionSource } from '../../src/ingest/sources/transactions/transaction-source.js';
import { generateWorld, writeWorld } from '../../src/simulate/index.js';
import { dropPostgresSchema } from '../../src/store/postgres/postgres-store.js';
import { PG_URL } from './stores.js';
import { ROOT } from './cli-process.js';
import { NATS_URL, natsSkip } from './nats.js';
import { postgresFactory } from './stores.js';
import { tenantStageFor } from '../../src/app/tenant-stage-for.js';
import { CASE_STATES } from '../../src/domain/index.js';

export async function scaleOutSkip(): Promise<string | undefined> {
  return (await postgresFactory.skip()) ?? (await natsSkip());
}

export interface Deployment {
  readonly dir: string;
  /** Environment of the scale-out mode (store schema, stream URL and prefix, config file). */
  readonly env: Record<string, string>;
  /** The same store without the stream: the embedded mode. */
  readonly embeddedEnv: Record<string, string>;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

/** A small seeded world on disk, a fresh schema and stream prefix; crawling off (no network). */
export function deployment(tag: string, stream: Record<string, unknown> = {}): Deployment {
  const dir = mkdtempSync(join(tmpdir(), `precursor-${tag}-`));
  const id = randomBytes(4).toString('hex');
  const schema = `so_${tag}_${id}`;
  const prefix = `precursor-test-${id}`;
  const config = join(dir, 'precursor.yaml');
  writeFileSync(
    config,
    `crawl: { queueFlagged: false }\nrun: { crawl: { enabled: false } }\nstream: ${JSON.stringify({ partitions: 8, batch: 200, ackWaitSeconds: 2, ...stream })}\n`,
  );
  writeWorld(generateWorld({ seed: '3', scale: 'small' }), join(dir, 'world'));
  const base = {
    PRECURSOR_DATABASE_URL: PG_URL,
    PRECURSOR_CONFIG: config,
    PRECURSOR_HOME: join(dir, 'home'),
    PRECURSOR_LOG_LEVEL: 'silent',
  };
  const schemas = [schema, `${schema}_e`];
  return {
    dir,
    prefix,
    env: {
      ...base,
      PRECURSOR_DATABASE_SCHEMA: schema,
      PRECURSOR_STREAM_URL: NATS_URL,
      PRECURSOR_STREAM_PREFIX: prefix,
    },
    embeddedEnv: { ...base, PRECURSOR_DATABASE_SCHEMA: `${schema}_e` },
    async cleanup() {
      const nc = await connect({ servers: NATS_URL, timeout: 3000 });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(`${prefix}_observations`).catch(() => {});
      await nc.close();
      for (const s of schemas) await dropPostgresSchema(PG_URL, s).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const open = (env: Record<string, string>) => openApp({ env, cwd: ROOT });

/** Feeds the world's tenant events, certstream messages and transactions through `app.pipeline.ingest`. */
export async function ingestWorld(app: AppContext, dir: string): Promise<void> {
  const w = join(dir, 'world');
  await app.pipeline.ingest(createTenantFileSource({ path: join(w, 'tenant-events.jsonl') }), {
    correlate: false,
  });
  if (!app.pipeline.streamed) {
    // As `precursor ingest events` does: the tenant stage after the events are stored.
    const stage = tenantStageFor(app.pipeline.store, app.config);
    await stage.run();
    await stage.persist();
  }
  await app.pipeline.ingest(createCertstreamSource({ input: join(w, 'certstream.jsonl') }));
  await app.pipeline.ingest(createTransactionSource({ path: join(w, 'transactions.jsonl') }));
}

/** A `precursor worker` process. */
const readiness = new WeakMap<ChildProcess, Promise<void>>();

export function spawnWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  readiness.set(
    child,
    new Promise<void>((resolve) => {
      let out = '';
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('precursor worker: stream')) resolve();
      });
      child.once('exit', () => resolve());
    }),
  );
  return child;
}

/**
 * Resolves once the worker says it is consuming (or has exited). A SIGTERM that arrives while a fresh
 * worker is still loading its modules meets no handler yet and kills it by the signal's default, so a
 * test that expects a drained exit 0 waits for this first.
 */
export function workerReady(child: ChildProcess): Promise<void> {
  return readiness.get(child) ?? Promise.resolve();
}

export function stopped(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((r) => p.once('exit', (code) => r(code)));
}

/** Polls `precursor status` (in-process) until nothing is pending, or fails after `ms`. */
export async function untilIdle(app: AppContext, ms: number, total?: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  for (;;) {
    const s = await statusReport(app);
    last = JSON.stringify({ pending: s.pending, observations: s.observations, stages: s.stages });
    if (s.pending === 0 && (total === undefined || s.observations >= total)) return;
    if (Date.now() > deadline) throw new Error(`still pending after ${ms} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface FinalState {
  readonly observations: number;
  readonly assessments: Record<string, string>;
  readonly campaigns: string[];
  readonly cases: string[];
}

/** The results, with generated ids replaced by what they name. */
export async function finalState(app: AppContext): Promise<FinalState> {
  const store = app.pipeline.store;
  const assessments: Record<string, string> = {};
  for (let after: string | undefined; ; ) {
    const page = await store.entities.list({ limit: 5000, ...(after ? { after } : {}) });
    for (const v of page)
      if (v.assessment)
        assessments[v.entity.key] =
          `${v.assessment.score.toFixed(3)}|${v.assessment.flagged}|${v.assessment.verdict}`;
    if (page.length < 5000) break;
    after = page[page.length - 1]?.entity.key;
  }
  const sets = await store.campaigns.memberSets();
  const named = new Map(sets.map((c) => [c.id, [...c.members].sort().join(',')]));
  // A campaign named by a digest of its members: short enough to read in a failed assertion.
  const digest = (id: string) => {
    const m = named.get(id);
    return m === undefined ? `dissolved ${id}` : createHash('sha256').update(m).digest('hex').slice(0, 12);
  };
  // Every case that is not superseded is compared. Cases a run's slicing of the arrivals made — a lone
  // entity's case opened before the entity joined a campaign, the case of a campaign formed from a
  // partial slice and dissolved or merged by a later recluster — are superseded by the review stage
  // (docs/policy.md, "Superseded cases"), so what is left open is the final state's alone.
  const cases = (
    await store.cases.list({ limit: 10_000, states: CASE_STATES.filter((s) => s !== 'superseded') })
  ).map((c) => {
    const subject = c.subject.startsWith('campaign:')
      ? `campaign:${digest(c.subject.slice('campaign:'.length))}`
      : c.subject;
    return `${subject}|${c.state}|${c.queue}|${c.outcome}|${c.priority}`;
  });
  return {
    observations: (await store.stats()).observations,
    assessments,
    campaigns: [...named.keys()].map(digest).sort(),
    cases: cases.sort(),
  };
}

/** The embedded mode's result for the deployment's world (the reference both suites compare with). */
export async function embeddedState(d: Deployment): Promise<FinalState> {
  const embedded = await open(d.embeddedEnv);
  try {
    await ingestWorld(embedded, d.dir);
    await embedded.pipeline.correlate({ force: true });
    await embedded.pipeline.review();
    return await finalState(embedded);
  } finally {
    await embedded.close();
  }
}

/** A full recluster and a policy pass, then the state (what both suites compare after the run). */
export async function settledState(app: AppContext): Promise<FinalState> {
  await app.pipeline.correlate({ force: true });
  await app.pipeline.review();
  return finalState(app);
}

/** The keys whose assessment differs, as readable lines (at most 10). */
export function assessmentDiff(a: FinalState, b: FinalState): string[] {
  return Object.keys({ ...a.assessments, ...b.assessments })
    .filter((k) => a.assessments[k] !== b.assessments[k])
    .slice(0, 10)
    .map((k) => `${k}: ${a.assessments[k]} vs ${b.assessments[k]}`);
}
