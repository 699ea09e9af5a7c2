/**
 * The store boundary. Stages depend on these interfaces only; `sqlite/` and `postgres/` implement
 * them, and only the composition roots (`cli/`, `server/`) pick one (`open-store.ts`).
 * @module
 */
import type {
  Assessment,
  AuditEvent,
  Entity,
  EntityKey,
  EntityType,
  Link,
  LinkPivot,
  Observation,
  ObservationKind,
  Rejection,
  Signal,
} from '../domain/index.js';

export interface StoreCapabilities {
  readonly dialect: 'sqlite' | 'postgres';
  /** Several processes may write at once (row locks, SKIP LOCKED work queues). */
  readonly concurrentWriters: boolean;
  readonly supportsSkipLocked: boolean;
  readonly supportsListenNotify: boolean;
}

export interface DeadLetterInput {
  readonly source: string;
  readonly position: string;
  readonly raw: string;
  readonly rejection: Rejection;
}

export interface DeadLetter {
  readonly id: number;
  readonly source: string;
  readonly position: string;
  readonly raw: string;
  readonly code: string;
  readonly reason: string;
  readonly path: string | null;
  readonly createdAt: string;
}

export interface IngestBatch {
  readonly source: string;
  readonly observations: readonly Observation[];
  readonly deadLetters: readonly DeadLetterInput[];
  /** Stored in the same transaction as the rows, so a crash can never separate them. */
  readonly cursor?: string;
  /** Ask for `insertedSeqs` in the result (the runner does when a record holds several observations). */
  readonly wantSeqs?: boolean;
}

export interface IngestBatchResult {
  readonly inserted: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  /**
   * When asked (`wantSeqs`): per observation of the batch, in order, the sequence
   * number it was stored under, or undefined for a duplicate. Lets a stage use the events it was just
   * handed instead of reading them back.
   */
  readonly insertedSeqs?: readonly (number | undefined)[];
}

export interface StoredObservation extends Observation {
  readonly seq: number;
  readonly ingestedAt: string;
}

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
  readonly provenance: string;
}

export interface SignalReplacement {
  readonly entity: EntityKey;
  /** Signals previously written by these detectors for the entity are replaced by `signals`. */
  readonly detectors: readonly string[];
  readonly signals: readonly Signal[];
  readonly observedAt: string;
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

export interface EntityView {
  readonly entity: Entity;
  readonly assessment: Assessment | undefined;
}

export type ApiRole = 'admin' | 'analyst' | 'reader' | 'ingest';

export interface ApiKeyRecord {
  readonly id: string;
  readonly label: string;
  readonly role: ApiRole;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface StoreStats {
  readonly observations: number;
  readonly entities: number;
  readonly flagged: number;
  readonly deadLetters: number;
  readonly links: number;
}

export interface IngestStore {
  checkpoint(source: string): Promise<string | undefined>;
  writeIngestBatch(batch: IngestBatch): Promise<IngestBatchResult>;
  deadLetters(filter?: { source?: string; limit?: number; afterId?: number }): Promise<DeadLetter[]>;
  countObservations(source?: string): Promise<number>;
  /** Observations after `seq` in order; `kinds` keeps only those kinds (a stage that reads one kind). */
  observationsAfter(
    seq: number,
    limit: number,
    kinds?: readonly ObservationKind[],
  ): Promise<StoredObservation[]>;
  /** The sequence numbers `observationsAfter` would return, without the rows (optional). */
  observationSeqsAfter?(seq: number, limit: number, kinds?: readonly ObservationKind[]): Promise<number[]>;
}

export interface EntityStore {
  stageCursor(stage: string): Promise<number>;
  /** Entities, links and signals of one processed slice, plus the stage's new cursor, atomically. */
  writeDerived(batch: {
    readonly stage: string;
    readonly position: number;
    readonly entities: readonly EntityUpsert[];
    readonly links: readonly LinkUpsert[];
    readonly signals: readonly SignalReplacement[];
    readonly assessments?: readonly Assessment[];
    /** Work the slice gives rise to (e.g. crawling a newly flagged name), queued atomically with it. */
    readonly enqueue?: readonly Enqueue[];
    /**
     * Keys the caller read and found without an entity row before this slice. Links, signals and
     * assessments are only ever written together with their entities, so such keys have none, and the
     * store skips looking them up (most names in a feed are new: ~4 statements saved per name).
     */
    readonly newEntities?: ReadonlySet<EntityKey>;
  }): Promise<void>;
  /** Current signals of the given entities, all detectors. */
  signalsOf(keys: readonly EntityKey[]): Promise<Map<EntityKey, Signal[]>>;
  /** Writes assessments; history rows are added only when score or flag changed. */
  writeAssessments(assessments: readonly Assessment[]): Promise<void>;
  entity(key: EntityKey): Promise<Entity | undefined>;
  entitiesByKey(keys: readonly EntityKey[]): Promise<Map<EntityKey, Entity>>;
  entities(filter?: EntityFilter): Promise<EntityView[]>;
  links(key: EntityKey): Promise<Link[]>;
  assessment(key: EntityKey): Promise<Assessment | undefined>;
  assessmentHistory(key: EntityKey): Promise<Assessment[]>;
  /**
   * The last persisted state of a stateful stage (e.g. the tenant windows) and the position it covers.
   * It may lag the stage cursor: the stage replays observations in between to catch up.
   */
  stageState(stage: string): Promise<{ readonly position: number; readonly state: string } | undefined>;
  writeStageState(stage: string, position: number, state: string): Promise<void>;
}

export interface KeyStore {
  createApiKey(key: ApiKeyRecord): Promise<void>;
  apiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  apiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, at: string): Promise<boolean>;
}

export interface AuditStore {
  appendAudit(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  audit(filter?: { subject?: string; limit?: number; afterId?: number }): Promise<AuditEvent[]>;
}

export interface WorkItem {
  readonly queue: string;
  readonly key: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly attempts: number;
  readonly enqueuedAt: string;
}

export interface Enqueue {
  readonly queue: string;
  /** Identity of the work (e.g. the entity key); a pending item with the same key is not added twice. */
  readonly key: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Durable queues with leases: a claimed item that is neither completed nor failed before its lease
 * ends is claimed again (a worker died), so work survives crashes.
 */
export interface WorkQueue {
  enqueue(items: readonly Enqueue[], at?: string): Promise<number>;
  /** Claims up to `limit` ready items for `leaseMs`. */
  claim(queue: string, limit: number, leaseMs: number, at?: string): Promise<WorkItem[]>;
  complete(queue: string, keys: readonly string[], at?: string): Promise<void>;
  /** Puts an item back with a back-off; after `maxAttempts` it is parked as `failed`. */
  fail(
    queue: string,
    key: string,
    error: string,
    options: { retryInMs: number; maxAttempts: number },
    at?: string,
  ): Promise<void>;
  queueStats(queue: string): Promise<Record<'pending' | 'leased' | 'done' | 'failed', number>>;
}

export interface Store extends IngestStore, EntityStore, KeyStore, AuditStore, WorkQueue {
  readonly capabilities: StoreCapabilities;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Migrations this build has that the store has not applied (reads only). */
  pendingMigrations(): Promise<string[]>;
  /** Cheap round trip for readiness probes. */
  ping(): Promise<void>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
