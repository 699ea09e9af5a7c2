/**
 * Content-addressed evidence: every blob (DOM, screenshot, favicon, request log, script bodies) is
 * stored under its SHA-256, and a manifest JSON that names them is itself a blob whose hash is the
 * snapshot's identity (`snapshot:sha256:<hash>`). Identical captures share storage; a stored file
 * can be verified against its name, which is what makes it usable as an exhibit.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_HASH_ALGORITHM, imageHashesOf } from '../../evidence/image-hash.js';
import type { ImageHashes, PageSnapshot, SnapshotReader, SnapshotReadOptions } from '../../domain/index.js';

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
  /**
   * Perceptual hashes of the screenshot and favicon (optional: absent in manifests written before they
   * were recorded, and when the capture has no image). An `algorithm` without a hash means the bytes
   * did not decode as an image.
   */
  readonly imageHashes?: ImageHashes;
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
/** The blob of an empty list (no requests, console lines or script bodies: every fetch-mode capture). */
const EMPTY_LIST = sha256('[]');

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
    // Hash the images once, here, unless the capture already did with the current algorithm.
    const imageHashes = s.imageHashes?.algorithm === IMAGE_HASH_ALGORITHM ? s.imageHashes : imageHashesOf(s);
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
      ...(imageHashes ? { imageHashes } : {}),
      blobs,
    };
    return json(manifest);
  }

  /**
   * Synchronous read of one blob, for `read`. A snapshot is read to be analyzed, and analysis is
   * synchronous CPU work of milliseconds; reading a blob of a local store takes tens of microseconds,
   * whereas each asynchronous read is two hops through the thread pool, which on a loaded machine
   * cost more than the read itself (and than the analysis of a small page).
   */
  #getSync(hash: string): Buffer | undefined {
    if (!HEX.test(hash)) return undefined;
    try {
      return readFileSync(this.#path(hash));
    } catch {
      return undefined;
    }
  }

  #parseManifest(raw: Buffer | undefined): SnapshotManifest | undefined {
    if (!raw) return undefined;
    try {
      const m = JSON.parse(raw.toString('utf8')) as SnapshotManifest;
      return m && m.version === MANIFEST_VERSION && m.blobs ? m : undefined;
    } catch {
      return undefined;
    }
  }

  async manifest(hash: string): Promise<SnapshotManifest | undefined> {
    return this.#parseManifest(await this.get(hash));
  }

  async read(hash: string, options: SnapshotReadOptions = {}): Promise<PageSnapshot | undefined> {
    const m = this.#parseManifest(this.#getSync(hash));
    if (!m) return undefined;
    // Skip the blobs whose content the manifest already tells: image bytes when their hashes are
    // recorded (if the caller only wants those), empty lists.
    const hashed = options.images === 'unhashed' && m.imageHashes?.algorithm === IMAGE_HASH_ALGORITHM;
    const text = (h: string | undefined) => (h ? this.#getSync(h)?.toString('utf8') : undefined);
    const parsed = <T>(h: string | undefined, fallback: T): T => {
      if (h === EMPTY_LIST) return [] as T;
      const t = text(h);
      try {
        return t === undefined ? fallback : (JSON.parse(t) as T);
      } catch {
        return fallback;
      }
    };
    const html = text(m.blobs.dom);
    const scripts = parsed<PageSnapshot['scripts']>(m.blobs.scripts, []);
    const requests = parsed<PageSnapshot['requests']>(m.blobs.requests, []);
    const consoleLines = parsed<PageSnapshot['console']>(m.blobs.console, []);
    const screenshot = m.blobs.screenshot && !hashed ? this.#getSync(m.blobs.screenshot) : undefined;
    const favicon = m.blobs.favicon && !hashed ? this.#getSync(m.blobs.favicon) : undefined;
    const crawlerView = parsed<PageSnapshot['crawlerView']>(m.blobs.crawlerView, undefined);
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
      ...(m.imageHashes ? { imageHashes: m.imageHashes } : {}),
      ...(crawlerView ? { crawlerView } : {}),
      ...(m.truncated ? { truncated: true } : {}),
    };
  }
}
