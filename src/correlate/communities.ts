/**
 * Community detection inside one component that is too big to be one campaign. Louvain (graphology's,
 * pinned) runs only on such components — never on the whole graph, which the typed-array backbone
 * handles a hundred times faster — with a resolution scaled to the component: at the default
 * resolution 1, modularity's resolution limit merges small planted campaigns into big communities.
 * @module
 */
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';

// The package is CommonJS (`module.exports = fn`) with ESM-style typings: under NodeNext the default
// import is the function at run time, but the types call it the module namespace.
const louvain = louvainModule as unknown as typeof louvainModule.default;

export interface SplitConfig {
  /** Components with more members than this are split. */
  readonly splitAbove: number;
  /** The campaign size the resolution aims at; resolution = clamp(sqrt(size / expected), 1, max). */
  readonly expectedSize: number;
  readonly maxResolution: number;
  /** Seed of Louvain's random order, so a recluster is reproducible. */
  readonly seed: number;
}

export const DEFAULT_SPLIT_CONFIG: SplitConfig = {
  splitAbove: 2000,
  expectedSize: 40,
  maxResolution: 8,
  seed: 1,
};

export function resolutionFor(size: number, config: SplitConfig = DEFAULT_SPLIT_CONFIG): number {
  return Math.min(config.maxResolution, Math.max(1, Math.sqrt(size / config.expectedSize)));
}

/**
 * Splits one component into communities. `nodes` are the component's node ids; `edges` its internal
 * edges as [a, b, weight]. Returns groups of node ids (one group when no split helps).
 */
export function splitComponent(
  nodes: readonly number[],
  edges: ReadonlyArray<readonly [number, number, number]>,
  config: SplitConfig = DEFAULT_SPLIT_CONFIG,
): number[][] {
  if (nodes.length <= config.splitAbove) return [nodes.slice()];
  const g = new UndirectedGraph();
  for (const v of nodes) g.addNode(String(v));
  for (const [a, b, w] of edges) {
    if (a === b) continue;
    const ka = String(a);
    const kb = String(b);
    if (g.hasEdge(ka, kb)) g.updateEdgeAttribute(ka, kb, 'weight', (x: number | undefined) => (x ?? 0) + w);
    else g.addEdge(ka, kb, { weight: w });
  }
  const communities = louvain(g, {
    getEdgeWeight: 'weight',
    resolution: resolutionFor(nodes.length, config),
    rng: mulberry32(config.seed),
  });
  const groups = new Map<number, number[]>();
  for (const v of nodes) {
    const c = communities[String(v)]!;
    const list = groups.get(c);
    if (list) list.push(v);
    else groups.set(c, [v]);
  }
  return [...groups.values()];
}

/** A small seeded PRNG (Louvain only needs a reproducible shuffle). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
