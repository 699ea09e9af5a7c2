/**
 * The store boundary. Stages depend on these interfaces only; `sqlite/` and `postgres/` implement
 * them, and only the composition roots (`cli/`, `server/`, `app/`) pick one (`open-store.ts`).
 *
 * The store is a set of aggregates, each its own interface (and module): observations, the entity
 * graph, assessments, stage bookkeeping, the work queue, API keys, the audit log and campaigns. A workflow that
 * writes several of them does it in `transaction`, which hands it the same aggregates bound to one
 * transaction. This file re-exports every aggregate's types, so stages import the store from here only.
 * @module
 */
import type { ActivityStore } from './activity.js';
import type { AssessmentStore } from './assessments.js';
import type { AuditLog } from './audit.js';
import type { CampaignStore } from './campaigns.js';
import type { CaseStore } from './cases.js';
import type { EntityGraph } from './entities.js';
import type { IntelStore } from './intel.js';
import type { KeyStore } from './keys.js';
import type { ObservationStore } from './observations.js';
import type { OutboxStore } from './outbox.js';
import type { WorkQueue } from './queue.js';
import type { StageStore } from './stages.js';

export type * from './activity.js';
export type * from './assessments.js';
export type * from './audit.js';
export type * from './campaigns.js';
export type * from './cases.js';
export type * from './outbox.js';
export { type AuditRecord, auditRecordOf, entryHash, GENESIS } from './audit-hash.js';
export type * from './entities.js';
export type * from './intel.js';
export type * from './keys.js';
export type * from './observations.js';
export type * from './queue.js';
export type * from './stages.js';

export interface StoreCapabilities {
  readonly dialect: 'sqlite' | 'postgres';
  /** Several processes may write at once (row locks, SKIP LOCKED work queues). */
  readonly concurrentWriters: boolean;
  readonly supportsSkipLocked: boolean;
  readonly supportsListenNotify: boolean;
}

/**
 * The aggregates, bound either to the store (each call commits on its own) or to one open
 * transaction (everything commits with it, or nothing does).
 */
export interface Aggregates {
  readonly observations: ObservationStore;
  readonly entities: EntityGraph;
  readonly assessments: AssessmentStore;
  readonly stages: StageStore;
  readonly queue: WorkQueue;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  /** Published intel: versioned records, TAXII collection objects, grants (migration 0009). */
  readonly intel: IntelStore;
  readonly campaigns: CampaignStore;
  /** Read model: feed health and flags over time (the dashboard's overview). */
  readonly activity: ActivityStore;
  /** Review cases, their history, suppressions and policy versions (the review stage). */
  readonly cases: CaseStore;
  /** Actions awaiting delivery to webhooks, written with the decisions that cause them. */
  readonly outbox: OutboxStore;
  /**
   * Runs `fn` with the aggregates bound to one transaction: committed when `fn` resolves, rolled back
   * when it throws. Called on a transaction's aggregates it joins that transaction, as does every
   * aggregate method that needs one of its own (e.g. `observations.writeBatch`).
   *
   * Inside `fn`, use `tx` only: on SQLite the transaction holds the one connection, and a call on the
   * store itself would wait for it.
   *
   * @example
   * ```ts
   * await store.transaction(async (tx) => {
   *   await tx.keys.create(record);
   *   await tx.audit.append({ at, actor, action: 'key.create', subject: `key:${record.id}`, detail: {} });
   * });
   * ```
   */
  transaction<T>(fn: (tx: Aggregates) => Promise<T>): Promise<T>;
}

/** Counts for dashboards and metrics (one COUNT per table; no per-row work beyond the database's). */
export interface StoreStats {
  readonly observations: number;
  readonly entities: number;
  readonly flagged: number;
  readonly deadLetters: number;
  readonly links: number;
}

export interface Store extends Aggregates {
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
