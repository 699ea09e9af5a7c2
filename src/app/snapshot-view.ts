/**
 * Page captures as an analyst reads them in the dashboard: the manifest's facts and request log, the
 * screenshot bytes and the captured DOM, each read from the content-addressed evidence store by the
 * snapshot's hash. Read-only; never the script bodies (they can be megabytes and are kept as evidence).
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { PrecursorError } from '../domain/index.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import { evidenceDir } from './detectors.js';

export interface SnapshotView {
  readonly hash: string;
  readonly url: string;
  readonly finalUrl: string;
  readonly fetchedAt: string;
  readonly mode: string;
  readonly status?: number;
  readonly redirectChain: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly requests: readonly { url: string; method?: string; type?: string; status?: number }[];
  readonly hasScreenshot: boolean;
  readonly domBytes: number;
  readonly truncated: boolean;
}

const HASH = /^[0-9a-f]{64}$/;

export class SnapshotViews {
  readonly #store: EvidenceStore;
  constructor(config: Config) {
    this.#store = new EvidenceStore(evidenceDir(config));
  }

  async #manifest(hash: string) {
    if (!HASH.test(hash))
      throw new PrecursorError('VALIDATION_FAILED', `'${hash}' is not a SHA-256 snapshot hash`);
    const m = await this.#store.manifest(hash);
    if (!m) throw new PrecursorError('NOT_FOUND', `no snapshot ${hash}`);
    return m;
  }

  async view(hash: string): Promise<SnapshotView> {
    const m = await this.#manifest(hash);
    const [requests, dom] = await Promise.all([
      this.#store.get(m.blobs.requests),
      this.#store.get(m.blobs.dom),
    ]);
    let parsed: SnapshotView['requests'] = [];
    try {
      parsed = requests ? (JSON.parse(requests.toString('utf8')) as SnapshotView['requests']) : [];
    } catch {
      parsed = [];
    }
    return {
      hash,
      url: m.url,
      finalUrl: m.finalUrl,
      fetchedAt: m.fetchedAt,
      mode: m.mode,
      ...(m.status === undefined ? {} : { status: m.status }),
      redirectChain: m.redirectChain ?? [],
      headers: m.headers ?? {},
      requests: parsed,
      hasScreenshot: Boolean(m.blobs.screenshot),
      domBytes: dom?.length ?? 0,
      truncated: Boolean(m.truncated),
    };
  }

  /** The screenshot's PNG bytes; NOT_FOUND when the capture has none (fetch mode). */
  async screenshot(hash: string): Promise<Buffer> {
    const m = await this.#manifest(hash);
    const bytes = m.blobs.screenshot ? await this.#store.get(m.blobs.screenshot) : undefined;
    if (!bytes) throw new PrecursorError('NOT_FOUND', `snapshot ${hash} has no screenshot`);
    return bytes;
  }

  /** The captured DOM (or response body) as text. */
  async dom(hash: string): Promise<string> {
    const m = await this.#manifest(hash);
    return (await this.#store.get(m.blobs.dom))?.toString('utf8') ?? '';
  }
}
