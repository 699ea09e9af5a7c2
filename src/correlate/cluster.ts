/**
 * Full recluster: connected components over the conducting part of the pivot graph.
 *
 * Precursor's own model (hence written here, not taken from a graph library): a strong pivot ties its
 * two ends unless one end is a ubiquitous shared value; medium pivots tie a pair of entities only when
 * the pair shares at least `conjunction` different medium values. The ubiquity cap of each value kind
 * is learned from the degrees the data shows, so a CDN's anycast IP or a shared office IP, whose degree
 * stands far above the other values of its kind, stops conducting without anyone listing it.
 * @module
 */
import { buildCsr, type Csr, PivotClass, type PivotGraph } from './pivot-graph.js';
import { UnionFind } from './union-find.js';

export interface ClusterConfig {
  /** Degree cap of a shared value, learned per value kind within [min, max]. */
  readonly degreeCap: {
    readonly min: number;
    readonly max: number;
    /**
     * Cap = exp(median + madFactor · 1.4826 · MAD) of log-degrees of the kind's shared values (the mean
     * absolute deviation standing in when the MAD is 0: `outlierBound`).
     */
    readonly madFactor: number;
  };
  /** Fixed caps per value kind that override the learned one (config). */
  readonly capOverrides?: Readonly<Record<number, number>>;
  /** A medium value shared by more members than this is ignored (bounds the pair enumeration). */
  readonly mediumCap: number;
  /** How many different medium values a pair must share to be tied. */
  readonly conjunction: number;
  /**
   * Value kinds whose values count once per pair, however many a pair shares: facets of one thing
   * (the several kit rules one kit matches, a provider's pair of name servers), not independent evidence.
   */
  readonly collapseKinds?: readonly number[];
  /** A component larger than this raises an alarm (no real campaign is this big). */
  readonly alarmSize: number;
  /**
   * A component of at most this many member entities (an island: a site, its certificates and its
   * page) joins the one component larger than an island it shares `conjunction` independent pivots
   * with, counted between the two groups rather than between two entities (`attachIslands`); 0: off.
   */
  readonly islandSize?: number;
  /**
   * Value kinds (certificates) through which a member that holds far more of them than members
   * normally do stops conducting: `microsoft.com` named beside strangers' names on a thousand
   * certificates is itself a shared value, and would tie every one of them together. The cap is learned
   * from members' degrees towards these kinds as a value kind's is (`hubCap`).
   */
  readonly hubKinds?: readonly number[];
}

export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  degreeCap: { min: 8, max: 200, madFactor: 3 },
  mediumCap: 20,
  conjunction: 2,
  alarmSize: 2000,
  islandSize: 16,
};

export interface ComponentAlarm {
  readonly component: number;
  readonly size: number;
  readonly reason: string;
}

export interface ClusterResult {
  /** Component label of every node, 0..componentCount-1. */
  readonly component: Int32Array;
  readonly componentCount: number;
  readonly sizes: Int32Array;
  /** 1 where a node conducts strong pivots (every entity; a value under its kind's cap). */
  readonly conducting: Uint8Array;
  /** Strong degree of each node (what the cap is compared with). */
  readonly strongDegree: Uint32Array;
  /** 1 for a member over `hubCap`: its links to values of `hubKinds` tie nothing. */
  readonly hubs: Uint8Array;
  /** Learned cap of a member's strong links to values of `hubKinds` (Infinity without such kinds). */
  readonly hubCap: number;
  /** 1 at the index of each kind of `hubKinds`. */
  readonly hubKind: Uint8Array;
  /** The cap in force per value kind (index = kind; 0 unused). */
  readonly caps: readonly number[];
  /** The medium-degree cap in force per value kind (learned, never above `mediumCap`). */
  readonly mediumCaps: readonly number[];
  readonly stats: ClusterStats;
  readonly alarms: readonly ComponentAlarm[];
  readonly csr: Csr;
}

