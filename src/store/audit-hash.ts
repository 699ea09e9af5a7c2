/**
 * The audit chain's hash: each entry's hash covers a canonical serialisation (RFC 8785, via
 * `canonicalize`) of its position, actor, time, action, subject, before, after and the previous entry's
 * hash. It lives with the store because the store computes it on every append (the only place that
 * knows the chain's head inside the writing transaction); `review/audit-chain.ts` verifies with it.
 * @module
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { PrecursorError } from '../domain/index.js';

/** What an entry records: who did what to which subject, and the state before and after. */
export interface AuditRecord {
  /** `key:<id>`, `cli:<user>`, `system`. */
  readonly actor: string;
  /** ISO-8601 time of the action. */
  readonly at: string;
  /** `case.decide`, `policy.apply`, `key.create`, `export.stix`, … */
  readonly action: string;
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The previous hash of the first entry. */
export const GENESIS = '0'.repeat(64);
/** Version of the hashed serialisation; part of every hash so a future format cannot collide. */
const FORMAT = 1;

/** The hash an entry at position `seq` after `prevHash` must carry. */
export function entryHash(record: AuditRecord, seq: number, prevHash: string): string {
  const text = canonicalize({
    v: FORMAT,
    seq,
    actor: record.actor,
    at: record.at,
    action: record.action,
    subject: record.subject,
    before: record.before ?? null,
    after: record.after ?? null,
    prev: prevHash,
  });
  if (text === undefined) throw new PrecursorError('INVALID_VALUE', 'audit record cannot be serialised');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A stored audit event as a chain record: its `detail` is what it records. A detail that carries
 * `before` (a decision's previous state, a policy's previous hash) hashes it as the before side.
 */
export function auditRecordOf(e: {
  actor: string;
  at: string;
  action: string;
  subject: string;
  detail: Readonly<Record<string, unknown>>;
}): AuditRecord {
  const { before, ...after } = e.detail;
  return { actor: e.actor, at: e.at, action: e.action, subject: e.subject, before: before ?? null, after };
}
