/**
 * Full recluster and incremental updates of the correlation backbone on a generated entity graph.
 *
 * The graph is shaped like the problem, not uniform noise (labelled "generated" in every figure):
 * - 70% member entities (names, accounts), 30% shared values;
 * - planted operators: 2% of the members in campaigns of 20, each tied by two strong values (a
 *   certificate over 12 of its names, a payment instrument over 12 others) and two medium ones (a kit
 *   family, a registration day + registrar);
 * - honest members: a nameserver drawn from a Zipf law over 2,000 (CDN and big-registrar nameservers
 *   dwarf the rest), an IP (30% on known CDN anycast, else a shared-hosting pool, mean ~5 names per IP),
 *   an organisation certificate over 1–3 names, a registration day + registrar from 18,250 values,
 *   and extra IPs until the link budget is spent;
 * - strong: certificate, payment; medium: IP, nameserver, registration day, kit family.
 *
 * Prints the time and peak RSS of a full recluster (CSR build, learned caps, strong unions, medium
 * conjunction, labels), the component-size distribution, quality against the planted truth (pairwise
 * precision/recall and ARI over member entities; honest organisations count as their own groups), the
 * largest component without the discount (every value strong, no cap) and with a cap alone, and the
 * per-observation latency of the incremental structure (one observation = one member's links).
 *
 *   node --import tsx bench/cluster.ts [--nodes 1000000] [--edges 3000000] [--seed 1] [--no-quality]
 *     [--no-baselines] [--incremental 200000]
 */
import { parseArgs } from 'node:util';
import { cluster, type ClusterConfig, DEFAULT_CLUSTER_CONFIG } from '../src/correlate/cluster.js';
import { IncrementalClusters } from '../src/correlate/incremental.js';
import { PivotClass, type PivotGraph } from '../src/correlate/pivot-graph.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000000' },
    edges: { type: 'string', default: '3000000' },
    seed: { type: 'string', default: '1' },
    'no-quality': { type: 'boolean', default: false },
    'no-baselines': { type: 'boolean', default: false },
    incremental: { type: 'string', default: '200000' },
  },
});

const N = Number(values.nodes);
const M = Number(values.edges);
const K = { ip: 1, cert: 2, payment: 3, ns: 4, kit: 5, regday: 6 } as const;
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function generate(seed: number) {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    // xorshift32: fast and reproducible.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const members = Math.floor(N * 0.7);
  const campaigns = Math.floor((members * 0.02) / 20);
  const kind = new Uint8Array(N);
  const known = new Uint8Array(N);
  const from = new Uint32Array(M);
  const to = new Uint32Array(M);
  const cls = new Uint8Array(M);
  const truth = new Int32Array(members);
  let e = 0;
  let v = members;
  const range = (count: number, k: number) => {
    const start = v;
    for (let i = 0; i < count; i++) kind[v + i] = k;
    v += count;
    return start;
  };
  const NS = 2000;
  const nsStart = range(NS, K.ns);
  const CDN = 50;
  const cdnStart = range(CDN, K.ip);
  for (let i = 0; i < CDN; i++) known[cdnStart + i] = 1;
  const REGDAYS = 18_250;
  const regStart = range(REGDAYS, K.regday);
  const campaignStart = range(campaigns * 4, K.cert);
  for (let c = 0; c < campaigns; c++) {
    kind[campaignStart + 4 * c + 1] = K.payment;
    kind[campaignStart + 4 * c + 2] = K.kit;
    kind[campaignStart + 4 * c + 3] = K.regday;
  }
  const certStart = v;
  const valuesLeft = N - v;
  const certCount = Math.floor(valuesLeft * 0.6);
  range(certCount, K.cert);
  const ipStart = v;
  const ipCount = N - v;
  range(ipCount, K.ip);
  const add = (a: number, b: number, c: number) => {
    if (e >= M) return;
    from[e] = a;
    to[e] = b;
    cls[e++] = c;
  };
  // Zipf over nameservers: rank r with probability ∝ 1/r.
  const H = Math.log(NS) + 0.5772;
  const zipf = () => Math.min(NS - 1, Math.floor(Math.exp(rnd() * H - 0.5772)));
  for (let c = 0; c < campaigns; c++) {
    const base = c * 20;
    const vals = campaignStart + 4 * c;
    for (let i = 0; i < 20; i++) {
      const m = base + i;
      truth[m] = c;
      if (i < 12) add(m, vals, PivotClass.strong);
      if (i >= 8) add(m, vals + 1, PivotClass.strong);
      add(m, vals + 2, PivotClass.medium);
      add(m, vals + 3, PivotClass.medium);
      add(m, cdnStart + Math.floor(rnd() * CDN), PivotClass.medium);
      add(m, nsStart + zipf(), PivotClass.medium);
    }
  }
  let cert = certStart;
  let left = 0;
  for (let m = campaigns * 20; m < members; m++) {
    // Organisations of 1–3 names share one certificate.
    if (left === 0) {
      left = 1 + Math.floor(rnd() * 3);
      cert = certStart + Math.floor(rnd() * certCount);
    }
    left--;
    truth[m] = campaigns + (cert - certStart);
    add(m, cert, PivotClass.strong);
    add(m, nsStart + zipf(), PivotClass.medium);
    add(
      m,
      rnd() < 0.3 ? cdnStart + Math.floor(rnd() * CDN) : ipStart + Math.floor(rnd() * ipCount),
      PivotClass.medium,
    );
    add(m, regStart + Math.floor(rnd() * REGDAYS), PivotClass.medium);
  }
  while (e < M)
    add(
      campaigns * 20 + Math.floor(rnd() * (members - campaigns * 20)),
      ipStart + Math.floor(rnd() * ipCount),
      PivotClass.medium,
    );
  const g: PivotGraph = { nodeCount: N, kind, known, edgeCount: M, from, to, cls };
  return { g, members, campaigns, truth };
}

