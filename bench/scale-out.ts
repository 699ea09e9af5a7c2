/**
 * Scale-out throughput and lag, measured with whole commands: `precursor ingest certstream FILE`
 * publishes (its wall time is the publish rate), then 1, 2 and 4 `precursor worker` processes take
 * the backlog; from the moment the first says it is consuming (start-up not counted), the time until
 * `status` says nothing is pending gives the end-to-end rate. The time until the `store` stage alone is empty (the partitioned
 * store + detect stage) beside it separates the singleton stages (tenant, correlation, policy) —
 * where the bottleneck sits. Then a sustained
 * burst at twice the measured capacity: lag sampled every second, and the time to drain it after the
 * burst stops.
 *
 * Data: certstream messages of simulated worlds (`simulate world --scale small`, seeds 1…N), i.e.
 * generated for the purpose. Other processes share this machine's cores: the load average is printed
 * beside every figure.
 *
 *   node --import tsx bench/scale-out.ts [--worlds 3] [--workers 1,2,4] [--burst-seconds 10] [--profile DIR]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type AppContext, openApp } from '../src/app/open-app.js';
import { statusReport } from '../src/app/status.js';
import { generateWorld, writeWorld } from '../src/simulate/index.js';
import { dropPostgresSchema } from '../src/store/postgres/postgres-store.js';

const { values } = parseArgs({
  options: {
    worlds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2,4' },
    'burst-seconds': { type: 'string', default: '10' },
    'burst-workers': { type: 'string', default: '2' },
    /** Write a V8 CPU profile of every worker into this directory (`--cpu-prof`). */
    profile: { type: 'string' },
  },
});
const PG = process.env.PRECURSOR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS = process.env.PRECURSOR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist/src/cli/main.js');
const cliArgs = existsSync(DIST) ? [DIST] : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const load = () => loadavg()[0]?.toFixed(1);
const dir = mkdtempSync(join(tmpdir(), 'precursor-bench-scale-out-'));

// The input: the certstream lines of N small worlds, one file.
const lines: string[] = [];
for (let s = 1; s <= Number(values.worlds); s++) {
  const w = join(dir, `w${s}`);
  writeWorld(generateWorld({ seed: String(s), scale: 'small' }), w);
  lines.push(
    ...readFileSync(join(w, 'certstream.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  );
}
const input = join(dir, 'certstream.jsonl');
writeFileSync(input, `${lines.join('\n')}\n`);
const config = join(dir, 'precursor.yaml');
writeFileSync(config, 'crawl: { queueFlagged: false }\nrun: { crawl: { enabled: false } }\n');

interface Deployment {
  env: Record<string, string>;
  app: AppContext;
  cleanup(): Promise<void>;
}

async function deployment(): Promise<Deployment> {
  const id = randomBytes(4).toString('hex');
  const schema = `bench_so_${id}`;
  const prefix = `precursor-bench-${id}`;
  const env = {
    PRECURSOR_DATABASE_URL: PG,
    PRECURSOR_DATABASE_SCHEMA: schema,
    PRECURSOR_STREAM_URL: NATS,
    PRECURSOR_STREAM_PREFIX: prefix,
    PRECURSOR_CONFIG: config,
    PRECURSOR_LOG_LEVEL: 'silent',
  };
  const app = await openApp({ env, cwd: dir });
  return {
    env,
    app,
    async cleanup() {
      await app.close();
      const nc = await connect({ servers: NATS });
      await (await jetstreamManager(nc)).streams.delete(`${prefix}_observations`).catch(() => {});
      await nc.close();
      await dropPostgresSchema(PG, schema);
    },
  };
}

function run(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...cliArgs, ...args], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    p.on('error', reject);
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
const worker = (env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, [...profile, ...cliArgs, 'worker'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });

/** Resolves once the worker says it is consuming (its modules and detectors loaded). */
const ready = (w: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    let out = '';
    w.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('precursor worker: stream')) resolve();
    });
    w.once('exit', () => resolve());
  });

