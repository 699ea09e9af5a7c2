/**
 * Ingest throughput: N small records (default 1,000,000) from a text list into the embedded SQLite
 * store with batched transactions; prints observations/s and peak RSS. With `--kill`, it also kills a
 * CLI ingest of the same file with SIGKILL midway, restarts it, and checks the count is exactly N.
 *
 *   node --import tsx bench/ingest.ts [--count N] [--kill]
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
  options: { count: { type: 'string', default: '1000000' }, kill: { type: 'boolean', default: false } },
});
const N = Number(values.count);
const dir = mkdtempSync(join(tmpdir(), 'precursor-bench-ingest-'));
const file = join(dir, 'names.txt');

async function writeNames(): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < N; i++) {
    if (!out.write(`n${i.toString(36)}-secure-login-${i % 1000}.example-${i % 7}.com\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// Peak RSS while ingesting, sampled: maxRSS would include generating the input file.
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

await writeNames();
const store = createSqliteStore({ path: join(dir, 'bench.db') });
await store.migrate();
const rssBefore = process.memoryUsage().rss;
peakRss = rssBefore;
const t0 = performance.now();
const summary = await runIngest(
  createListSource({ path: file, observedAt: '2026-01-01T00:00:00.000Z' }),
  store,
  { batchSize: 5000 },
);
const secs = (performance.now() - t0) / 1000;
const stored = await store.countObservations();
await store.close();
console.log(
  `ingest: ${N} records in ${secs.toFixed(2)} s = ${Math.round(N / secs).toLocaleString('en')} observations/s (stored ${stored}, inserted ${summary.inserted})`,
);
clearInterval(sampler);
console.log(`peak RSS during ingest: ${mb(peakRss)} MB (at start: ${mb(rssBefore)} MB)`);

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
  const atKill = await probe.countObservations();
  await probe.close();
  const second = run();
  let out = '';
  second.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(second, 'exit');
  const check = createSqliteStore({ path: join(home, 'precursor.db') });
  const total = await check.countObservations();
  await check.close();
  console.log(
    `kill -9: ${atKill} stored at kill; after restart ${total} of ${N} (${total === N ? 'exact, no duplicates' : 'MISMATCH'}); second run ${JSON.parse(out).records} records`,
  );
}
rmSync(dir, { recursive: true, force: true });
