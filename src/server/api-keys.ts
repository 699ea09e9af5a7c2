/**
 * API keys: `pcr_<id>_<secret>`, shown once, stored as a SHA-256 hash. The secret has 256 bits, so a
 * fast hash is enough (no password stretching is needed for random keys).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { PrecursorError } from '../domain/index.js';
import { forgetAccess } from '../app/access-cache.js';
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
  /** The partner the key reads for (TAXII grants), or null for the deploying organisation's keys. */
  readonly partner: string | null;
}

/** Partner names: what `collections grant` and `keys create --partner` take. */
export const PARTNER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkPartnerName(name: string): string {
  if (!PARTNER_NAME.test(name))
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `partner '${name.slice(0, 80)}' must be 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  return name;
}

/** Creates a key (no audit entry: for bootstrapping and tests; see `issueApiKey`). */
export async function createApiKey(
  keys: KeyStore,
  role: ApiRole,
  label: string,
  now = new Date(),
  partner: string | null = null,
): Promise<CreatedKey> {
  if (partner !== null) checkPartnerName(partner);
  const id = randomBytes(6).toString('hex');
  const key = `pcr_${id}_${randomBytes(32).toString('base64url')}`;
  await keys.create({
    id,
    label,
    role,
    hash: hashKey(key),
    createdAt: now.toISOString(),
    revokedAt: null,
    partner,
  });
  return { id, key, role, label, partner };
}

/** Creates a key and its `key.create` audit entry in one transaction. */
export function issueApiKey(
  store: Aggregates,
  request: { role: ApiRole; label: string; actor: string; partner?: string | null },
  now = new Date(),
): Promise<CreatedKey> {
  return store.transaction(async (tx) => {
    const created = await createApiKey(tx.keys, request.role, request.label, now, request.partner ?? null);
    await tx.audit.append({
      at: now.toISOString(),
      actor: request.actor,
      action: 'key.create',
      subject: `key:${created.id}`,
      detail: { role: created.role, label: created.label, partner: created.partner },
    });
    return created;
  });
}

/** Revokes an active key and writes its `key.revoke` audit entry in one transaction; NOT_FOUND otherwise. */
export async function revokeApiKey(
  store: Aggregates,
  id: string,
  actor: string,
  now = new Date(),
): Promise<string> {
  const at = now.toISOString();
  await store.transaction(async (tx) => {
    if (!(await tx.keys.revoke(id, at))) throw new PrecursorError('NOT_FOUND', `no active key ${id}`);
    await tx.audit.append({ at, actor, action: 'key.revoke', subject: `key:${id}`, detail: {} });
  });
  // This process refuses the key at once; others within ACCESS_TTL_MS (see access-cache.ts).
  forgetAccess(store);
  return at;
}
