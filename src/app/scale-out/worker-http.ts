/**
 * A worker's own small HTTP endpoint for the operator: `/metrics` (Prometheus) and `/healthz`
 * (200 with `{ok: true, …}` while the worker reaches both NATS and PostgreSQL, else 503). A plain
 * `node:http` server: two read-only routes do not need the API's framework, keys or middleware.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerHandle } from './worker.js';

export interface WorkerHttp {
  readonly url: string;
  close(): Promise<void>;
}

export async function startWorkerHttp(worker: WorkerHandle, host: string, port: number): Promise<WorkerHttp> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics')
      return void worker.metrics.registry.metrics().then(
        (text) => reply(200, worker.metrics.registry.contentType, text),
        (e: unknown) => reply(500, 'text/plain', `${(e as Error).message}\n`),
      );
    if (path === '/healthz')
      return void worker
        .health()
        .then((h) => reply(h.ok ? 200 : 503, 'application/json', `${JSON.stringify(h)}\n`));
    return reply(404, 'text/plain', 'not found: try /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