export interface ClusterStats {
  readonly nodes: number;
  readonly edges: number;
  readonly strongUnions: number;
  /** Shared values that stopped conducting: known shared infrastructure, and over the degree cap. */
  readonly knownShared: number;
  readonly overCap: number;
  /** Entity pairs tied by the conjunction of medium pivots. */
  readonly mediumTies: number;
  /** Members whose links to `hubKinds` values stopped conducting (over `hubCap`). */
  readonly hubMembers: number;
  /** Islands joined to a larger component by pivots they share with it (`attachIslands`). */
  readonly islandsAttached: number;
  readonly mediumValuesSkipped: number;
  readonly largest: number;
  /** Histogram of component sizes in powers of two: `sizeBuckets[i]` counts sizes in [2^i, 2^(i+1)). */
  readonly sizeBuckets: readonly number[];
  /** Milliseconds per phase: csr, caps, strong, medium, labels. */
  readonly phaseMs: Readonly<Record<'csr' | 'caps' | 'strong' | 'medium' | 'islands' | 'labels', number>>;
}

/**
 * Learns the degree cap of each value kind from the degrees of its shared (degree ≥ 2) values — strong
 * degrees for the strong cap, medium degrees for the medium one (a VPN exit or an office address that
 * dozens of accounts share stands far above the addresses a household or a small team shares).
 */
export function learnCaps(
  g: PivotGraph,
  strongDegree: Uint32Array,
  config: Pick<ClusterConfig, 'degreeCap' | 'capOverrides'>,
): number[] {
  const byKind = new Map<number, number[]>();
  for (let v = 0; v < g.nodeCount; v++) {
    const k = g.kind[v]!;
    const d = strongDegree[v]!;
    if (k === 0 || d < 2 || g.known[v]) continue;
    let list = byKind.get(k);
    if (!list) {
      list = [];
      byKind.set(k, list);
    }
    list.push(Math.log(d));
  }
  const caps: number[] = [];
  let maxKind = 0;
  for (let v = 0; v < g.nodeCount; v++) maxKind = Math.max(maxKind, g.kind[v]!);
  for (let k = 0; k <= maxKind; k++) {
    const override = config.capOverrides?.[k];
    if (override !== undefined) {
      caps[k] = override;
      continue;
    }
    caps[k] = learnedCap(byKind.get(k), config.degreeCap);
  }
  return caps;
}

/**
 * The degree above which a node stands out among nodes whose log-degrees are `logs` (`outlierBound`),
 * within `[min, max]`; `min` when there are none.
 */
function learnedCap(logs: readonly number[] | undefined, cap: ClusterConfig['degreeCap']): number {
  if (!logs || logs.length === 0) return cap.min;
  return Math.max(cap.min, Math.min(cap.max, Math.floor(Math.exp(outlierBound(logs, cap.madFactor)))));
}

/**
 * median + factor · spread of `xs`: the bound above which a value stands out. The spread is the MAD
 * scaled to a standard deviation (1.4826 · MAD); when more than half the values are equal the MAD is 0
 * and says nothing about the rest, so the mean absolute deviation from the median, scaled the same way
 * (1.2533 · MeanAD; Iglewicz & Hoaglin's fallback for the modified z-score), stands in. Without it, a
 * kind where most values have one degree — most certificates name a site and its `www` — learns a cap of
 * exactly that degree, and every ordinary multi-name certificate (an operator's ten names, a cPanel
 * set) stops conducting as if it were a CDN's.
 */
export function outlierBound(xs: readonly number[], factor: number): number {
  const med = median(xs);
  const deviations = xs.map((x) => Math.abs(x - med));
  const mad = median(deviations);
  const spread =
    mad > 0 ? 1.4826 * mad : (1.2533 * deviations.reduce((a, b) => a + b, 0)) / Math.max(1, xs.length);
  return med + factor * spread;
}

