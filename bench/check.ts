/**
 * The URL check under load: `precursor serve` (the built bin, a child process, SQLite store) answering
 * `GET /v1/check?url=` driven by autocannon over loopback, beside the floor — a bare Node HTTP server
 * (its own process) answering a fixed JSON body with the same connections in the same run. Three rows:
 *
 * - `published`: URLs on names confirmed by review (published intel, answered from memory);
 * - `assessed`: names the pipeline scored but nobody confirmed (the stored assessment, one indexed read);
 * - `unseen`: names never seen (the domain engine applied live; 200,000 distinct names, so the live
 *   cache mostly misses).
 *
 * Each row reports requests/s and latency p50/p99 as the client sees it, the floor's requests/s
 * measured just before it and the ratio, and the server's own time (its `Server-Timing` header)
 * p50/p99 over 2,000 sequential requests. Names are generated for the
 * purpose (look-alike and honest shapes), seeded once into the work dir through the store publisher.
 *
 *   npm run build && node --import tsx bench/check.ts [--seconds 10] [--connections 32] [--work DIR]
 *     [--rows published,assessed,unseen] [--profile DIR]
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { EntityKey } from '../src/domain/entity.js';
import { StorePublisher } from '../src/share/publish.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { precursor, requireBuild, startServe } from './serve-child.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    work: { type: 'string', default: join(tmpdir(), 'precursor-bench-check') },
    // Writes a V8 CPU profile of the server (the child) into this directory.
    profile: { type: 'string' },
    // Only these rows (comma-separated names; the floor always runs).
    rows: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PUBLISHED = 10_000;
const ASSESSED = 10_000;
requireBuild();
const home = resolve(values.work);
mkdirSync(home, { recursive: true });
const env = { PRECURSOR_HOME: home };

const brands = ['microsoft', 'paypal', 'office365', 'docusign', 'wellsfargo', 'netflix'];
const words = ['login', 'secure', 'verify', 'account', 'update', 'portal', 'signin', 'support'];
const lure = (i: number) => `${words[i % 8]}-${brands[(i >> 3) % 6]}-${(i * 7919).toString(36)}.com`;
const honest = (i: number) =>
  `${['blue', 'river', 'garden', 'studio', 'north', 'maple'][i % 6]}${(i * 104729).toString(36)}.org`;

async function seed(): Promise<void> {
  const marker = join(home, 'seeded');
  if (existsSync(marker)) return;
  const store = createSqliteStore({ path: join(home, 'precursor.db') });
  await store.migrate();
  const at = '2026-11-20T12:00:00.000Z';
  const keys = (n: number, f: (i: number) => string, off = 0) =>
    Array.from({ length: n }, (_, i) => `domain:${f(i + off)}` as EntityKey);
  const published = keys(PUBLISHED, lure);
  const assessed = keys(ASSESSED, lure, PUBLISHED);
  for (const batch of [published, assessed])
    await store.transaction(async (tx) => {
      await tx.entities.upsert(
        batch.map((key) => ({ key, type: 'domain', display: key.slice(7), seenAt: at })),
      );
      await tx.assessments.write(
        batch.map((key) => ({
          entity: key,
          score: 78,
          flagged: true,
          verdict: 'suspicious' as const,
          contributions: [
            {
              id: 'domain.combosquat',
              detector: 'domain',
              weight: 60,
              points: 50,
              detail: `brand in '${key.slice(7)}'`,
              evidence: [],
            },
            {
              id: 'domain.lure-vocabulary',
              detector: 'domain',
              weight: 30,
              points: 28,
              detail: 'lure word',
              evidence: [],
            },
          ],
          assessedAt: at,
        })),
      );
    });
  const publisher = new StorePublisher({
    settings: {
      producer: { name: 'Precursor', created: '2026-01-01T00:00:00.000Z' },
      indicatorLifetimeDays: 3650,
      confidence: 85,
    },
  });
  for (let i = 0; i < published.length; i += 500)
    await store.transaction((tx) =>
      publisher.publish(tx, {
        caseId: `K-${i / 500}`,
        campaignId: `C-${i / 500}`,
        entityKeys: published.slice(i, i + 500),
        tlp: 'green',
        decidedAt: new Date().toISOString(),
        actor: 'bench',
      }),
    );
  await store.close();
  writeFileSync(marker, '');
}

await seed();
const key = (
  JSON.parse(precursor(['keys', 'create', '--role', 'reader', '--label', 'bench', '--json'], env)) as {
    key: string;
  }
).key;
const headers = { authorization: `Bearer ${key}` };

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  serverP50?: number;
  serverP99?: number;
}

async function load(url: string, paths: (i: number) => string): Promise<Omit<Row, 'name'>> {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths(i++) }) }],
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
}

async function serverTimes(url: string, paths: (i: number) => string): Promise<{ p50: number; p99: number }> {
  const t: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const res = await fetch(`${url}${paths(i * 13 + 5)}`, { headers });
    await res.arrayBuffer();
    t.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]));
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(t.length * 0.5)] as number, p99: t[Math.floor(t.length * 0.99)] as number };
}

const q = (u: string) => `/v1/check?url=${encodeURIComponent(u)}`;
const scenarios: [string, (i: number) => string][] = [
  ['published', (i) => q(`https://${lure(i % PUBLISHED)}/signin?session=${i}`)],
  ['assessed', (i) => q(lure(PUBLISHED + (i % ASSESSED)))],
  ['unseen', (i) => q(i % 2 ? `https://${lure(1_000_000 + (i % 100_000))}/` : honest(i % 100_000))],
];

// The floor: a bare node:http server in its own process (like `serve`, so that it does not share the
// client's thread) answering, to every request, the bytes `serve` answered to one published check —
// the same body and headers, so that the client parses as much per response. It is measured right
// before each row, with the same connections and duration, so that each ratio compares like with
// like on a machine whose load moves.
async function startFloor(sample: Response): Promise<{ url: string; stop(): void }> {
  const body = await sample.text();
  const head: Record<string, string> = {};
  sample.headers.forEach((v, k) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) head[k] = v;
  });
  const code = `const b=${JSON.stringify(body)};const h=${JSON.stringify(head)};const s=require('node:http').createServer((q,r)=>{r.writeHead(200,h);r.end(b)});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((res) =>
    child.stdout.once('data', (d: Buffer) => res(String(d).trim())),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const rows: (Row & { floor: number })[] = [];
const server = await startServe(
  env,
  values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values.profile)}`] : [],
);
const floor = await startFloor(
  await fetch(`${server.url}${(scenarios[0] as [string, (i: number) => string])[1](0)}`, { headers }),
);
const only = values.rows?.split(',');
for (const [name, paths] of scenarios.filter(([n]) => !only || only.includes(n))) {
  await load(server.url, paths); // warm-up pass of the same shape (JIT, page cache, live cache)
  await load(floor.url, paths);
  const f = await load(floor.url, paths);
  const r = await load(server.url, paths);
  const s = await serverTimes(server.url, paths);
  rows.push({ name, ...r, serverP50: s.p50, serverP99: s.p99, floor: f.rps });
}
const peak = server.peakMiB();
await server.stop();
floor.stop();

console.log(
  `GET /v1/check, ${CONNECTIONS} connections, ${SECONDS} s per row, server peak RSS ${peak.toFixed(0)} MiB, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(
  '| row | requests/s | floor requests/s | ratio | p50 ms | p99 ms | server p50 ms | server p99 ms | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.rps} | ${r.floor} | ${(r.rps / r.floor).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.serverP50?.toFixed(3) ?? '–'} | ${r.serverP99?.toFixed(3) ?? '–'} | ${r.errors} |`,
  );
const published = rows.find((r) => r.name === 'published');
if (published)
  console.log(
    `target >= 10,000 requests/s on known names: ${published.rps >= 10_000 ? 'met' : 'NOT met'} (${published.rps}; the bare node:http floor did ${published.floor} in the same run)`,
  );
