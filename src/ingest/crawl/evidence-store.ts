/**
 * Content-addressed evidence: every blob (DOM, screenshot, favicon, request log, script bodies) is
 * stored under its SHA-256, and a manifest JSON that names them is itself a blob whose hash is the
 * snapshot's identity (`snapshot:sha256:<hash>`). Identical captures share storage; a stored file
 * can be verified against its name, which is what makes it usable as an exhibit.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageSnapshot, SnapshotReader } from '../../detect/page/page-snapshot.js';

export const MANIFEST_VERSION = 1;

/** The stored form of a snapshot: small facts inline, bulky parts by hash. */
export interface SnapshotManifest {
  readonly version: number;
  readonly url: string;
  readonly finalUrl: string;
  readonly fetchedAt: string;
  readonly mode: PageSnapshot['mode'];
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly redirectChain: readonly string[];
  readonly truncated?: boolean;
  readonly blobs: {
    readonly dom: string;
    readonly requests: string;
    readonly console: string;
    readonly scripts: string;
    readonly screenshot?: string;
    readonly favicon?: string;
    readonly crawlerView?: string;
  };
}

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

const HEX = /^[0-9a-f]{64}$/;

export class EvidenceStore implements SnapshotReader {
  readonly dir: string;

  /** `dir` is usually `$PRECURSOR_HOME/evidence`. */
  constructor(dir: string) {
    this.dir = dir;
  }

  #path(hash: string): string {
    return join(this.dir, 'sha256', hash.slice(0, 2), hash);
  }

  /** Stores bytes under their hash; writing the same content twice is a no-op. */
  async put(data: Uint8Array | string): Promise<string> {
    const hash = sha256(data);
    const path = this.#path(hash);
    try {
      await stat(path);
      return hash;
    } catch {
      // not stored yet
    }
    await mkdir(join(this.dir, 'sha256', hash.slice(0, 2)), { recursive: true });
    // Write then rename, so a reader never sees half a file under a valid name.
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
    return hash;
  }

  async get(hash: string): Promise<Buffer | undefined> {
    if (!HEX.test(hash)) return undefined;
    try {
      return await readFile(this.#path(hash));
    } catch {
      return undefined;
    }
  }

  /** Stores a snapshot; returns the manifest's hash, the snapshot's identity. */
  async putSnapshot(s: PageSnapshot): Promise<string> {
    const json = (v: unknown) => this.put(JSON.stringify(v));
    const blobs: Record<string, string> = {
      dom: await this.put(s.html),
      requests: await json(s.requests),
      console: await json(s.console),
      scripts: await json(s.scripts),
    };
    if (s.screenshot) blobs.screenshot = await this.put(s.screenshot);
    if (s.favicon) blobs.favicon = await this.put(s.favicon);
    if (s.crawlerView) blobs.crawlerView = await json(s.crawlerView);
    const manifest = {
      version: MANIFEST_VERSION,
      url: s.url,
      finalUrl: s.finalUrl,
      fetchedAt: s.fetchedAt,
      mode: s.mode,
      ...(s.status === undefined ? {} : { status: s.status }),
      headers: s.headers,
      redirectChain: s.redirectChain,
      ...(s.truncated ? { truncated: true } : {}),
      blobs,
    };
    return json(manifest);
  }

  async manifest(hash: string): Promise<SnapshotManifest | undefined> {
    const raw = await this.get(hash);
    if (!raw) return undefined;
    try {
      const m = JSON.parse(raw.toString('utf8')) as SnapshotManifest;
      return m && m.version === MANIFEST_VERSION && m.blobs ? m : undefined;
    } catch {
      return undefined;
    }
  }

  async read(hash: string): Promise<PageSnapshot | undefined> {
    const m = await this.manifest(hash);
    if (!m) return undefined;
    const text = async (h: string | undefined) => (h ? (await this.get(h))?.toString('utf8') : undefined);
    const parsed = async <T>(h: string | undefined, fallback: T): Promise<T> => {
      const t = await text(h);
      try {
        return t === undefined ? fallback : (JSON.parse(t) as T);
      } catch {
        return fallback;
      }
    };
    const [html, scripts, requests, consoleLines, screenshot, favicon, crawlerView] = await Promise.all([
      text(m.blobs.dom),
      parsed<PageSnapshot['scripts']>(m.blobs.scripts, []),
      parsed<PageSnapshot['requests']>(m.blobs.requests, []),
      parsed<PageSnapshot['console']>(m.blobs.console, []),
      m.blobs.screenshot ? this.get(m.blobs.screenshot) : undefined,
      m.blobs.favicon ? this.get(m.blobs.favicon) : undefined,
      parsed<PageSnapshot['crawlerView']>(m.blobs.crawlerView, undefined),
    ]);
    return {
      url: m.url,
      finalUrl: m.finalUrl,
      fetchedAt: m.fetchedAt,
      mode: m.mode,
      ...(m.status === undefined ? {} : { status: m.status }),
      headers: m.headers ?? {},
      redirectChain: m.redirectChain ?? [],
      html: html ?? '',
      scripts,
      requests,
      console: consoleLines,
      ...(screenshot ? { screenshot } : {}),
      ...(favicon ? { favicon } : {}),
      ...(crawlerView ? { crawlerView } : {}),
      ...(m.truncated ? { truncated: true } : {}),
    };
  }
}
