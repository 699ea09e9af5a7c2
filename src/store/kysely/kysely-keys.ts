/**
 * API keys over Kysely.
 * @module
 */
import type { ApiKeyRecord, KeyStore } from '../keys.js';
import { toApiKey } from './rows.js';
import type { Scope } from './scope.js';

export class KyselyKeys implements KeyStore {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async create(key: ApiKeyRecord): Promise<void> {
    await this.#scope.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        label: key.label,
        role: key.role,
        hash: key.hash,
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
        partner: key.partner ?? null,
      })
      .execute();
  }

  async byHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.#scope.db
      .selectFrom('api_keys')
      .selectAll()
      .where('hash', '=', hash)
      .executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.#scope.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(
      toApiKey,
    );
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const res = await this.#scope.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
