/**
 * The outbox aggregate: actions (hold-and-review, block, notify, audit anchors) written in the same
 * transaction as the decision that caused them, and their delivery state. An action's id is its
 * receiver's idempotency key: enqueueing an id that exists is a no-op, and recording an attempt is
 * conditional on the attempt count read, so two deliverers racing on one action cannot both record it.
 * @module
 */

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export interface OutboxRow {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly caseId: string | null;
  readonly createdAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly lastError: string | null;
}

export interface OutboxFilter {
  readonly status?: OutboxStatus;
  readonly caseId?: string;
  readonly kind?: string;
  /** Newest first (default oldest first). */
  readonly newestFirst?: boolean;
  readonly limit?: number;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => { await tx.outbox.enqueue([row]); });
 * for (const r of await store.outbox.claimDue(now, 50, leaseUntil)) { … await store.outbox.record(…); }
 * ```
 */
export interface OutboxStore {
  /** Inserts the actions whose id is new; returns how many were new. */
  enqueue(rows: readonly OutboxRow[]): Promise<number>;
  /**
   * Pending actions due at `now`, oldest first, at most `limit`, each leased until `leaseUntil` (its
   * next attempt moved there) so another deliverer does not take it meanwhile. A deliverer that dies
   * holding a lease loses nothing: the action is due again when the lease ends.
   */
  claimDue(now: string, limit: number, leaseUntil: string): Promise<OutboxRow[]>;
  /** Records an attempt's outcome if the action still has `expectedAttempts` attempts; false otherwise. */
  record(
    id: string,
    state: Pick<OutboxRow, 'status' | 'attempts' | 'nextAttemptAt' | 'deliveredAt' | 'lastError'>,
    expectedAttempts: number,
  ): Promise<boolean>;
  get(id: string): Promise<OutboxRow | undefined>;
  list(filter?: OutboxFilter): Promise<OutboxRow[]>;
}
