/**
 * What every authenticated request reads before it does its work — the API key behind a presented
 * secret, the TAXII collections, a partner's grants — kept in memory for a second, per store. A
 * request then costs no store round trip for authentication: the URL check answers thousands of
 * requests a second and TAXII paging one page per request, each with the same key.
 *
 * Why a short time-to-live rather than a change feed: keys and grants also change in other processes
 * (`precursor keys revoke`, `precursor collections grant` beside a running `serve`), and the store has
 * no notification for them. A change made in another process takes effect within `ACCESS_TTL_MS`; one
 * made in this process (the admin API, the services below) is applied at once through
 * `forgetAccess`. Only active keys are cached: an unknown or revoked secret is looked up every time,
 * so a guessed key cannot fill the cache, and a key created elsewhere works on its first request.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Aggregates, ApiKeyRecord, IntelCollection, IntelGrant } from '../store/store.js';

export const ACCESS_TTL_MS = 1000;
/** Bound on cached keys (oldest dropped first). */
const MAX_KEYS = 10_000;

interface Entry<T> {
  readonly value: T;
  readonly until: number;
}

type Source = Pick<Aggregates, 'keys' | 'intel'>;

export class AccessCache {
  readonly #store: Source;
  readonly #keys = new Map<string, Entry<ApiKeyRecord>>();
  readonly #grants = new Map<string, Entry<Promise<IntelGrant[]>>>();
  #collections: Entry<Promise<IntelCollection[]>> | undefined;
  readonly #now: () => number;

  constructor(store: Source, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** The active key whose SHA-256 hash this is, or undefined (unknown or revoked). */
  async keyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const now = this.#now();
    const hit = this.#keys.get(hash);
    if (hit && hit.until > now) return hit.value;
    const key = await this.#store.keys.byHash(hash);
    if (!key || key.revokedAt !== null) {
      this.#keys.delete(hash);
      return undefined;
    }
    if (this.#keys.size >= MAX_KEYS && !hit) this.#keys.delete(this.#keys.keys().next().value as string);
    this.#keys.set(hash, { value: key, until: now + ACCESS_TTL_MS });
    return key;
  }

  /** The active key presented as this secret, or undefined. */
  key(presented: string): Promise<ApiKeyRecord | undefined> {
    return this.keyByHash(createHash('sha256').update(presented, 'utf8').digest('hex'));
  }

  collections(): Promise<IntelCollection[]> {
    const now = this.#now();
    if (this.#collections && this.#collections.until > now) return this.#collections.value;
    const value = this.#store.intel.collections();
    this.#collections = { value, until: now + ACCESS_TTL_MS };
    value.catch(() => {
      this.#collections = undefined;
    });
    return value;
  }

  /** Every grant of the partner. */
  grants(partner: string): Promise<IntelGrant[]> {
    const now = this.#now();
    const hit = this.#grants.get(partner);
    if (hit && hit.until > now) return hit.value;
    const value = this.#store.intel.grants({ partner });
    if (this.#grants.size >= MAX_KEYS && !hit)
      this.#grants.delete(this.#grants.keys().next().value as string);
    this.#grants.set(partner, { value, until: now + ACCESS_TTL_MS });
    value.catch(() => this.#grants.delete(partner));
    return value;
  }

  clear(): void {
    this.#keys.clear();
    this.#grants.clear();
    this.#collections = undefined;
  }
}

const caches = new WeakMap<object, AccessCache>();

/** The cache of this store (one per store object, shared by every route of the process). */
export function accessCache(store: Source): AccessCache {
  let c = caches.get(store);
  if (!c) {
    c = new AccessCache(store);
    caches.set(store, c);
  }
  return c;
}

/** Drops what is cached for this store: call after revoking a key or changing grants or collections. */
export function forgetAccess(store: object): void {
  caches.get(store)?.clear();
}
