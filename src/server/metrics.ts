/**
 * Prometheus metrics: HTTP traffic plus store gauges read at scrape time.
 * @module
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
}

export function createMetrics(store: Store): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'precursor_' });
  const requests = new Counter({
    name: 'precursor_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'precursor_http_request_duration_seconds',
    help: 'HTTP request duration by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const gauge = (name: string, help: string, pick: (s: Awaited<ReturnType<Store['stats']>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await store.stats()));
      },
    });
  gauge('precursor_observations', 'Stored observations.', (s) => s.observations);
  gauge('precursor_entities', 'Known entities.', (s) => s.entities);
  gauge('precursor_flagged_entities', 'Entities whose latest assessment is flagged.', (s) => s.flagged);
  gauge('precursor_dead_letters', 'Records kept in the dead-letter table.', (s) => s.deadLetters);
  return { registry, requests, duration };
}
