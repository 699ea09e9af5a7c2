/**
 * Loopback CT logs for tests and benchmarks (127.0.0.1 only): an RFC 6962 log serving recorded
 * `get-entries` bodies, with injectable faults (5xx, 429, batches truncated to the log's limit,
 * bodies cut mid-transfer, slowness), and a static-ct-api tiled log built from the same entries
 * following the C2SP specification (checkpoint, full and partial data tiles, gzip).
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  encodeLeafIndexExtension,
  encodeMerkleTreeLeaf,
  encodeTileLeaf,
  parseExtraData,
  parseMerkleTreeLeaf,
} from './ct-leaf.js';
import { TILE_WIDTH, tileIndexPath } from './static-ct-source.js';

export interface RecordedEntry {
  readonly leaf_input: string;
  readonly extra_data: string;
}

/** The recorded real entries in `test/fixtures/ct/` (4 + 2 + 1: x509 and precert). */
export function recordedEntries(fixtureDir: string): RecordedEntry[] {
  const files = [
    'ct-go-four-entries.get-entries.json',
    'le-2019.get-entries.json',
    'certstream-ctl-parser.get-entries.json',
  ];
  return files.flatMap(
    (f) => (JSON.parse(readFileSync(`${fixtureDir}/${f}`, 'utf8')) as { entries: RecordedEntry[] }).entries,
  );
}

/** `n` entries cycling through `base`, each re-stamped so that index i has timestamp `t0 + i`. */
export function syntheticLog(
  base: readonly RecordedEntry[],
  n: number,
  t0 = 1_700_000_000_000,
): RecordedEntry[] {
  const out: RecordedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e = base[i % base.length] as RecordedEntry;
    const leaf = parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64'));
    out.push({
      leaf_input: encodeMerkleTreeLeaf({ ...leaf, timestamp: t0 + i }).toString('base64'),
      extra_data: e.extra_data,
    });
  }
  return out;
}

export interface Faults {
  /** Largest batch the log returns (truncation); default unlimited. */
  readonly maxBatch?: number;
  /** Answer the k-th get-entries request with 500 when `k % n === 1`. */
  readonly fail500Every?: number;
  /** Answer with 429 + `Retry-After: 0` when `k % n === 2`. */
  readonly throttleEvery?: number;
  /** Send half the body and destroy the socket when `k % n === 3`. */
  readonly cutBodyEvery?: number;
  /** Delay before each get-entries answer, ms. */
  readonly delayMs?: number;
}

export interface TestLog {
  /** Base URL ending with `/`. */
  readonly url: string;
  /** `heads` counts tree-head reads (get-sth, or the checkpoint of a tiled log). */
  readonly stats: { requests: number; faults: number; heads: number };
  /** Make more entries visible (the tree grows). */
  setSize(n: number): void;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const close = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startRfc6962TestLog(
  entries: readonly RecordedEntry[],
  faults: Faults = {},
): Promise<TestLog> {
  const stats = { requests: 0, faults: 0, heads: 0 };
  let size = entries.length;
  const server = await listen((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname === '/ct/v1/get-sth') {
      stats.heads++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          tree_size: size,
          timestamp: 1_700_000_000_000,
          sha256_root_hash: '',
          tree_head_signature: '',
        }),
      );
      return;
    }
    if (u.pathname !== '/ct/v1/get-entries') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const k = ++stats.requests;
    const answer = (): void => {
      const hit = (n: number | undefined, r: number): boolean => n !== undefined && k % n === r;
      if (hit(faults.fail500Every, 1)) {
        stats.faults++;
        res.statusCode = 500;
        res.end('internal error');
        return;
      }
      if (hit(faults.throttleEvery, 2)) {
        stats.faults++;
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end('slow down');
        return;
      }
      const start = Number(u.searchParams.get('start'));
      const end = Math.min(Number(u.searchParams.get('end')), size - 1);
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start < 0) {
        res.statusCode = 400;
        res.end('bad range');
        return;
      }
      const last = Math.min(end, start + (faults.maxBatch ?? Number.MAX_SAFE_INTEGER) - 1);
      const body = JSON.stringify({ entries: entries.slice(start, last + 1) });
      res.setHeader('content-type', 'application/json');
      if (hit(faults.cutBodyEvery, 3)) {
        stats.faults++;
        res.setHeader('content-length', Buffer.byteLength(body));
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setImmediate(() => res.destroy());
        return;
      }
      res.end(body);
    };
    if (faults.delayMs) setTimeout(answer, faults.delayMs);
    else answer();
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    setSize: (n) => {
      size = Math.min(n, entries.length);
    },
    close: close(server),
  };
}

/** Builds the static-ct-api data-tile leaves (with `leaf_index` extensions) of recorded entries. */
export function tileLeaves(entries: readonly RecordedEntry[]): Buffer[] {
  return entries.map((e, index) => {
    const leaf = parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64'));
    const extra = parseExtraData(Buffer.from(e.extra_data, 'base64'), leaf.entryType);
    const fps = extra.chain.map((c) => createHash('sha256').update(c).digest());
    return encodeTileLeaf(
      { ...leaf, extensions: encodeLeafIndexExtension(index) },
      extra.preCertificate,
      fps,
    );
  });
}

export interface StaticFaults {
  /** Replace the leaf at this index with garbage bytes (the rest of its tile becomes unreadable). */
  readonly corruptIndex?: number;
  /** Once the full tile exists, answer its partial versions with 404 (allowed by the spec). */
  readonly dropPartials?: boolean;
  /** The checkpoint reports this many entries fewer than the tiles hold (a reader racing the log). */
  readonly checkpointLag?: number;
}

export async function startStaticTestLog(
  entries: readonly RecordedEntry[],
  faults: StaticFaults = {},
): Promise<TestLog> {
  const leaves = tileLeaves(entries);
  if (faults.corruptIndex !== undefined)
    leaves[faults.corruptIndex] = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 7, 0xff]);
  const stats = { requests: 0, faults: 0, heads: 0 };
  let size = entries.length;
  const server = await listen((req, res) => {
    stats.requests++;
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/checkpoint') {
      stats.heads++;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(
        `127.0.0.1/test-log\n${size - (faults.checkpointLag ?? 0)}\n${Buffer.alloc(32).toString('base64')}\n\n— 127.0.0.1/test-log AAAAAA==\n`,
      );
      return;
    }
    const m = /^\/tile\/data\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,3}))?$/.exec(path);
    if (!m) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const n = (m[1] as string).split('/').reduce((acc, g) => acc * 1000 + Number(g.replace('x', '')), 0);
    if (tileIndexPath(n) !== m[1]) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const width = m[2] === undefined ? TILE_WIDTH : Number(m[2]);
    const available = size - n * TILE_WIDTH;
    const fullExists = available >= TILE_WIDTH;
    if (
      width > available ||
      (m[2] !== undefined && (width >= TILE_WIDTH || (fullExists && faults.dropPartials)))
    ) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const body = Buffer.concat(leaves.slice(n * TILE_WIDTH, n * TILE_WIDTH + width));
    res.setHeader('content-type', 'application/octet-stream');
    // Full tiles gzip-compressed, as the spec lets logs do without negotiation.
    if (width === TILE_WIDTH) {
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(body));
    } else {
      res.end(body);
    }
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    setSize: (n) => {
      size = Math.min(n, entries.length);
    },
    close: close(server),
  };
}
