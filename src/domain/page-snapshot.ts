/**
 * Page snapshots: one fetched or rendered page, as the crawler recorded it. Capture (ingest) produces
 * them and the evidence store keeps them; the page analyzers (detect) read only this shape, so they run
 * the same on a live render, a stored snapshot or a hand-written test page.
 * @module
 */

/** Perceptual hashes of a capture's images (`src/evidence/image-hash.ts`), kept beside the evidence. */
export interface ImageHashes {
  /** The hashing algorithm's id at the time of hashing; hashes of another algorithm are not compared. */
  readonly algorithm: string;
  readonly screenshot?: string;
  readonly favicon?: string;
}

export interface SnapshotRequest {
  readonly url: string;
  readonly method?: string;
  /** Resource type as the browser names it (`document`, `script`, `image`, `xhr`, `fetch`, …). */
  readonly type?: string;
  readonly status?: number;
}

export interface SnapshotScript {
  /** Absent for inline scripts. */
  readonly url?: string;
  readonly body: string;
}

export interface PageSnapshot {
  /** The URL asked for. */
  readonly url: string;
  /** Where the page ended up after redirects. */
  readonly finalUrl: string;
  /** Event time of the fetch (ISO 8601). */
  readonly fetchedAt: string;
  readonly mode: 'fetch' | 'render';
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly redirectChain: readonly string[];
  /** Response body (fetch) or rendered DOM (render). */
  readonly html: string;
  /** Bodies of external scripts the page loaded (render mode), capped. */
  readonly scripts: readonly SnapshotScript[];
  readonly requests: readonly SnapshotRequest[];
  readonly console: readonly string[];
  readonly screenshot?: Uint8Array;
  readonly favicon?: Uint8Array;
  /**
   * Perceptual hashes of `screenshot` and `favicon`, computed once at capture time (and kept in the
   * evidence manifest) so that analysis never has to decode a PNG; absent on older captures.
   */
  readonly imageHashes?: ImageHashes;
  /**
   * The same URL fetched as a crawler would (crawler user agent, no referrer), for the differential
   * cloaking check; the snapshot itself is the browser-like view (browser agent, webmail referrer).
   */
  readonly crawlerView?: { readonly status?: number; readonly finalUrl: string; readonly html: string };
  /** A budget (bytes, requests, time) cut the capture short. */
  readonly truncated?: boolean;
}

export interface SnapshotReadOptions {
  /**
   * `unhashed`: leave out the screenshot and favicon bytes when the capture recorded their perceptual
   * hashes (made by the current algorithm), which is all analysis needs; saves two file reads per
   * snapshot. Default `always`: the full evidence.
   */
  readonly images?: 'always' | 'unhashed';
}

/** Reads stored snapshots by hash: the narrow interface the page detector needs from the evidence store. */
export interface SnapshotReader {
  read(sha256: string, options?: SnapshotReadOptions): Promise<PageSnapshot | undefined>;
}
