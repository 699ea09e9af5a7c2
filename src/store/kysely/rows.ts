/**
 * Row ↔ domain conversions, in one place so both dialects read the same values back.
 * @module
 */
import type {
  Assessment,
  AuditEvent,
  Contribution,
  Entity,
  EntityKey,
  EntityType,
  Link,
  LinkPivot,
  Verdict,
} from '../../domain/index.js';
import type { ApiKeyRecord, ApiRole, DeadLetter } from '../store.js';

// PostgreSQL returns bigint/bigserial as strings; SQLite as numbers.
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toEntity(r: {
  key: string;
  type: string;
  display: string;
  first_seen: string;
  last_seen: string;
  attrs: string;
}): Entity {
  return {
    key: r.key as EntityKey,
    type: r.type as EntityType,
    display: r.display,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    attrs: withoutNulls(parseJson<Record<string, unknown>>(r.attrs, {})),
  };
}

export function toAssessment(r: {
  entity_key: string;
  score: number | string;
  flagged: number | string;
  verdict: string;
  contributions: string;
  assessed_at: string;
}): Assessment {
  return {
    entity: r.entity_key as EntityKey,
    score: num(r.score),
    flagged: num(r.flagged) === 1,
    verdict: r.verdict as Verdict,
    contributions: parseJson<Contribution[]>(r.contributions, []),
    assessedAt: r.assessed_at,
  };
}

export function toLink(r: {
  from_key: string;
  to_key: string;
  pivot: string;
  strength: number | string;
  first_seen: string;
  last_seen: string;
  provenance: string;
}): Link {
  return {
    from: r.from_key as EntityKey,
    to: r.to_key as EntityKey,
    pivot: r.pivot as LinkPivot,
    strength: num(r.strength),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    provenance: parseJson<string[]>(r.provenance, []),
  };
}

export function toDeadLetter(r: {
  id: number | string;
  source: string;
  position: string;
  raw: string;
  code: string;
  reason: string;
  path: string | null;
  created_at: string;
}): DeadLetter {
  return {
    id: num(r.id),
    source: r.source,
    position: r.position,
    raw: r.raw,
    code: r.code,
    reason: r.reason,
    path: r.path,
    createdAt: r.created_at,
  };
}

export function toApiKey(r: {
  id: string;
  label: string;
  role: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  partner?: string | null;
}): ApiKeyRecord {
  return {
    id: r.id,
    label: r.label,
    role: r.role as ApiRole,
    hash: r.hash,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    partner: r.partner ?? null,
  };
}

export function toAudit(r: {
  id: number | string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
}): AuditEvent {
  return {
    id: num(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail: parseJson<Record<string, unknown>>(r.detail, {}),
  };
}

/**
 * A null attribute reads as an absent one: the merge removes keys written as null, but an entity's
 * first write stores what it was given.
 */
function withoutNulls(attrs: Record<string, unknown>): Record<string, unknown> {
  for (const k in attrs) if (attrs[k] === null) delete attrs[k];
  return attrs;
}