function median(xs: readonly number[]): number {
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export function cluster(g: PivotGraph, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG): ClusterResult {
  const n = g.nodeCount;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return Math.round(ms);
  };
  const csr = buildCsr(g);
  const csrMs = lap();
  const strongDegree = new Uint32Array(n);
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.cls[e] !== PivotClass.strong) continue;
    strongDegree[g.from[e]!]!++;
    strongDegree[g.to[e]!]!++;
  }
  const caps = learnCaps(g, strongDegree, config);
  const capsMs = lap();
  const conducting = new Uint8Array(n);
  let knownShared = 0;
  let overCap = 0;
  for (let v = 0; v < n; v++) {
    const k = g.kind[v]!;
    if (k === 0) conducting[v] = 1;
    else if (g.known[v]) knownShared++;
    else if (strongDegree[v]! > caps[k]!) overCap++;
    else conducting[v] = 1;
  }
  const { hubs, hubCap, hubMembers, isHubKind } = memberHubs(g, config);

  const uf = new UnionFind(n);
  let strongUnions = 0;
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.cls[e] !== PivotClass.strong) continue;
    const a = g.from[e]!;
    const b = g.to[e]!;
    if (!conducting[a] || !conducting[b]) continue;
    if (hubCut(hubs, isHubKind, g.kind, a, b)) continue;
    if (uf.union(a, b) >= 0) strongUnions++;
  }

  const strongMs = lap();
  const { ties, skipped, mediumCaps } = mediumTies(g, csr, config);
  let mediumTieCount = 0;
  for (const [a, b] of ties) {
    mediumTieCount++;
    uf.union(a, b);
  }

  const mediumMs = lap();
  const labelled = uf.labels();
  const joins = config.islandSize ? attachIslands(g, csr, labelled, conducting, config) : [];
  const { label, sizes, count } = joins.length > 0 ? joinLabels(labelled, joins) : labelled;
  const islandsAttached = joins.length;
  const islandsMs = lap();
  const buckets: number[] = [];
  let largest = 0;
  const alarms: ComponentAlarm[] = [];
  for (let c = 0; c < count; c++) {
    const s = sizes[c]!;
    if (s > largest) largest = s;
    const b = 31 - Math.clz32(s);
    while (buckets.length <= b) buckets.push(0);
    buckets[b]!++;
    if (s > config.alarmSize)
      alarms.push({
        component: c,
        size: s,
        reason: `component of ${s} nodes exceeds the plausible campaign size ${config.alarmSize}`,
      });
  }
  return {
    component: label,
    componentCount: count,
    sizes,
    conducting,
    strongDegree,
    hubs,
    hubCap,
    hubKind: isHubKind,
    caps,
    mediumCaps,
    csr,
    alarms,
    stats: {
      nodes: n,
      edges: g.edgeCount,
      strongUnions,
      knownShared,
      overCap,
      mediumTies: mediumTieCount,
      hubMembers,
      islandsAttached,
      mediumValuesSkipped: skipped,
      largest,
      sizeBuckets: buckets,
      phaseMs: {
        csr: csrMs,
        caps: capsMs,
        strong: strongMs,
        medium: mediumMs,
        islands: islandsMs,
        labels: lap(),
      },
    },
  };
}

/**
 * Whether the link a–b goes from a hub member (`hubs`) to a value of a hub kind (`hubKind`, by the
 * nodes' `kind`): it ties nothing. Shared by the full run (`ClusterResult`) and the incremental state.
 */
export function hubCut(
  hubs: Uint8Array,
  hubKind: Uint8Array,
  kind: Uint8Array,
  a: number,
  b: number,
): boolean {
  return (hubs[a] === 1 && hubKind[kind[b]!] === 1) || (hubs[b] === 1 && hubKind[kind[a]!] === 1);
}

/** 1 at each kind of `hubKinds` (indexed by kind). */
export function hubKindMask(hubKinds: readonly number[] | undefined): Uint8Array {
  const mask = new Uint8Array(256);
  for (const k of hubKinds ?? []) if (k > 0) mask[k] = 1;
  return mask;
}

