import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cluster, DEFAULT_CLUSTER_CONFIG } from './cluster.js';
import { IncrementalClusters } from './incremental.js';
import { PivotClass, type PivotGraph } from './pivot-graph.js';

/** A random graph of small planted groups with shared values and a few medium pivots. */
function randomGraph(seed: number): PivotGraph {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const n = 3000;
  const kind = new Uint8Array(n);
  for (let v = 2000; v < n; v++) kind[v] = v < 2900 ? 1 : 2;
  const f: number[] = [];
  const t: number[] = [];
  const c: number[] = [];
  for (let e = 0; e < 4000; e++) {
    const a = Math.floor(rnd() * 2000);
    const medium = rnd() < 0.2;
    const v = medium ? 2900 + Math.floor(rnd() * 100) : 2000 + Math.floor(rnd() * 900);
    f.push(a);
    t.push(v);
    c.push(medium ? PivotClass.medium : PivotClass.strong);
  }
  return {
    nodeCount: n,
    kind,
    known: new Uint8Array(n),
    edgeCount: f.length,
    from: Uint32Array.from(f),
    to: Uint32Array.from(t),
    cls: Uint8Array.from(c),
  };
}

describe('IncrementalClusters', () => {
  it('reaches the partition of a full recluster when no value crosses its cap', () => {
    const g = randomGraph(7);
    const full = cluster(g, { ...DEFAULT_CLUSTER_CONFIG, capOverrides: { 1: 1e6, 2: 1e6 } });
    const inc = new IncrementalClusters([0, 1e6, 1e6], DEFAULT_CLUSTER_CONFIG, {
      maxGrowth: 1e9,
      windowMs: 1,
    });
    for (let v = 0; v < g.nodeCount; v++) inc.addNode(g.kind[v]!);
    for (let e = 0; e < g.edgeCount; e++) inc.addEdge(g.from[e]!, g.to[e]!, g.cls[e] as PivotClass);
    assert.equal(inc.stale, false);
    const seen = new Map<number, number>();
    for (let v = 0; v < g.nodeCount; v++) {
      const root = inc.find(v);
      const label = full.component[v]!;
      const prior = seen.get(label);
      if (prior === undefined) seen.set(label, root);
      else assert.equal(root, prior, `node ${v}`);
    }
    assert.equal(
      new Set(Array.from({ length: g.nodeCount }, (_, v) => inc.find(v))).size,
      full.componentCount,
    );
  });

  it('stops conducting through a value that crosses its cap and asks for a full recluster', () => {
    const inc = new IncrementalClusters([0, 3]);
    const ip = inc.addNode(1);
    const accounts = Array.from({ length: 5 }, () => inc.addNode());
    for (const a of accounts) inc.addEdge(a, ip, PivotClass.strong);
    assert.equal(inc.sizeOf(accounts[0]!), 4, 'three accounts and the IP');
    assert.notEqual(inc.find(accounts[4]!), inc.find(accounts[0]!));
    assert.equal(inc.stale, true);
    assert.match(inc.staleReason, /crossed the degree cap 3/);
  });

  it('stops conducting through a member that crosses the cap of its certificates', () => {
    const inc = new IncrementalClusters([0, 100], { ...DEFAULT_CLUSTER_CONFIG, hubKinds: [1] });
    inc.hubCap = 3;
    const hub = inc.addNode();
    const names = Array.from({ length: 5 }, () => inc.addNode());
    for (const d of names) {
      const cert = inc.addNode(1);
      inc.addEdge(d, cert, PivotClass.strong);
      inc.addEdge(hub, cert, PivotClass.strong);
    }
    assert.equal(inc.find(names[2]!), inc.find(hub), 'three certificates: under the cap');
    assert.notEqual(inc.find(names[3]!), inc.find(hub), 'the fourth ties nothing');
    assert.notEqual(inc.find(names[4]!), inc.find(hub));
    assert.equal(inc.hubCut(hub, names.length + 2), true);
    assert.equal(inc.stale, true);
    assert.match(inc.staleReason, /crossed the cap 3 of its certificates/);
  });

  it('needs no full recluster when a value that tied nothing passes the medium cap', () => {
    const inc = new IncrementalClusters([0, 10], { ...DEFAULT_CLUSTER_CONFIG, mediumCap: 3 });
    const ns = inc.addNode(1);
    for (let i = 0; i < 5; i++) inc.addEdge(inc.addNode(), ns, PivotClass.medium);
    assert.equal(inc.stale, false);
  });

  it('ties by two medium values only, a collapsed kind counting once', () => {
    const inc = new IncrementalClusters([0, 10, 10], { ...DEFAULT_CLUSTER_CONFIG, collapseKinds: [1] });
    const [kit, kit2, day] = [inc.addNode(1), inc.addNode(1), inc.addNode(2)];
    const [a, b] = [inc.addNode(), inc.addNode()];
    assert.equal(inc.addEdge(a, kit, PivotClass.medium), false);
    assert.equal(inc.addEdge(b, kit, PivotClass.medium), false);
    // Two kit rules matching one kit are one piece of evidence.
    assert.equal(inc.addEdge(a, kit2, PivotClass.medium), false);
    assert.equal(inc.addEdge(b, kit2, PivotClass.medium), false);
    assert.equal(inc.addEdge(a, day, PivotClass.medium), false);
    assert.equal(inc.addEdge(b, day, PivotClass.medium), true);
  });

  it('raises an alarm when a component grows implausibly fast', () => {
    const inc = new IncrementalClusters([0, 1e6], DEFAULT_CLUSTER_CONFIG, {
      maxGrowth: 50,
      windowMs: 3_600_000,
    });
    const account = inc.addNode();
    // 40 names in an hour is a busy operator; 80 more in the next ten minutes is not plausible.
    for (let i = 0; i < 40; i++) inc.addEdge(account, inc.addNode(), PivotClass.strong, i * 90_000);
    assert.equal(inc.alarms.length, 0);
    for (let i = 0; i < 80; i++)
      inc.addEdge(account, inc.addNode(), PivotClass.strong, 3_700_000 + i * 7_500);
    assert.equal(inc.alarms.length, 1);
    assert.match(inc.alarms[0]!.reason, /grew by 51 to 92 members/);
  });
});
