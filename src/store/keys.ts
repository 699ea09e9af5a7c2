/**
 * API keys: only their SHA-256 hash is stored; a key is revoked, never deleted.
 * @module
 */

export type ApiRole = 'admin' | 'analyst' | 'reader' | 'ingest';

export interface ApiKeyRecord {
  readonly id: string;
  readonly label: string;
  readonly role: ApiRole;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /**
   * The partner organisation the key reads for: it sees only the TAXII collections granted to that
   * partner, each up to the grant's TLP. Null (or absent) for the deploying organisation's own keys.
   */
  readonly partner?: string | null;
}

/**
 * @example
 * ```ts
 * const key = await store.keys.byHash(hashKey(presented));
 * if (!key || key.revokedAt) throw new PrecursorError('UNAUTHENTICATED', 'unknown or revoked key');
 * ```
 */
export interface KeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  byHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** False when there is no active key with that id. */
  revoke(id: string, at: string): Promise<boolean>;
}