/** Adds to `into` each member's count of strong links to values of the kinds in `mask`. */
export function countHubDegrees(g: PivotGraph, mask: Uint8Array, into: Uint32Array): void {
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.cls[e] !== PivotClass.strong) continue;
    const a = g.from[e]!;
    const b = g.to[e]!;
    if (g.kind[a] === 0 && mask[g.kind[b]!]) into[a]!++;
    else if (g.kind[b] === 0 && mask[g.kind[a]!]) into[b]!++;
  }
}

/**
 * Members that are shared values in all but name: for the `hubKinds` (certificates), each member's
 * count of strong links to values of those kinds, and the cap learned from the members holding two or
 * more as a value kind's degree cap is (`outlierBound`, within `degreeCap`). A name renewed on a few
 * certificates stays under it; one named beside strangers on hundreds is over it.
 */
function memberHubs(
  g: PivotGraph,
  config: Pick<ClusterConfig, 'hubKinds' | 'degreeCap'>,
): { hubs: Uint8Array; hubCap: number; hubMembers: number; isHubKind: Uint8Array } {
  const n = g.nodeCount;
  const hubs = new Uint8Array(n);
  const hubDegree = new Uint32Array(n);
  const isHubKind = hubKindMask(config.hubKinds);
  if (!config.hubKinds?.some((k) => k > 0))
    return { hubs, hubCap: Number.POSITIVE_INFINITY, hubMembers: 0, isHubKind };
  countHubDegrees(g, isHubKind, hubDegree);
  const logs: number[] = [];
  for (let v = 0; v < n; v++) if (g.kind[v] === 0 && hubDegree[v]! >= 2) logs.push(Math.log(hubDegree[v]!));
  const hubCap = learnedCap(logs, config.degreeCap);
  let hubMembers = 0;
  for (let v = 0; v < n; v++)
    if (g.kind[v] === 0 && hubDegree[v]! > hubCap) {
      hubs[v] = 1;
      hubMembers++;
    }
  return { hubs, hubCap, hubMembers, isHubKind };
}

/**
 * Pairs of member entities that share at least `conjunction` different medium values (value nodes
 * reached by a medium edge, or a direct medium edge between the two); values of a `collapseKinds` kind
 * count once. Values that are known shared
 * infrastructure or shared by more than `mediumCap` members are skipped: they say nothing and would
 * make the work quadratic.
 *
 * Counted per entity u with a scratch counter over the members reached through u's medium values
 * (only those after u), so memory stays O(nodes) instead of a map over every co-occurring pair.
 */
