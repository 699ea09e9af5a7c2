/**
 * Incremental clustering for arrivals between full reclusters. Unions are cheap and cannot be undone,
 * so this structure only ever merges: when a shared value crosses its kind's cap (and should stop
 * conducting), or a component grows implausibly fast, it marks itself `stale` so the caller runs a
 * full recluster — which is also what splits components.
 * @module
 */
import {
  type ClusterConfig,
  type ClusterResult,
  countHubDegrees,
  DEFAULT_CLUSTER_CONFIG,
  hubCut,
  hubKindMask,
} from './cluster.js';
import { PivotClass, type PivotGraph } from './pivot-graph.js';
import { UnionFind } from './union-find.js';

export interface GrowthConfig {
  /** A component that gains more than `maxGrowth` members within `windowMs` raises an alarm. */
  readonly maxGrowth: number;
  readonly windowMs: number;
}

export const DEFAULT_GROWTH: GrowthConfig = { maxGrowth: 200, windowMs: 3_600_000 };

export interface GrowthAlarm {
  /** A member of the component (its root when the alarm was raised). */
  readonly node: number;
  readonly size: number;
  readonly grew: number;
  readonly at: number;
  readonly reason: string;
}

export class IncrementalClusters {
  private readonly uf: UnionFind;
  private kind: Uint8Array;
  private known: Uint8Array;
  private degree: Uint32Array;
  /** Per member: strong links to values of the `hubKinds`, and 1 once that is over `hubCap`. */
  private hubDegree: Uint32Array;
  private hub: Uint8Array;
  /** 1 at each kind of `config.hubKinds`. */
  private readonly hubKind: Uint8Array;
  /** A member's cap of links to hub-kind values (learned by the last full recluster). */
  hubCap = Number.POSITIVE_INFINITY;
  /**
   * The members of each component as a ring (next[v] is the next node of v's component): two rings
   * merge in O(1) by swapping one pointer each, so a component can be listed without a scan.
   */
  private ring: Int32Array;
  /** Medium caps per value kind (learned by the last full recluster); `config.mediumCap` otherwise. */
  mediumCaps: readonly number[] = [];
  /** Members reached by medium edges, per medium value node (bounded by mediumCap). */
  private readonly valueMembers = new Map<number, number[]>();
  /** Medium values of each member (a handful each). */
  private readonly memberValues = new Map<number, number[]>();
  /** Values through which a union was made (a cap crossing matters only for these). */
  private readonly tied = new Set<number>();
  /** Medium values over their cap: they tie nobody any more. */
  private readonly saturated = new Set<number>();
  /** Direct medium edges between two members, by pair. */
  private readonly directPairs = new Map<number, number>();
  /** Per root: event time the growth window opened and the size then. */
  private readonly window = new Map<number, { start: number; size: number; alarmed: boolean }>();
  readonly alarms: GrowthAlarm[] = [];
  /**
   * With `staleOnCap` off: nodes whose earlier ties a cap crossing put in doubt (a strong value over its
   * kind's cap; the members of a medium value over its medium cap), for the caller to weigh.
   */
  readonly doubtful: number[] = [];
  /** Whether a cap crossing marks the whole structure stale (default) or only lists `doubtful` nodes. */
  staleOnCap = true;
  /** Set when something happened that only a full recluster can repair. */
  stale = false;
  staleReason = '';

  constructor(
    private readonly caps: readonly number[],
    private readonly config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    private readonly growth: GrowthConfig = DEFAULT_GROWTH,
    capacity = 1024,
  ) {
    this.uf = new UnionFind(0, capacity);
    this.kind = new Uint8Array(capacity);
    this.known = new Uint8Array(capacity);
    this.degree = new Uint32Array(capacity);
    this.hubDegree = new Uint32Array(capacity);
    this.hub = new Uint8Array(capacity);
    this.ring = new Int32Array(capacity);
    this.hubKind = hubKindMask(config.hubKinds);
  }

