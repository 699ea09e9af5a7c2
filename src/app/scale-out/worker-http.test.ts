import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startWorkerHttp } from './worker-http.js';
import { createWorkerMetrics } from './worker-metrics.js';
import type { WorkerHandle, WorkerHealth } from './worker.js';

describe('worker endpoint', () => {
  it('serves /metrics and a /healthz that turns 503 when a dependency is unreachable', async () => {
    const metrics = createWorkerMetrics();
    metrics.processed.inc({ partition: '3' }, 42);
    metrics.lag.set({ partition: '3' }, 7);
    let health: WorkerHealth = { ok: true, stream: true, store: true, leader: false, lastBatchAt: null };
    const handle: WorkerHandle = { metrics, health: async () => health, done: Promise.resolve() };
    const http = await startWorkerHttp(handle, '127.0.0.1', 0);
    try {
      const m = await fetch(`${http.url}/metrics`);
      assert.equal(m.status, 200);
      const text = await m.text();
      assert.match(text, /precursor_worker_messages_processed_total\{partition="3"\} 42/);
      assert.match(text, /precursor_worker_partition_lag\{partition="3"\} 7/);
      assert.equal((await fetch(`${http.url}/healthz`)).status, 200);
      health = { ...health, ok: false, store: false };
      const h = await fetch(`${http.url}/healthz`);
      assert.equal(h.status, 503);
      assert.equal(((await h.json()) as WorkerHealth).store, false);
      assert.equal((await fetch(`${http.url}/nope`)).status, 404);
    } finally {
      await http.close();
    }
  });
});