export function mediumTies(
  g: PivotGraph,
  csr: Csr,
  config: Pick<ClusterConfig, 'mediumCap' | 'conjunction' | 'collapseKinds'> &
    Partial<Pick<ClusterConfig, 'degreeCap' | 'capOverrides'>>,
): { ties: Array<[number, number]>; skipped: number; mediumCaps: number[] } {
  const collapse = new Set(config.collapseKinds ?? []);
  const n = g.nodeCount;
  const { off, adj } = csr;
  const medium = PivotClass.medium;
  const acls = csr.cls;
  const kind = g.kind;
  // Medium degree of each value towards member entities (parallel edges counted; only a bound).
  const mdeg = new Uint32Array(n);
  let skipped = 0;
  for (let v = 0; v < n; v++) {
    if (kind[v] === 0) continue;
    let d = 0;
    for (let i = off[v]!; i < off[v + 1]!; i++) if (acls[i] === medium && kind[adj[i]!] === 0) d++;
    mdeg[v] = d;
  }
  // The medium cap of each kind is learned from the data as the strong one is, within `mediumCap`.
  const learned = learnCaps(g, mdeg, {
    degreeCap: { ...(config.degreeCap ?? DEFAULT_CLUSTER_CONFIG.degreeCap), max: config.mediumCap },
    ...(config.capOverrides ? { capOverrides: config.capOverrides } : {}),
  });
  const mediumCaps = learned.map((c) => Math.min(c, config.mediumCap));
  const capOf = (v: number) => mediumCaps[kind[v]!] ?? config.mediumCap;
  for (let v = 0; v < n; v++)
    if (kind[v] !== 0 && mdeg[v]! >= 2 && (g.known[v] || mdeg[v]! > capOf(v))) skipped++;
  const count = new Uint8Array(n);
  // Visit stamps: a value counted once per u, a member once per value (parallel edges add nothing).
  const valueSeen = new Int32Array(n).fill(-1);
  const memberSeen = new Int32Array(n).fill(-1);
  let visit = 0;
  const touched: number[] = [];
  const ties: Array<[number, number]> = [];
  const bump = (x: number) => {
    if (count[x] === 0) touched.push(x);
    if (count[x]! < 255) count[x]!++;
  };
  const values: number[] = [];
  for (let u = 0; u < n; u++) {
    if (kind[u] !== 0) continue;
    values.length = 0;
    for (let i = off[u]!; i < off[u + 1]!; i++) {
      if (acls[i] !== medium) continue;
      const w = adj[i]!;
      if (kind[w] === 0) {
        // Each direct medium edge is its own pivot (callers add one per distinct relation).
        if (w > u) bump(w);
        continue;
      }
      if (valueSeen[w] === u || g.known[w] || mdeg[w]! < 2 || mdeg[w]! > capOf(w)) continue;
      valueSeen[w] = u;
      values.push(w);
    }
    // Values of a collapsed kind count once: two kit rules matching one kit, or a provider's pair of
    // name servers, are one piece of evidence, not two.
    values.sort((a, b) => kind[a]! - kind[b]! || a - b);
    let stamp = -1;
    let lastKind = -1;
    for (const w of values) {
      if (kind[w] !== lastKind || !collapse.has(kind[w]!)) {
        lastKind = kind[w]!;
        stamp = visit++;
      }
      for (let j = off[w]!; j < off[w + 1]!; j++) {
        const x = adj[j]!;
        if (x <= u || acls[j] !== medium || kind[x] !== 0 || memberSeen[x] === stamp) continue;
        memberSeen[x] = stamp;
        bump(x);
      }
    }
    for (const x of touched) {
      if (count[x]! >= config.conjunction) ties.push([u, x]);
      count[x] = 0;
    }
    touched.length = 0;
  }
  return { ties, skipped, mediumCaps };
}

/**
 * Joins small islands to the group they belong to. An operator's site on a certificate of its own, whose
 * page posts to a same-site script, is tied to the rest of the operation only by what the operation
 * shares too widely to tie pairs: its kit family (on a hundred pages), its exfiltration bot (over the
 * kind's degree cap), its naming template. Counted between two entities such a value is ubiquitous; counted
 * between groups it is not: the kit's hundred pages sit in a handful of components. So, over the
 * components the strong and medium ties made:
 * - a value is *focused* when its members (by medium links; by strong links too when it is over its cap)
 *   fall in 2 to `mediumCap` components; a value spread over more (a CDN address, a big registrar's day)
 *   ties no group, and a listed shared value none at all;
 * - an island (at most `islandSize` member entities) joins a component larger than an island with which
 *   it shares focused values of at least `conjunction` different kinds (kinds, not values: two rules of
 *   one kit, two addresses of one host are one piece of evidence) — the one sharing the most kinds, then
 *   the largest, then the lowest id — and only one: an island never bridges two operations, islands
 *   never gather among themselves, and two large components are never merged this way. (Only pairs with
 *   a large component are counted, so the work stays near one pass over the links.)
 * Returns the joins as [island, target], component labels before the joins.
 */
