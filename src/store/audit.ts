/**
 * The audit log: append-only (the database itself rejects UPDATE and DELETE on both dialects). Write
 * an entry in the same transaction as the change it records.
 * @module
 */
import type { AuditEvent } from '../domain/index.js';

export interface AuditFilter {
  readonly subject?: string;
  readonly limit?: number;
  readonly afterId?: number;
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
  append(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  /** Oldest first. */
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
}