/** Pairwise precision/recall and ARI of components against truth, over member entities. */
function quality(component: Int32Array, truth: Int32Array, members: number) {
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const cells = new Map<number, number>();
  const comp = new Map<number, number>();
  const tru = new Map<number, number>();
  const T = 2 ** 24;
  for (let m = 0; m < members; m++) {
    const c = component[m]!;
    const t = truth[m]!;
    const k = c * T + t;
    cells.set(k, (cells.get(k) ?? 0) + 1);
    comp.set(c, (comp.get(c) ?? 0) + 1);
    tru.set(t, (tru.get(t) ?? 0) + 1);
  }
  let tp = 0;
  for (const x of cells.values()) tp += c2(x);
  let pred = 0;
  for (const x of comp.values()) pred += c2(x);
  let real = 0;
  for (const x of tru.values()) real += c2(x);
  const expected = (pred * real) / c2(members);
  const ari = (tp - expected) / ((pred + real) / 2 - expected);
  return { precision: tp / pred, recall: tp / real, ari };
}

const t0 = performance.now();
const { g, members, campaigns, truth } = generate(Number(values.seed));
console.log(
  `generated graph (preliminary, shared machine): ${N.toLocaleString()} nodes, ${M.toLocaleString()} links, ` +
    `${campaigns.toLocaleString()} planted campaigns of 20, in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${mib(process.memoryUsage().rss)}`,
);

const rssBefore = process.memoryUsage().rss;
let t = performance.now();
const cpu0 = process.cpuUsage();
// As the correlate stage runs it: a name on far more certificates than names have is a hub (cluster.ts).
const r = cluster(g, { ...DEFAULT_CLUSTER_CONFIG, hubKinds: [K.cert] });
const fullMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(
  `full recluster: ${(fullMs / 1000).toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU (${JSON.stringify(r.stats.phaseMs)} ms); peak RSS ${mib(peakRss())} (${mib(rssBefore)} before, of which the generated graph)`,
);
console.log(
  `  components ${r.componentCount.toLocaleString()}, largest ${r.stats.largest}, strong unions ${r.stats.strongUnions.toLocaleString()}, ` +
    `medium ties ${r.stats.mediumTies.toLocaleString()}, values over cap ${r.stats.overCap.toLocaleString()}, known shared ${r.stats.knownShared}, ` +
    `medium values skipped ${r.stats.mediumValuesSkipped.toLocaleString()}, alarms ${r.alarms.length}`,
);
console.log(
  `  learned caps by kind: ${JSON.stringify(r.caps.slice(1))} (ip, cert, payment, ns, kit, regday)`,
);
console.log(
  `  component sizes (2^i..2^(i+1)-1): ${r.stats.sizeBuckets.map((c, i) => `${2 ** i}:${c}`).join(' ')}`,
);

if (!values['no-quality']) {
  const q = quality(r.component, truth, members);
  let recovered = 0;
  for (let c = 0; c < campaigns; c++) {
    const label = r.component[c * 20]!;
    let same = true;
    for (let i = 1; i < 20 && same; i++) same = r.component[c * 20 + i] === label;
    if (same && r.sizes[label]! <= 20 + 4) recovered++;
  }
  console.log(
    `  quality vs planted truth (generated data): pairwise precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, ` +
      `ARI ${q.ari.toFixed(4)}; campaigns recovered whole and pure ${recovered}/${campaigns}`,
  );
}

if (!values['no-baselines']) {
  const allStrong = new Uint8Array(M);
  const naive: ClusterConfig = {
    ...DEFAULT_CLUSTER_CONFIG,
    capOverrides: Object.fromEntries(Object.values(K).map((k) => [k, Number.MAX_SAFE_INTEGER])),
  };
  t = performance.now();
  const every = cluster({ ...g, cls: allStrong, known: new Uint8Array(N) }, naive);
  console.log(
    `  baseline, every shared value links: largest component ${every.stats.largest.toLocaleString()} (${((performance.now() - t) / 1000).toFixed(2)} s)`,
  );
  const capOnly = cluster({ ...g, cls: allStrong, known: new Uint8Array(N) });
  console.log(`  baseline, degree cap alone: largest component ${capOnly.stats.largest.toLocaleString()}`);
}

// Incremental: one observation = the links of one member, replayed in order after the nodes exist.
const sample = Math.min(Number(values.incremental), M);
if (sample > 0) {
  const inc = new IncrementalClusters(r.caps, DEFAULT_CLUSTER_CONFIG, { maxGrowth: 1e9, windowMs: 1 }, N);
  for (let v = 0; v < N; v++) inc.addNode(g.kind[v]!, g.known[v] === 1);
  const times: number[] = [];
  let e = 0;
  while (e < sample) {
    const member = g.from[e]!;
    const start = process.hrtime.bigint();
    while (e < sample && g.from[e] === member) {
      inc.addEdge(g.from[e]!, g.to[e]!, g.cls[e] as PivotClass);
      e++;
    }
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(
    `incremental: ${times.length.toLocaleString()} observations (${sample.toLocaleString()} links): median ${q(0.5)} µs, ` +
      `p99 ${q(0.99)} µs, max ${q(1)} µs per observation; stale=${inc.stale}${inc.stale ? ` (${inc.staleReason})` : ''}`,
  );
}
console.log(`peak RSS of the process ${mib(peakRss())}`);
