/**
 * The entity graph: entities and the links between them. Both are upserts keyed by identity (an
 * entity by its key, a link by `from`, `to` and `pivot`), so re-deriving them from the same
 * observations changes nothing.
 * @module
 */
import type { Assessment, Entity, EntityKey, EntityType, Link, LinkPivot } from '../domain/index.js';

export interface EntityUpsert {
  readonly key: EntityKey;
  readonly type: EntityType;
  readonly display: string;
  readonly seenAt: string;
  /** Merged shallowly into existing attributes (new keys win). */
  readonly attrs?: Readonly<Record<string, unknown>>;
}

export interface LinkUpsert {
  readonly from: EntityKey;
  readonly to: EntityKey;
  readonly pivot: LinkPivot;
  readonly strength: number;
  readonly seenAt: string;
  /** Who asserted the link: a source id, or `detector:<id>` for links a detector derived. */
  readonly provenance: string;
}

/**
 * What a writer knows about the slice it writes. `newEntities`: keys the caller read and found without
 * an entity row before this slice. Links, signals and assessments are only ever written together with
 * their entities, so such keys have none, and the store skips looking them up (most names in a feed
 * are new: ~4 statements saved per name).
 */
export interface WriteHints {
  readonly newEntities?: ReadonlySet<EntityKey>;
}

/** What `graphLinkPage` reads of a link. */
export type GraphLink = Pick<Link, 'from' | 'to' | 'pivot' | 'strength' | 'lastSeen'>;

/** Where a `linkPage` read stopped: the last link's identity. */
export interface LinkCursor {
  readonly from: EntityKey;
  readonly to: EntityKey;
  readonly pivot: LinkPivot;
}

export interface EntityFilter {
  readonly type?: EntityType;
  readonly flagged?: boolean;
  readonly minScore?: number;
  /** Substring of the key or display. */
  readonly search?: string;
  readonly limit?: number;
  /**
   * Keyset pagination. Order `key`: entities with key > after. Order `score`: entities after the one
   * with this key and score `afterScore` (-1 for no assessment) in (score desc, key) order.
   */
  readonly after?: string;
  readonly afterScore?: number;
  /** `key` (default, stable pagination) or `score` (highest first, then key; page with `after`/`afterScore` or `offset`). */
  readonly order?: 'key' | 'score';
  readonly offset?: number;
}

/** An entity with its latest assessment: the list read model of `/v1/entities` and the CLI. */
export interface EntityView {
  readonly entity: Entity;
  readonly assessment: Assessment | undefined;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   await tx.entities.upsert([{ key: 'domain:example.com', type: 'domain', display: 'example.com', seenAt }]);
 *   await tx.entities.upsertLinks([{ from: cert, to: 'domain:example.com', pivot: 'cert-name', strength: 1, seenAt, provenance: 'ct:argon' }]);
 * });
 * ```
 */
export interface EntityGraph {
  get(key: EntityKey): Promise<Entity | undefined>;
  /** The stored entities among `keys` (absent keys are simply missing from the map). */
  getMany(keys: readonly EntityKey[]): Promise<Map<EntityKey, Entity>>;
  list(filter?: EntityFilter): Promise<EntityView[]>;
  /**
   * Every link, `limit` at a time, in (from, to, pivot) order after the link `after` (exclusive): how
   * the correlate stage reads the whole graph without holding one huge result set.
   */
  linkPage(after: LinkCursor | undefined, limit: number): Promise<Link[]>;
  /**
   * `linkPage` with only what a pivot graph needs of a link (no first seen, no provenance to parse):
   * the correlate stage's full read of every link.
   */
  graphLinkPage(after: LinkCursor | undefined, limit: number): Promise<GraphLink[]>;
  /** Links from or to `key`. */
  links(key: EntityKey): Promise<Link[]>;
  /** Widens first/last seen, merges attributes, keeps the newest display. */
  upsert(entities: readonly EntityUpsert[]): Promise<void>;
  /** Widens first/last seen, keeps the strongest strength of the call, unions provenance. */
  upsertLinks(links: readonly LinkUpsert[], hints?: WriteHints): Promise<void>;
  /**
   * Replaces what one asserter said about `from`: its `provenance` is withdrawn from every link out of
   * `from` (a link nobody else asserts goes), then `links` are upserted. How a detector re-derives the
   * links of a subject it re-analyses (e.g. a page's kit and exfiltration endpoints).
   */
  replaceLinks(from: EntityKey, provenance: string, links: readonly LinkUpsert[]): Promise<void>;
}