async function stopAll(ws: ChildProcess[]) {
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((r) => {
          if (w.exitCode !== null) return r();
          w.once('exit', () => r());
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function status(app: AppContext) {
  const s = await statusReport(app);
  return { pending: s.pending, store: s.stages.find((x) => x.stage === 'store')?.pending ?? 0 };
}

// 1 — throughput by worker count, from a full backlog.
const rows: string[] = [];
let capacity = 0;
for (const n of values.workers.split(',').map(Number)) {
  const d = await deployment();
  try {
    const t0 = performance.now();
    if ((await run(['ingest', 'certstream', input], d.env)) !== 0) throw new Error('ingest failed');
    const publish = (performance.now() - t0) / 1000;
    const loadBefore = load();
    // Workers are long-running: the clock starts when the first says it is consuming (modules and
    // detectors loaded, ~1.5 CPU-s each), so start-up is not charged to the rate of draining the backlog.
    const ws = Array.from({ length: n }, () => worker(d.env));
    await Promise.race(ws.map(ready));
    const t1 = performance.now();
    let storeDone = 0;
    for (;;) {
      const s = await status(d.app);
      if (s.store === 0 && storeDone === 0) storeDone = (performance.now() - t1) / 1000;
      if (s.pending === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const all = (performance.now() - t1) / 1000;
    await stopAll(ws);
    const rate = lines.length / all;
    if (n === Number(values['burst-workers'])) capacity = rate;
    rows.push(
      `| ${n} | ${lines.length} | ${(lines.length / publish).toFixed(0)} | ${(lines.length / storeDone).toFixed(0)} | ${rate.toFixed(0)} | ${storeDone.toFixed(1)} / ${all.toFixed(1)} | ${loadBefore} → ${load()} |`,
    );
    console.log(rows[rows.length - 1]);
  } finally {
    await d.cleanup();
  }
}
console.log(
  '\n| workers | certstream messages | publish /s | store stage /s | end to end /s | store done / all done (s) | load (1 min) |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);

// 2 — a sustained burst at twice the capacity measured with `burst-workers`, then the drain.
if (capacity > 0) {
  const d = await deployment();
  const n = Number(values['burst-workers']);
  const seconds = Number(values['burst-seconds']);
  const perSecond = Math.max(1, Math.round(capacity * 2));
  const ws = Array.from({ length: n }, () => worker(d.env));
  await Promise.all(ws.map(ready));
  try {
    // One `precursor ingest certstream -` for the whole burst, fed one second's worth at a time:
    // publishing keeps the clock (its batches commit within a second of going quiet).
    const lag: string[] = [];
    let maxLag = 0;
    const ingest = spawn(process.execPath, [...cliArgs, 'ingest', 'certstream', '-'], {
      cwd: dir,
      env: { ...process.env, ...d.env },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const ingested = new Promise<void>((r) => ingest.once('exit', () => r()));
    // The clock starts once the publisher is up (its first line published): a command's start-up is
    // not part of the burst.
    ingest.stdin?.write(`${lines[0]}\n`);
    for (;;) {
      const r = await statusReport(d.app);
      if ((r.stages.find((x) => x.stage === 'store')?.published ?? 0) > 0) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const start = performance.now();
    for (let i = 0; i < seconds; i++) {
      const part: string[] = [];
      for (let j = 0; j < perSecond; j++) {
        // Distinct certificates: a fresh log index and hash per line, so nothing deduplicates away.
        const n = i * perSecond + j;
        const line = lines[n % lines.length] as string;
        const tag = (n.toString(16).toUpperCase().padStart(8, '0').match(/../g) as string[]).join(':');
        part.push(
          line
            .replace(/"cert_index":\d+/, `"cert_index":${2_000_000_000 + n}`)
            .replace(/"sha256":"[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}/, `"sha256":"${tag}`),
        );
      }
      ingest.stdin?.write(`${part.join('\n')}\n`);
      await new Promise((r) => setTimeout(r, Math.max(0, start + (i + 1) * 1000 - performance.now())));
      const s = await status(d.app);
      maxLag = Math.max(maxLag, s.pending);
      lag.push(`${((performance.now() - start) / 1000).toFixed(0)}s:${s.store}/${s.pending}`);
    }
    // The burst ends with the last second's lines; draining is timed from there.
    const burstEnd = performance.now();
    ingest.stdin?.end();
    let exited = false;
    void ingested.then(() => {
      exited = true;
    });
    for (;;) {
      const s = await status(d.app);
      maxLag = Math.max(maxLag, s.pending);
      if (exited && s.pending === 0) break;
      lag.push(`${((performance.now() - start) / 1000).toFixed(0)}s:${s.store}/${s.pending}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const drain = (performance.now() - burstEnd) / 1000;
    console.log(
      `\nburst: ${perSecond} messages/s (2 × ${capacity.toFixed(0)}) for ${seconds} s with ${n} workers; max lag ${maxLag}; drained ${drain.toFixed(1)} s after the burst ended; load ${load()}`,
    );
    console.log(`lag samples (elapsed: store-stage lag / all stages' pending): ${lag.join(' ')}`);
  } finally {
    await stopAll(ws);
    await d.cleanup();
  }
}
rmSync(dir, { recursive: true, force: true });
