// ForceAtlas2 off the main thread: the page hands over the graph as ForceAtlas2's flat matrices and
// gets positions back in slices of about 40 ms, so the graph is drawn at once and settles while it stays
// clickable. A module worker file from this origin (the server's CSP allows `worker-src 'self'` only).
// One worker serves the page's graphs one after the other: a new request abandons the previous one.
import iterate from 'graphology-layout-forceatlas2/iterate.js';

export interface LayoutRequest {
  job: number;
  nodes: Float32Array;
  edges: Float32Array;
  settings: Record<string, number | boolean>;
  iterations: number;
}
export interface LayoutProgress {
  job: number;
  /** The node matrix after `done` iterations (x, y at offsets 0 and 1 of every 10 values). */
  nodes: Float32Array;
  done: number;
  iterations: number;
  /** Time spent iterating so far, and since the request arrived (ms). */
  busyMs: number;
  sinceMs: number;
}

const SLICE_MS = 40;
let current = -1;

self.onmessage = (e: MessageEvent<LayoutRequest | { stop: number }>) => {
  if ('stop' in e.data) {
    if (e.data.stop === current) current = -1;
    return;
  }
  const { job, nodes, edges, settings, iterations } = e.data;
  current = job;
  let done = 0;
  let busyMs = 0;
  const start = performance.now();
  const slice = () => {
    if (current !== job) return;
    const t0 = performance.now();
    while (done < iterations && performance.now() - t0 < SLICE_MS) {
      iterate(settings, nodes, edges);
      done++;
    }
    busyMs += performance.now() - t0;
    const copy = new Float32Array(nodes);
    const msg: LayoutProgress = {
      job,
      nodes: copy,
      done,
      iterations,
      busyMs,
      sinceMs: performance.now() - start,
    };
    postMessage(msg, { transfer: [copy.buffer] });
    if (done < iterations) setTimeout(slice, 0);
  };
  slice();
};
