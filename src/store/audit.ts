/**
 * The audit log: append-only (the database itself rejects UPDATE and DELETE on both dialects) and a
 * hash chain — each entry carries its position and the hash of the previous one (`audit-hash.ts`), so
 * an entry edited, removed or reordered by someone who bypasses the triggers is still found by
 * `precursor audit verify`. Write an entry in the same transaction as the change it records.
 * @module
 */
import type { AuditEvent } from '../domain/index.js';

export interface AuditFilter {
  readonly subject?: string;
  /** Only entries of this action (`case.decide`, `policy.apply`, …). */
  readonly action?: string;
  readonly limit?: number;
  readonly afterId?: number;
}

/** An entry as stored, with its place in the chain (null only if someone blanked it). */
export interface ChainedAuditEvent extends AuditEvent {
  readonly seq: number | null;
  readonly prevHash: string | null;
  readonly hash: string | null;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   if (await tx.keys.revoke(id, at)) await tx.audit.append({ at, actor, action: 'key.revoke', subject: `key:${id}`, detail: {} });
 * });
 * ```
 */
export interface AuditLog {
  /** Appends at the chain's head (serialised against other writers; a forked chain is refused). */
  append(event: Omit<AuditEvent, 'id'>): Promise<ChainedAuditEvent>;
  /** Oldest first. */
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
  /** Entries in stored order (by id) after `afterId`, for verification page by page. */
  chain(afterId: number, limit: number): Promise<ChainedAuditEvent[]>;
  /** The chain's head (the entry with the highest position), undefined for an empty log. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
}
