// Runs ForceAtlas2 for a campaign graph in a worker (layout-worker.ts) and writes the positions back
// into the graph as they come, so sigma redraws the picture settling instead of the page freezing
// until the layout is done. Falls back to the same layout on the main thread where a worker cannot
// start (a browser without module workers, or a server whose CSP forbids them).
import type Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import defaults from 'graphology-layout-forceatlas2/defaults.js';
import { assignLayoutChanges, graphToByteArrays } from 'graphology-layout-forceatlas2/helpers.js';
import iterate from 'graphology-layout-forceatlas2/iterate.js';
import type { LayoutProgress, LayoutRequest } from './layout-worker.js';

/** Bounded iterations: the start positions are structured (buildGraph), so a few settle the picture. */
export function iterationsFor(order: number): number {
  return order > 3000 ? 15 : order > 800 ? 25 : 80;
}

function settingsFor(graph: Graph): Record<string, number | boolean> {
  return {
    ...defaults,
    ...forceAtlas2.inferSettings(graph),
    barnesHutOptimize: graph.order > 300,
    slowDown: 2,
  };
}

const weightOf = (_e: string, a: Record<string, unknown>) => (typeof a.weight === 'number' ? a.weight : 1);

/**
 * The page's layout worker, started when this module loads (while the campaign is still being
 * fetched), so a graph's layout does not wait for the worker's script. `null` where none can start.
 */
let worker: Worker | null | undefined;
let broken = false;
function layoutWorker(): Worker | null {
  if (worker !== undefined || broken) return worker ?? null;
  try {
    worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
  }
  return worker;
}
layoutWorker();

export interface LayoutStats {
  where: 'worker' | 'main';
  /** Time spent iterating, and from the request to the last positions (ms); redraws on the way. */
  busyMs: number;
  sinceMs: number;
  steps: number;
}

export interface LayoutRun {
  /** Stops the layout where it is (the graph keeps the positions it has). */
  stop(): void;
}

let jobs = 0;

/** Lays `graph` out; `onDone` is called once the last positions are in the graph. */
export function layOut(graph: Graph, onDone: (stats: LayoutStats) => void): LayoutRun {
  let stopped = false;
  if (graph.size === 0) {
    queueMicrotask(() => onDone({ where: 'main', busyMs: 0, sinceMs: 0, steps: 0 }));
    return { stop() {} };
  }
  const iterations = iterationsFor(graph.order);
  const settings = settingsFor(graph);
  const matrices = graphToByteArrays(graph, weightOf);
  const onMain = () => {
    if (stopped) return;
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) iterate(settings, matrices.nodes, matrices.edges);
    assignLayoutChanges(graph, matrices.nodes, null);
    const busyMs = performance.now() - t0;
    onDone({ where: 'main', busyMs, sinceMs: busyMs, steps: 1 });
  };
  const w = layoutWorker();
  if (!w) {
    // No module workers here: the layout runs on this thread after the first frame.
    setTimeout(onMain, 0);
    return {
      stop() {
        stopped = true;
      },
    };
  }
  const job = ++jobs;
  let steps = 0;
  const onMessage = (e: MessageEvent<LayoutProgress>) => {
    if (stopped || e.data.job !== job) return;
    steps++;
    assignLayoutChanges(graph, e.data.nodes, null);
    if (e.data.done >= e.data.iterations) {
      w.removeEventListener('message', onMessage);
      onDone({ where: 'worker', busyMs: e.data.busyMs, sinceMs: e.data.sinceMs, steps });
    }
  };
  const onError = (e: Event) => {
    // The worker script could not load (CSP, network): lay out here, and do not try it again.
    e.preventDefault();
    broken = true;
    worker = null;
    w.terminate();
    onMain();
  };
  w.addEventListener('message', onMessage);
  w.addEventListener('error', onError, { once: true });
  // Copies go to the worker (transferred); the fallback keeps the originals.
  const request: LayoutRequest = {
    job,
    nodes: new Float32Array(matrices.nodes),
    edges: new Float32Array(matrices.edges),
    settings,
    iterations,
  };
  w.postMessage(request, { transfer: [request.nodes.buffer, request.edges.buffer] });
  return {
    stop() {
      stopped = true;
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      w.postMessage({ stop: job });
    },
  };
}
