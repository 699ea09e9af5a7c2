/**
 * Durable work queues with leases: a claimed item that is neither completed nor failed before its
 * lease ends is claimed again (a worker died), so work survives crashes.
 * @module
 */

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

export type QueueStats = Record<'pending' | 'leased' | 'done' | 'failed', number>;

/**
 * @example
 * ```ts
 * const items = await store.queue.claim('crawl', 10, 15 * 60_000);
 * await store.queue.complete('crawl', items.map((i) => i.key));
 * ```
 */
export interface WorkQueue {
  /** Adds items not already queued under their key; returns how many were added. */
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
  stats(queue: string): Promise<QueueStats>;
}
