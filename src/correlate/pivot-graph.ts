/**
 * The entity graph as plain typed arrays: nodes are dense ids, edges carry a pivot class. This is the
 * input of every clustering step; the correlate stage builds it from stored entities and links (the
 * strength of a link is decided in pivots.ts, its class here follows from it).
 * @module
 */

/**
 * How much one shared value says about common ownership.
 * - strong: one is enough (same certificate, same payment instrument, same wallet, same account);
 * - medium: counts only in conjunction — two different medium values shared by the same pair make a
 *   tie, one alone never does (a CDN nameserver pair, a kit family, registration day + registrar, a
 *   naming template);
 * - weak: never ties anything; kept for explanations only (same ASN, same free CA).
 */
export const PivotClass = { strong: 0, medium: 1, weak: 2 } as const;
export type PivotClass = (typeof PivotClass)[keyof typeof PivotClass];

/**
 * The graph the clusterer reads. `kind[v]` is 0 for an entity that can be a campaign member in its
 * own right (domain, account, page, …) and k > 0 for a shared value of value-kind k (an IP, a
 * nameserver, a certificate, an email, …): only values take the ubiquity discount, so an operator's
 * account attached to 40 of its domains is never capped for being busy.
 */
export interface PivotGraph {
  readonly nodeCount: number;
  readonly kind: Uint8Array;
  /** 1 when the value is on the known shared-infrastructure list (never conducts). */
  readonly known: Uint8Array;
  readonly edgeCount: number;
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly cls: Uint8Array;
}

/** Compressed sparse rows over an undirected PivotGraph: neighbours of v are adj[off[v]..off[v+1]). */
export interface Csr {
  readonly off: Uint32Array;
  readonly adj: Uint32Array;
  /** Edge index of each adjacency entry (for the strength, provenance of the edge). */
  readonly edge: Uint32Array;
  /** Pivot class of each adjacency entry (a copy in adjacency order: scans read it sequentially). */
  readonly cls: Uint8Array;
}

export function buildCsr(g: PivotGraph): Csr {
  const n = g.nodeCount;
  const m = g.edgeCount;
  const off = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) {
    off[g.from[e]! + 1]!++;
    off[g.to[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) off[v + 1] = off[v + 1]! + off[v]!;
  const fill = off.slice(0, n);
  const adj = new Uint32Array(2 * m);
  const edge = new Uint32Array(2 * m);
  const cls = new Uint8Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = g.from[e]!;
    const b = g.to[e]!;
    const c = g.cls[e]!;
    let i = fill[a]!++;
    adj[i] = b;
    edge[i] = e;
    cls[i] = c;
    i = fill[b]!++;
    adj[i] = a;
    edge[i] = e;
    cls[i] = c;
  }
  return { off, adj, edge, cls };
}

/** Builds a PivotGraph from keyed edges (tests, small graphs, the store adapter). */
export class PivotGraphBuilder {
  private readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  private kinds: number[] = [];
  private knowns: number[] = [];
  private readonly f: number[] = [];
  private readonly t: number[] = [];
  private readonly c: number[] = [];

  /** Id of a node, created on first use; `kind` 0 = member entity, > 0 = shared value of that kind. */
  node(key: string, kind = 0, known = false): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
      this.kinds.push(kind);
      this.knowns.push(known ? 1 : 0);
    }
    return id;
  }

  id(key: string): number | undefined {
    return this.ids.get(key);
  }

  edge(a: number, b: number, cls: PivotClass): void {
    if (a === b) return;
    this.f.push(a);
    this.t.push(b);
    this.c.push(cls);
  }

  build(): PivotGraph {
    return {
      nodeCount: this.keys.length,
      kind: Uint8Array.from(this.kinds),
      known: Uint8Array.from(this.knowns),
      edgeCount: this.f.length,
      from: Uint32Array.from(this.f),
      to: Uint32Array.from(this.t),
      cls: Uint8Array.from(this.c),
    };
  }
}
