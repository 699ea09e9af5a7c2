/**
 * API keys: `pcr_<id>_<secret>`, shown once, stored as a SHA-256 hash. The secret has 256 bits, so a
 * fast hash is enough (no password stretching is needed for random keys).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiRole, KeyStore } from '../store/store.js';

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

export async function createApiKey(
  store: KeyStore,
  role: ApiRole,
  label: string,
  now = new Date(),
): Promise<CreatedKey> {
  const id = randomBytes(6).toString('hex');
  const key = `pcr_${id}_${randomBytes(32).toString('base64url')}`;
  await store.createApiKey({
    id,
    label,
    role,
    hash: hashKey(key),
    createdAt: now.toISOString(),
    revokedAt: null,
  });
  return { id, key, role, label };
}
