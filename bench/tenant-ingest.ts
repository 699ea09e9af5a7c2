/**
 * Tenant-event throughput and memory: simulated months of traffic (honest accounts, operators, late,
 * duplicate and malformed events) chained back to back, pushed through `ingestTenantEvents` (edge
 * validation → dead letters → observations in SQLite) and the tenant stage (windows → signals →
 * assessments) in batches, as the HTTP route does. Event generation is not timed.
 *
 * Prints events/s end to end, the state's size as the stream grows (bounded by the 30-day horizon,
 * not by history) and peak RSS.
 *
 *   node --import tsx bench/tenant-ingest.ts [--count 1000000] [--batch 5000] [--db PATH] [--cache-mib 256]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ingestTenantEvents } from '../src/detect/tenant/ingest-tenant-events.js';
import { simulateTenants } from '../src/detect/tenant/simulate/tenant-simulator.js';
import { TenantStage } from '../src/detect/tenant/tenant-stage.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '5000' },
    db: { type: 'string' },
    seed: { type: 'string', default: 'bench' },
    'cache-mib': { type: 'string' },
  },
});
const N = Number(values.count);
const BATCH = Number(values.batch);
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const dir = values.db ? undefined : mkdtempSync(join(tmpdir(), 'precursor-tenant-bench-'));
const store = createSqliteStore({ path: values.db ?? join(dir as string, 'bench.db') });
await store.migrate();
// SQLite's page cache defaults to 2 MiB; random inserts into the dedupe-key index of a multi-GB file
// then read pages from the OS on every insert. `--cache-mib` shows what a larger cache changes.
if (values['cache-mib'])
  await sql.raw(`pragma cache_size = -${Number(values['cache-mib']) * 1024}`).execute(store.db);
const stage = new TenantStage(store, { snapshotEvery: 1_000_000 });

let sent = 0;
let inserted = 0;
let rejected = 0;
let flagged = 0;
let timed = 0;
// CPU time of this process in the timed sections: unlike wall time, it does not grow when other
// processes share the cores, so it is the fairer figure on a busy machine.
let cpuMicros = 0;
let month = 0;
const start = Date.parse('2024-01-01T00:00:00Z');
const checkpoints = [2.5e5, 5e5, 1e6, 2e6, 3e6, 4e6, 5e6, 6e6, 7e6, 8e6, 9e6, 1e7, 2e7].filter((c) => c <= N);
const growth: string[] = [];

while (sent < N) {
  // One simulated month (≈210k events), its ids prefixed so months never collide.
  const sim = simulateTenants({
    seed: `${values.seed}-${month}`,
    start: new Date(start + month * 30 * 86_400_000).toISOString(),
    idPrefix: `m${month}-`,
  });
  month += 1;
  for (let i = 0; i < sim.events.length && sent < N; i += BATCH) {
    const batch = sim.events.slice(i, Math.min(i + BATCH, i + N - sent));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await ingestTenantEvents(store, batch, { stage, source: 'tenant:bench' });
    const c = process.cpuUsage(c0);
    cpuMicros += c.user + c.system;
    timed += performance.now() - t0;
    sent += batch.length;
    inserted += r.inserted;
    rejected += r.rejected.length;
    flagged += r.detection?.flagged ?? 0;
    if (checkpoints[0] !== undefined && sent >= checkpoints[0]) {
      const st = (await stage.state()).stats();
      const line = `${(sent / 1e6).toFixed(2)}M events: ${st.accounts} accounts, ${st.values} values, ${st.bindings} bindings in state; RSS ${mb(process.memoryUsage().rss)} MiB; ${(sent / (timed / 1000)).toFixed(0)} events/s wall, ${(sent / (cpuMicros / 1e6)).toFixed(0)} per CPU-second so far`;
      growth.push(line);
      process.stderr.write(`\n${line}\n`);
      checkpoints.shift();
    }
  }
  process.stderr.write(`\r${sent} events, ${(sent / (timed / 1000)).toFixed(0)} events/s`);
}
const tp0 = performance.now();
await stage.persist();
const persistMs = performance.now() - tp0;
clearInterval(sampler);
const st = (await stage.state()).stats();
process.stderr.write('\n');
console.log(
  `events            ${sent} (${inserted} stored, ${sent - inserted - rejected} duplicates, ${rejected} dead-lettered)`,
);
console.log(
  `ingest+detection  ${(timed / 1000).toFixed(1)} s  →  ${(sent / (timed / 1000)).toFixed(0)} events/s (validate, store, windows, signals, assessments; SQLite)`,
);
console.log(
  `CPU time          ${(cpuMicros / 1e6).toFixed(1)} s  →  ${(sent / (cpuMicros / 1e6)).toFixed(0)} events per CPU-second (load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores)`,
);
console.log(`flagged writes    ${flagged} account assessments flagged`);
console.log(
  `state at end      ${st.accounts} accounts, ${st.values} values, ${st.bindings} bindings (horizon 30 days); snapshot ${persistMs.toFixed(0)} ms`,
);
for (const g of growth) console.log(`  ${g}`);
// The OS's own high-water mark: the sampler above rarely runs while synchronous SQLite calls hold the loop.
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
console.log(`peak RSS          ${mb(peakRss)} MiB (includes one simulated month held in memory)`);
await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
