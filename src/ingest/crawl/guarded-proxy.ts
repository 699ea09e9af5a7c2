/**
 * A local forward proxy that every browser request goes through. It resolves each host with the SSRF
 * guard and connects to the checked address itself, so the browser never resolves or reaches an
 * address the guard has not approved — whatever the page does with redirects, sub-resources, fetch,
 * WebSockets over TLS or DNS rebinding. Each render gets its own session (its own port), which is
 * also where the render's byte budget and its host log are kept.
 * @module
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isCrawlError } from './crawl-error.js';
import type { SsrfGuard } from './ssrf-guard.js';

export interface ProxyStats {
  /** `host:port` of every connection the page asked for, allowed or not. */
  readonly hosts: Set<string>;
  readonly refused: Array<{ host: string; reason: string }>;
  bytes: number;
  /** The byte budget ran out and connections were cut. */
  exhausted: boolean;
}

export interface ProxySession {
  readonly server: string;
  readonly stats: ProxyStats;
  close(): Promise<void>;
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority) ?? /^([^:]+)(?::(\d+))?$/.exec(authority);
  return { host: m?.[1] ?? authority, port: m?.[2] ? Number(m[2]) : defaultPort };
}

export async function openProxySession(guard: SsrfGuard, maxBytes: number): Promise<ProxySession> {
  const stats: ProxyStats = { hosts: new Set(), refused: [], bytes: 0, exhausted: false };
  const sockets = new Set<Duplex>();
  const track = (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const count = (n: number, ...victims: Duplex[]) => {
    stats.bytes += n;
    if (stats.bytes > maxBytes) {
      stats.exhausted = true;
      for (const v of victims) v.destroy();
    }
  };
  const refuse = (host: string, e: unknown): string => {
    const reason = isCrawlError(e) ? e.message : (e as Error).message;
    stats.refused.push({ host, reason });
    return reason;
  };

  const server: Server = createServer(async (req: IncomingMessage, res) => {
    track(req.socket);
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400).end();
      return;
    }
    const port = url.port ? Number(url.port) : 80;
    stats.hosts.add(`${url.hostname}:${port}`);
    if (stats.exhausted) {
      res.writeHead(509).end();
      return;
    }
    let address: string;
    try {
      address = (await guard.resolveHost(url.hostname, url.href)).address;
    } catch (e) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end(`refused by the SSRF guard: ${refuse(`${url.hostname}:${port}`, e)}`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      {
        host: address,
        port,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        setHost: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (chunk: Buffer) => count(chunk.length, up.socket, req.socket));
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });

  server.on('connect', async (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on('error', () => undefined);
    const { host, port } = splitHostPort(req.url ?? '', 443);
    stats.hosts.add(`${host}:${port}`);
    if (stats.exhausted) {
      client.end('HTTP/1.1 509 Budget Exhausted\r\n\r\n');
      return;
    }
    let address: string;
    try {
      address = (await guard.resolveHost(host, `https://${req.url}`)).address;
    } catch (e) {
      refuse(`${host}:${port}`, e);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream: Socket = connect({ host: address, port });
    track(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.on('data', (chunk: Buffer) => count(chunk.length, upstream, client));
      client.on('data', (chunk: Buffer) => count(chunk.length, upstream, client));
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });

  // Plain-HTTP WebSocket upgrades are refused: a page has no need for them that TLS (CONNECT) lacks.
  server.on('upgrade', (_req, socket: Duplex) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
