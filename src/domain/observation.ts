/**
 * Observations: one thing a source saw, once. They are the only input of the pipeline;
 * everything else (entities, signals, assessments, links) is derived from them and can be rebuilt.
 * @module
 */
import type { EntityKey, EntityType } from './entity.js';
import type { LinkPivot } from './link.js';

/**
 * The kinds of observation. A kind fixes the payload shape (see `ObservationPayloads`) and the
 * extractor that turns it into entities and links.
 */
export type ObservationKind = keyof ObservationPayloads;

export interface ObservationPayloads {
  /** A bare name seen somewhere (a list, a zone diff, a tenant attaching it). */
  domain: { name: string; context?: string };
  /** A URL seen in a feed or a report. */
  url: { url: string; context?: string };
  /** A certificate from CT or certstream: its names, issuer and identity. */
  certificate: {
    sha256: string;
    names: string[];
    issuer?: string;
    subject?: string;
    serial?: string;
    notBefore?: string;
    notAfter?: string;
    log?: string;
    index?: number;
    precert?: boolean;
  };
  /** A zone-file delegation change. */
  delegation: { name: string; change: 'added' | 'removed' | 'changed'; ns: string[]; zone: string };
  /** A cloud-tenant event (issue: tenant behaviour); `event` is the validated event object. */
  'tenant-event': { event: Record<string, unknown> };
  /** A rendered or fetched page snapshot (content-addressed). */
  snapshot: {
    /** SHA-256 of the stored snapshot manifest (evidence store). */
    sha256: string;
    url: string;
    finalUrl: string;
    status?: number;
    /**
     * What older crawls found the page to name (`kit:…`, `telegram-bot:…`, `url:…`); still accepted,
     * ignored: the page detector derives these links from the stored snapshot on every analysis.
     */
    entities?: string[];
  };
  /**
   * One blockchain transaction from an export (docs/transactions.md). Addresses are canonical (checksum
   * verified at ingest); amounts are non-negative integers in the chain's base unit, as strings.
   */
  transaction: {
    chain: 'bitcoin' | 'ethereum' | 'tron';
    txHash: string;
    asset: string;
    from: Array<{ address: string; amount: string }>;
    to: Array<{ address: string; amount: string }>;
    fee?: string;
  };
  /** Enrichment results for an entity (RDAP, DNS, …). */
  enrichment: { entity: EntityKey; facts: Record<string, unknown> };
}

export interface Observation<K extends ObservationKind = ObservationKind> {
  /** The source instance that produced it, e.g. `list:feeds/new.txt`, `ct:argon2026h1`. */
  readonly source: string;
  readonly kind: K;
  /** Event time (ISO 8601). Never the wall clock of the ingesting process. */
  readonly observedAt: string;
  /** Re-ingesting a record with the same key is a no-op. */
  readonly dedupeKey: string;
  readonly payload: ObservationPayloads[K];
}

/** What an observation says about the world, once extracted. */
export interface Extraction {
  readonly entities: ReadonlyArray<{
    key: EntityKey;
    type: EntityType;
    display: string;
    attrs?: Record<string, unknown>;
  }>;
  readonly links: ReadonlyArray<{ from: EntityKey; to: EntityKey; pivot: LinkPivot; strength: number }>;
}
