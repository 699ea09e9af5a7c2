/**
 * Ingest throughput: N small records (default 1,000,000) from a text list into the embedded SQLite
 * store with batched transactions; prints observations/s and peak RSS. With `--kill`, it also kills a
 * CLI ingest of the same file with SIGKILL midway, restarts it, and checks the count is exactly N.
 *
 *   node --import tsx bench/ingest.ts [--count N] [--order sequential|random] [--batch-size N] [--kill]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { runIngest } from '../src/ingest/run-ingest.js';
import { createListSource } from '../src/ingest/sources/list/list-source.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    kill: { type: 'boolean', default: false },
    order: { type: 'string', default: 'sequential' },
    'batch-size': { type: 'string', default: '1000' },
    // Internal: the measured ingest runs in a child process of its own, so that generating the input
    // (and this parent's garbage) is not counted in its memory.
    child: { type: 'string' },
  },
});
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

if (values.child !== undefined) {
  const file = join(values.child, 'names.txt');
  const db = join(values.child, 'bench.db');
  const store = createSqliteStore({ path: db });
  await store.migrate();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await runIngest(
    createListSource({ path: file, observedAt: '2026-01-01T00:00:00.000Z' }),
    store,
    { batchSize: Number(values['batch-size']) },
  );
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const stored = await store.observations.count();
  await store.close();
  console.log(
    JSON.stringify({
      secs,
      cpuSecs: (cpu.user + cpu.system) / 1e6,
      stored,
      inserted: summary.inserted,
      rssBefore,
      peakRss,
      maxRss: process.resourceUsage().maxRSS * 1024,
    }),
  );
  process.exit(0);
}

const N = Number(values.count);
const random = values.order === 'random';
const dir = mkdtempSync(join(tmpdir(), 'precursor-bench-ingest-'));
const file = join(dir, 'names.txt');

// Real feeds are not sorted by name; `--order random` scatters the names (and so the dedupe-index
// inserts) the way a CT stream does, the default keeps them in generation order.
async function writeNames(): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < N; i++) {
    const j = random ? (i * 2654435761) % 4294967296 : i;
    if (!out.write(`n${j.toString(36)}-secure-login-${i % 1000}.example-${i % 7}.com\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

await writeNames();
const child = spawn(
  process.execPath,
  [...process.execArgv, new URL(import.meta.url).pathname, '--child', dir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let childOut = '';
child.stdout.on('data', (d: Buffer) => (childOut += d.toString()));
await once(child, 'exit');
const m = JSON.parse(childOut) as {
  secs: number;
  cpuSecs: number;
  stored: number;
  inserted: number;
  rssBefore: number;
  peakRss: number;
  maxRss: number;
};
const secs = m.secs;
console.log(
  `ingest (${random ? 'random' : 'sequential'} order): ${N} records in ${secs.toFixed(2)} s = ${Math.round(N / secs).toLocaleString('en')} observations/s (${Math.round(N / m.cpuSecs).toLocaleString('en')} per CPU-s; stored ${m.stored}, inserted ${m.inserted})`,
);
console.log(
  `peak RSS of the ingesting process: ${mb(Math.max(m.peakRss, m.maxRss))} MB (after opening the store: ${mb(m.rssBefore)} MB, of which ~40 MB is the tsx loader this bench runs under)`,
);

if (values.kill) {
  const home = join(dir, 'kill');
  const root = new URL('..', import.meta.url).pathname;
  const run = () =>
    spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', '--home', home, 'ingest', 'list', file, '--no-detect', '--json'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent' },
      },
    );
  const first = run();
  const exited = once(first, 'exit');
  await sleep(Math.max(1000, (secs * 1000) / 2));
  first.kill('SIGKILL');
  await exited;
  const probe = createSqliteStore({ path: join(home, 'precursor.db') });
  const atKill = await probe.observations.count();
  await probe.close();
  const second = run();
  let out = '';
  second.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(second, 'exit');
  const check = createSqliteStore({ path: join(home, 'precursor.db') });
  const total = await check.observations.count();
  await check.close();
  console.log(
    `kill -9: ${atKill} stored at kill; after restart ${total} of ${N} (${total === N ? 'exact, no duplicates' : 'MISMATCH'}); second run ${JSON.parse(out).records} records`,
  );
}
rmSync(dir, { recursive: true, force: true });