  /**
   * The state a full recluster ends in, so arrivals continue from it: every node of `g`, its groups
   * (components, or the parts Louvain cut an oversized one into) already joined, the strong degree of
   * every value and the medium values of every member. Nothing is re-derived: the groups are the full
   * recluster's own.
   */
  static seeded(
    g: PivotGraph,
    r: Pick<ClusterResult, 'strongDegree' | 'caps' | 'mediumCaps' | 'conducting'> &
      Partial<Pick<ClusterResult, 'hubs' | 'hubCap'>>,
    groups: readonly (readonly number[])[],
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    growth: GrowthConfig = DEFAULT_GROWTH,
  ): IncrementalClusters {
    const ic = new IncrementalClusters(r.caps, config, growth, Math.max(1024, g.nodeCount * 1.25));
    ic.mediumCaps = r.mediumCaps;
    if (r.hubCap !== undefined) ic.hubCap = r.hubCap;
    for (let v = 0; v < g.nodeCount; v++) {
      ic.addNode(g.kind[v], g.known[v] === 1);
      ic.degree[v] = r.strongDegree[v]!;
      if (r.hubs?.[v]) ic.hub[v] = 1;
      if (g.kind[v] !== 0 && r.conducting[v] && r.strongDegree[v]! >= 2) ic.tied.add(v);
    }
    countHubDegrees(g, ic.hubKind, ic.hubDegree);
    for (const nodes of groups) for (let i = 1; i < nodes.length; i++) ic.link(nodes[0]!, nodes[i]!);
    // Medium degrees first: a value over its kind's medium cap ties nobody, and its (possibly huge)
    // member list is not kept.
    const mediumDegree = new Uint32Array(g.nodeCount);
    for (let e = 0; e < g.edgeCount; e++) {
      if (g.cls[e] !== PivotClass.medium) continue;
      mediumDegree[g.from[e]!]!++;
      mediumDegree[g.to[e]!]!++;
    }
    for (let e = 0; e < g.edgeCount; e++) {
      if (g.cls[e] !== PivotClass.medium) continue;
      const a = g.from[e]!;
      const b = g.to[e]!;
      if (g.kind[a] === 0 && g.kind[b] === 0) {
        const key = pairKey(a, b);
        ic.directPairs.set(key, (ic.directPairs.get(key) ?? 0) + 1);
        continue;
      }
      const value = g.kind[a] === 0 ? b : a;
      const member = g.kind[a] === 0 ? a : b;
      if (g.known[value] || g.kind[member] !== 0) continue;
      if (mediumDegree[value]! > ic.mediumCapOf(value)) ic.saturated.add(value);
      else ic.remember(value, member);
    }
    return ic;
  }

  /** The nodes of v's component (v first). */
  component(v: number): number[] {
    const out = [v];
    for (let w = this.ring[v]!; w !== v; w = this.ring[w]!) out.push(w);
    return out;
  }

  /** Whether a value still conducts strong pivots (every member does). */
  conducting(v: number): boolean {
    const k = this.kind[v]!;
    if (k === 0) return true;
    if (this.known[v]) return false;
    return this.degree[v]! <= (this.caps[k] ?? this.config.degreeCap.min);
  }

  /** Whether the link a–b runs from a hub member to a value of a hub kind (it ties nothing). */
  hubCut(a: number, b: number): boolean {
    return hubCut(this.hub, this.hubKind, this.kind, a, b);
  }

  /** Whether v is a member entity (kind 0) rather than a shared value. */
  isMember(v: number): boolean {
    return this.kind[v] === 0;
  }

  get nodeCount(): number {
    return this.uf.count;
  }

  addNode(kind = 0, known = false): number {
    const id = this.uf.add();
    if (id >= this.kind.length) {
      const grow = <T extends Uint8Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.kind = grow(this.kind);
      this.known = grow(this.known);
      this.degree = grow(this.degree);
      this.hubDegree = grow(this.hubDegree);
      this.hub = grow(this.hub);
      const ring = new Int32Array(this.ring.length * 2);
      ring.set(this.ring);
      this.ring = ring;
    }
    this.ring[id] = id;
    this.kind[id] = kind;
    this.known[id] = known ? 1 : 0;
    return id;
  }

  find(v: number): number {
    return this.uf.find(v);
  }

  sizeOf(v: number): number {
    return this.uf.sizeOf(v);
  }

  /** Adds one link at event time `at` (ms); returns true when it merged two components. */
  addEdge(a: number, b: number, cls: PivotClass, at = 0): boolean {
    if (cls === PivotClass.strong) {
      if (!this.countHub(a, b) || !this.countHub(b, a)) return false;
      const okA = this.conducts(a);
      const okB = this.conducts(b);
      if (!(okA && okB) || !this.join(a, b, at)) return false;
      if (this.kind[a] !== 0) this.tied.add(a);
      if (this.kind[b] !== 0) this.tied.add(b);
      return true;
    }
    if (cls !== PivotClass.medium) return false;
    const ka = this.kind[a]!;
    const kb = this.kind[b]!;
    if (ka === 0 && kb === 0) {
      const key = pairKey(a, b);
      this.directPairs.set(key, (this.directPairs.get(key) ?? 0) + 1);
      return this.shared(a, b, -1) >= this.config.conjunction ? this.join(a, b, at) : false;
    }
    const value = ka === 0 ? b : a;
    const member = ka === 0 ? a : b;
    if (this.known[value] || this.kind[member] !== 0 || this.saturated.has(value)) return false;
    let list = this.valueMembers.get(value);
    if (!list) {
      list = [];
      this.valueMembers.set(value, list);
    }
    if (list.includes(member)) return false;
    if (list.length >= this.mediumCapOf(value)) {
      // The full recluster skips this value altogether: ties it helped make may be wrong.
      if (this.tied.has(value)) {
        if (this.staleOnCap)
          this.markStale(`medium value ${value} exceeds the cap of ${this.config.mediumCap}`);
        else if (!this.saturated.has(value)) this.doubtful.push(...list);
      }
      this.saturated.add(value);
      return false;
    }
    let merged = false;
    for (const w of list) {
      if (this.uf.find(w) === this.uf.find(member)) continue;
      if (this.shared(member, w, value) >= this.config.conjunction && this.join(member, w, at)) {
        merged = true;
        this.tied.add(value);
        for (const x of this.memberValues.get(member) ?? [])
          if (this.memberValues.get(w)?.includes(x)) this.tied.add(x);
      }
    }
    this.remember(value, member);
    return merged;
  }

