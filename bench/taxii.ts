/**
 * TAXII 2.1 over HTTP as a partner's client sees it: `precursor serve` (the built bin, a child
 * process, SQLite store) holding N indicator versions in the `confirmed` collection, paged end to end
 * over loopback by a client with a partner `reader` key (HTTP Basic, key id and key) following `next`
 * at the server's page size, parsing every page. Reports objects/s, pages, the server's RSS before
 * paging and its peak during it (flat memory: the server streams pages from a keyset query, it never
 * holds the collection), and beside it the floor: the same rows read straight from the SQLite file in
 * the same order (better-sqlite3, no HTTP, no JSON).
 *
 * The indicators are generated for the purpose (synthetic look-alike names, TLP:GREEN, produced by
 * the same STIX converter and store path publishing uses), seeded once per count into the work dir.
 * For scale: medallion (the OASIS reference server) pages at ~23 objects/s and OpenCTI issues 300–500
 * search queries per 100-object page (issue 14); neither can be installed here to run beside it.
 *
 *   npm run build && node --import tsx bench/taxii.ts [--count 1000000] [--page 1000] [--work DIR]
 * @module
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectionId, CONFIRMED_ALIAS, ensureDefaultCollections } from '../src/share/collections.js';
import type { PublishedIndicator } from '../src/share/model.js';
import { indicatorToStix } from '../src/share/stix/indicator-converter.js';
import { producerIdentityId } from '../src/share/stix/identity-converter.js';
import { toIntelObject } from '../src/share/taxii/to-intel-object.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { IntelObjectInput } from '../src/store/store.js';
import { precursor, requireBuild, startServe } from './serve-child.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    page: { type: 'string', default: '1000' },
    work: { type: 'string', default: join(tmpdir(), 'precursor-bench-taxii') },
    // Writes a V8 CPU profile of the server (the child) into this directory.
    profile: { type: 'string' },
  },
});
const N = Number(values.count);
const PAGE = Number(values.page);
requireBuild();
const home = resolve(values.work, `n${N}`);
mkdirSync(home, { recursive: true });
const env = { PRECURSOR_HOME: home, PRECURSOR_CONFIG: join(home, 'precursor.yaml') };
writeFileSync(env.PRECURSOR_CONFIG, `share:\n  taxii:\n    maxPageSize: ${PAGE}\n`);
const CONFIRMED = collectionId(CONFIRMED_ALIAS);

async function seed(): Promise<void> {
  const marker = join(home, `seeded-${N}`);
  if (existsSync(marker)) return;
  const t = performance.now();
  const store = createSqliteStore({ path: join(home, 'precursor.db') });
  await store.migrate();
  await ensureDefaultCollections(store, new Date());
  const ctx = {
    producerRef: producerIdentityId({ name: 'Precursor' }),
    redact: (s: string) => s,
    personalData: false,
  };
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  const BATCH = 5000;
  for (let i = 0; i < N; i += BATCH) {
    const objects: IntelObjectInput[] = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++) {
      const at = new Date(base + j * 1000).toISOString();
      const ind: PublishedIndicator = {
        key: `domain:login-micros0ft-${j.toString(36)}.example`,
        kind: 'domain',
        value: `login-micros0ft-${j.toString(36)}.example`,
        firstSeen: at,
        created: at,
        modified: at,
        version: 1,
        validFrom: at,
        validUntil: new Date(base + j * 1000 + 30 * 86_400_000).toISOString(),
        confidence: 85,
        score: 91,
        reasons: [
          { id: 'domain.homoglyph', weight: 60, detail: "skeleton of 'micros0ft' equals brand 'microsoft'" },
          { id: 'domain.lure-vocabulary', weight: 25, detail: "lure word 'login'" },
        ],
        campaignId: `C-${j % 97}`,
        tlp: 'green',
        revoked: false,
      };
      objects.push(toIntelObject(indicatorToStix(ind, ctx)));
    }
    await store.transaction((tx) => tx.intel.addObjects(CONFIRMED, objects, new Date(base + i)));
    if (process.stderr.isTTY) process.stderr.write(`\rseeded ${Math.min(N, i + BATCH)} / ${N}`);
  }
  await store.close();
  writeFileSync(marker, '');
  console.log(`seeded ${N} indicators in ${((performance.now() - t) / 1000).toFixed(0)} s (synthetic)`);
}

await seed();
const key = JSON.parse(
  precursor(['keys', 'create', '--role', 'reader', '--partner', 'bench', '--label', 'bench', '--json'], env),
) as {
  id: string;
  key: string;
};
precursor(['collections', 'grant', 'confirmed', 'bench', '--tlp', 'green'], env);

const server = await startServe(
  env,
  values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values.profile)}`] : [],
);
const auth = `Basic ${Buffer.from(`${key.id}:${key.key}`).toString('base64')}`;
const headers = { Accept: 'application/taxii+json;version=2.1', Authorization: auth };
// One warm-up page (the first query plans and warms the page cache).
await (
  await fetch(`${server.url}/taxii2/intel/collections/${CONFIRMED}/objects/?limit=10`, { headers })
).text();
const before = server.rssMiB();
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, server.rssMiB());
}, 50);
const along: number[] = [];
let seen = 0;
let pages = 0;
let bytes = 0;
let next: string | undefined;
const t = performance.now();
do {
  const url = new URL(`${server.url}/taxii2/intel/collections/${CONFIRMED}/objects/`);
  url.searchParams.set('limit', String(PAGE));
  if (next) url.searchParams.set('next', next);
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  bytes += text.length;
  const env2 = JSON.parse(text) as { more?: boolean; next?: string; objects?: unknown[] };
  seen += env2.objects?.length ?? 0;
  pages++;
  // RSS along the walk: flat memory means the tenth and the last tenth look alike.
  if (pages % Math.max(1, Math.round(N / PAGE / 10)) === 0) along.push(Math.round(server.rssMiB()));
  next = env2.more ? env2.next : undefined;
} while (next);
const secs = (performance.now() - t) / 1000;
clearInterval(sampler);
peak = Math.max(peak, server.rssMiB());
await server.stop();
if (seen !== N) throw new Error(`paged ${seen} objects, expected ${N}`);

// The floor: the same rows, same order, straight from the file.
const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3') as new (
  p: string,
  o: object,
) => {
  prepare(s: string): { iterate(...a: unknown[]): Iterable<{ body: string }> };
  close(): void;
};
const db = new Sqlite(join(home, 'precursor.db'), { readonly: true });
const f0 = performance.now();
let floorRows = 0;
let floorBytes = 0;
for (const r of db
  .prepare('SELECT body FROM intel_objects WHERE collection_id = ? ORDER BY date_added, stix_id, version')
  .iterate(CONFIRMED)) {
  floorRows++;
  floorBytes += r.body.length;
}
const floorSecs = (performance.now() - f0) / 1000;
db.close();

const rate = Math.round(seen / secs);
const floorRate = Math.round(floorRows / floorSecs);
console.log(
  `TAXII GET objects over HTTP: ${seen} objects in ${pages} pages of ${PAGE}: ${secs.toFixed(1)} s, ${rate} objects/s (${(bytes / 1048576 / secs).toFixed(0)} MiB/s); server RSS ${before.toFixed(0)} MiB before paging, peak ${peak.toFixed(0)} MiB during (+${(peak - before).toFixed(0)} MiB); RSS at each tenth of the walk: ${along.join(', ')} MiB`,
);
console.log(
  `floor (the same ${floorRows} rows read from SQLite directly, ${(floorBytes / 1048576).toFixed(0)} MiB): ${floorSecs.toFixed(1)} s, ${floorRate} rows/s; server/floor ${(rate / floorRate).toFixed(2)}`,
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(`target >= 50,000 objects/s: ${rate >= 50_000 ? 'met' : 'NOT met'}`);
