/**
 * API keys: `pcr_<id>_<secret>`, shown once, stored as a SHA-256 hash. The secret has 256 bits, so a
 * fast hash is enough (no password stretching is needed for random keys).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { PrecursorError } from '../domain/index.js';
import type { Aggregates, ApiRole, KeyStore } from '../store/store.js';

export const ROLES: readonly ApiRole[] = ['admin', 'analyst', 'reader', 'ingest'];

/** Which roles may use a route that requires `role`. */
const GRANTS: Readonly<Record<ApiRole, readonly ApiRole[]>> = Object.freeze({
  reader: ['reader', 'analyst', 'admin'],
  analyst: ['analyst', 'admin'],
  admin: ['admin'],
  ingest: ['ingest', 'admin'],
});

export function roleAllows(held: ApiRole, required: ApiRole): boolean {
  return GRANTS[required].includes(held);
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export interface CreatedKey {
  readonly id: string;
  readonly key: string;
  readonly role: ApiRole;
  readonly label: string;
}

/** Creates a key (no audit entry: for bootstrapping and tests; see `issueApiKey`). */
export async function createApiKey(
  keys: KeyStore,
  role: ApiRole,
  label: string,
  now = new Date(),
): Promise<CreatedKey> {
  const id = randomBytes(6).toString('hex');
  const key = `pcr_${id}_${randomBytes(32).toString('base64url')}`;
  await keys.create({
    id,
    label,
    role,
    hash: hashKey(key),
    createdAt: now.toISOString(),
    revokedAt: null,
  });
  return { id, key, role, label };
}

/** Creates a key and its `key.create` audit entry in one transaction. */
export function issueApiKey(
  store: Aggregates,
  request: { role: ApiRole; label: string; actor: string },
  now = new Date(),
): Promise<CreatedKey> {
  return store.transaction(async (tx) => {
    const created = await createApiKey(tx.keys, request.role, request.label, now);
    await tx.audit.append({
      at: now.toISOString(),
      actor: request.actor,
      action: 'key.create',
      subject: `key:${created.id}`,
      detail: { role: created.role, label: created.label },
    });
    return created;
  });
}

/** Revokes an active key and writes its `key.revoke` audit entry in one transaction; NOT_FOUND otherwise. */
export function revokeApiKey(
  store: Aggregates,
  id: string,
  actor: string,
  now = new Date(),
): Promise<string> {
  const at = now.toISOString();
  return store.transaction(async (tx) => {
    if (!(await tx.keys.revoke(id, at))) throw new PrecursorError('NOT_FOUND', `no active key ${id}`);
    await tx.audit.append({ at, actor, action: 'key.revoke', subject: `key:${id}`, detail: {} });
    return at;
  });
}
