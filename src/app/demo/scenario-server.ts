/**
 * The simulated internet of the live demo: one web server on a loopback address that serves every
 * page of a generated world (`pages/<host>/…`) to the host name in the request's Host header. A kit
 * page answers only from the moment the world deployed it (simulated time, from the replay clock), so
 * a name flagged while its operator is still preparing is crawled and found empty, and a re-crawl
 * later finds the kit. The crawler reaches it only through the SSRF guard's scenario network
 * (`ScenarioNetwork`), which the demo builds from `network()`.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { ScenarioNetwork } from '../../ingest/crawl/ssrf-guard.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface ScenarioSite {
  /** Path → body. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Epoch ms from which the site answers (undefined: always). */
  readonly from?: number;
}

export interface ScenarioServer {
  readonly origin: string;
  /** The SSRF guard's view: this server's address and port, and the world's host names. */
  network(): ScenarioNetwork;
  /** Requests answered, by status. */
  readonly served: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** Every file under `pages/<host>/`, by host. */
export function readSites(
  pagesDir: string,
  deployedAt: ReadonlyMap<string, number>,
): Map<string, ScenarioSite> {
  const sites = new Map<string, ScenarioSite>();
  if (!existsSync(pagesDir)) return sites;
  for (const host of readdirSync(pagesDir)) {
    const files = new Map<string, Buffer>();
    const walk = (dir: string, prefix: string) => {
      for (const f of readdirSync(dir)) {
        const full = join(dir, f);
        if (statSync(full).isDirectory()) walk(full, `${prefix}${f}/`);
        else files.set(`/${prefix}${f}`, readFileSync(full));
      }
    };
    walk(join(pagesDir, host), '');
    const from = deployedAt.get(host);
    sites.set(host.toLowerCase(), from === undefined ? { files } : { files, from });
  }
  return sites;
}

export async function startScenarioServer(options: {
  readonly sites: ReadonlyMap<string, ScenarioSite>;
  /** Every host name of the world (names without a site answer 404, like a parked name). */
  readonly hosts: ReadonlySet<string>;
  /** The replay clock (epoch ms, simulated time). */
  readonly now: () => number;
}): Promise<ScenarioServer> {
  const served: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
    const path = decodeURIComponentSafe((req.url ?? '/').split('?')[0] ?? '/');
    const site = options.sites.get(host);
    const live = site && (site.from === undefined || site.from <= options.now());
    const body = live ? site.files.get(path === '/' ? '/index.html' : path) : undefined;
    const status = body ? 200 : 404;
    served[status] = (served[status] ?? 0) + 1;
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res
      .writeHead(200, {
        'content-type': TYPES[extname(path === '/' ? '.html' : path)] ?? 'application/octet-stream',
      })
      .end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hosts = new Set([...options.hosts].map((h) => h.toLowerCase()));
  for (const h of options.sites.keys()) hosts.add(h);
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    network: () => ({ address: '127.0.0.1', port, has: (h) => hosts.has(h) }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