  private mediumCapOf(value: number): number {
    return Math.min(this.config.mediumCap, this.mediumCaps[this.kind[value]!] ?? Number.POSITIVE_INFINITY);
  }

  private remember(value: number, member: number): void {
    let list = this.valueMembers.get(value);
    if (!list) {
      list = [];
      this.valueMembers.set(value, list);
    }
    list.push(member);
    let values = this.memberValues.get(member);
    if (!values) {
      values = [];
      this.memberValues.set(member, values);
    }
    values.push(value);
  }

  /** Union by size, merging the member rings; false when a and b were one component already. */
  private link(a: number, b: number): boolean {
    const ra = this.uf.find(a);
    const rb = this.uf.find(b);
    if (ra === rb) return false;
    this.uf.union(ra, rb);
    const t = this.ring[ra]!;
    this.ring[ra] = this.ring[rb]!;
    this.ring[rb] = t;
    return true;
  }

  /**
   * Medium pivots two members share, as the full recluster counts them: the values both have (with
   * `extra`, the value being added; -1 for none), a `collapseKinds` kind once, + direct medium edges
   * between them. Members have few medium values, so the intersection is cheap and no map over
   * co-occurring pairs is needed.
   */
  private shared(u: number, w: number, extra: number): number {
    const collapse = this.config.collapseKinds ?? [];
    // A collapsed kind counts once (keyed by -kind), any other value on its own (keyed by its id).
    const pieces = new Set<number>();
    const add = (x: number) => pieces.add(collapse.includes(this.kind[x]!) ? -1 - this.kind[x]! : x);
    if (extra >= 0) add(extra);
    const a = this.memberValues.get(u);
    const b = this.memberValues.get(w);
    if (a && b) for (const x of a) if (b.includes(x)) add(x);
    return pieces.size + (this.directPairs.get(pairKey(u, w)) ?? 0);
  }

  /**
   * Counts a strong link from member `m` to a value `v` of a hub kind; false when `m` is (or just
   * became) a hub, whose links to such values tie nothing. Crossing the cap leaves the ties its earlier
   * links made in doubt, as a value crossing its cap does.
   */
  private countHub(m: number, v: number): boolean {
    if (this.kind[m] !== 0 || !this.hubKind[this.kind[v]!]) return true;
    if (this.hub[m]) return false;
    if (++this.hubDegree[m]! <= this.hubCap) return true;
    this.hub[m] = 1;
    if (this.staleOnCap) this.markStale(`member ${m} crossed the cap ${this.hubCap} of its certificates`);
    else this.doubtful.push(m);
    return false;
  }

  private conducts(v: number): boolean {
    const k = this.kind[v]!;
    if (k === 0) return true;
    if (this.known[v]) return false;
    const d = ++this.degree[v]!;
    const cap = this.caps[k] ?? this.config.degreeCap.min;
    if (d > cap) {
      // Only a value that already tied something leaves a union the full recluster would not make.
      if (d === cap + 1 && this.tied.has(v)) {
        if (this.staleOnCap) this.markStale(`value ${v} crossed the degree cap ${cap} of its kind`);
        else this.doubtful.push(v);
      }
      return false;
    }
    return true;
  }

  private join(a: number, b: number, at: number): boolean {
    const ra = this.uf.find(a);
    const rb = this.uf.find(b);
    if (ra === rb) return false;
    const wa = this.window.get(ra);
    const wb = this.window.get(rb);
    const sa = this.uf.sizeOf(ra);
    const sb = this.uf.sizeOf(rb);
    this.link(ra, rb);
    const root = this.uf.find(ra);
    const size = sa + sb;
    // The growth window of the merged component is the older of the two (the bigger one's if none).
    const base = older(wa, wb) ?? { start: at, size: Math.max(sa, sb), alarmed: false };
    let w = base;
    if (at - base.start > this.growth.windowMs) w = { start: at, size: Math.max(sa, sb), alarmed: false };
    this.window.delete(ra);
    this.window.delete(rb);
    this.window.set(root, w);
    const grew = size - w.size;
    if (!w.alarmed && grew > this.growth.maxGrowth) {
      w.alarmed = true;
      this.alarms.push({
        node: root,
        size,
        grew,
        at,
        reason: `component grew by ${grew} to ${size} members within ${Math.round(this.growth.windowMs / 60000)} min`,
      });
      this.markStale('implausible growth');
    }
    return true;
  }

  private markStale(reason: string): void {
    if (!this.stale) this.staleReason = reason;
    this.stale = true;
  }
}

/** Pair key of two node ids (exact below 2^26 ids each). */
const pairKey = (a: number, b: number) => (a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a);

function older<T extends { start: number }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.start <= b.start ? a : b;
}