export function attachIslands(
  g: PivotGraph,
  csr: Csr,
  components: { readonly label: Int32Array; readonly count: number },
  conducting: Uint8Array,
  config: Pick<ClusterConfig, 'islandSize' | 'mediumCap' | 'conjunction'>,
): Array<[number, number]> {
  const islandSize = config.islandSize ?? 0;
  if (islandSize <= 0) return [];
  const n = g.nodeCount;
  const { off, adj } = csr;
  const acls = csr.cls;
  const kind = g.kind;
  const root = components.label;
  const members = new Int32Array(components.count);
  for (let v = 0; v < n; v++) if (kind[v] === 0) members[root[v]!]!++;
  // Per island root: the kinds of focused values it shares with each component larger than an island.
  const shared = new Map<number, Map<number, number[]>>();
  const seen = new Int32Array(components.count).fill(-1);
  // The components of one value (at most mediumCap + 1 before it counts as spread).
  const roots = new Int32Array(config.mediumCap + 1);
  for (let w = 0; w < n; w++) {
    if (kind[w] === 0 || g.known[w]) continue;
    // A conducting value's strong members are one component already; only its medium links count.
    const strongCounts = !conducting[w];
    let nr = 0;
    let spread = false;
    let large = false;
    for (let i = off[w]!; i < off[w + 1]!; i++) {
      const c = acls[i]!;
      if (!(c === PivotClass.medium || (c === PivotClass.strong && strongCounts))) continue;
      const x = adj[i]!;
      if (kind[x] !== 0) continue;
      const r = root[x]!;
      if (seen[r] === w) continue;
      seen[r] = w;
      roots[nr++] = r;
      if (members[r]! > islandSize) large = true;
      if (nr > config.mediumCap) {
        spread = true;
        break;
      }
    }
    if (spread || !large || nr < 2) continue;
    for (let i = 0; i < nr; i++) {
      const a = roots[i]!;
      if (members[a]! > islandSize) continue;
      let byTarget = shared.get(a);
      for (let j = 0; j < nr; j++) {
        const b = roots[j]!;
        if (members[b]! <= islandSize) continue;
        if (!byTarget) {
          byTarget = new Map();
          shared.set(a, byTarget);
        }
        const kinds = byTarget.get(b);
        if (!kinds) byTarget.set(b, [kind[w]!]);
        else if (!kinds.includes(kind[w]!)) kinds.push(kind[w]!);
      }
    }
  }
  const joins: Array<[number, number]> = [];
  for (const [island, byTarget] of shared) {
    let best = -1;
    let bestKinds = 0;
    for (const [target, kinds] of byTarget) {
      const k = kinds.length;
      if (k < config.conjunction) continue;
      const larger =
        members[target]! > members[best]! || (members[target] === members[best] && target < best);
      if (k > bestKinds || (k === bestKinds && larger)) {
        best = target;
        bestKinds = k;
      }
    }
    if (best >= 0) joins.push([island, best]);
  }
  return joins;
}

/**
 * Component labels with each island's label replaced by its target's, made dense again (first
 * appearance order, as `UnionFind.labels`). Targets are never islands, so one step resolves a join.
 */
function joinLabels(
  c: { readonly label: Int32Array; readonly count: number },
  joins: ReadonlyArray<readonly [number, number]>,
): { label: Int32Array; sizes: Int32Array; count: number } {
  const to = new Int32Array(c.count);
  for (let l = 0; l < c.count; l++) to[l] = l;
  for (const [a, b] of joins) to[a] = b;
  const dense = new Int32Array(c.count).fill(-1);
  const label = new Int32Array(c.label.length);
  let count = 0;
  for (let v = 0; v < label.length; v++) {
    const l = to[c.label[v]!]!;
    if (dense[l]! < 0) dense[l] = count++;
    label[v] = dense[l]!;
  }
  const sizes = new Int32Array(count);
  for (let v = 0; v < label.length; v++) sizes[label[v]!]!++;
  return { label, sizes, count };
}
