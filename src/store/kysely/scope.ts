/**
 * Where a query runs: on the store's pool (each statement or `atomic` block its own transaction) or
 * inside one open transaction, which every `atomic` block then joins. Aggregates hold a scope instead
 * of the Kysely handle, which is how the same aggregate code serves `store.x` and `tx.x`.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export class Scope {
  /** The executor: the store's Kysely instance, or the open transaction. */
  readonly db: Kysely<Database>;
  /** Callbacks to run once the enclosing transaction commits; present only inside one. */
  readonly #onCommit: (() => void)[] | undefined;

  constructor(db: Kysely<Database>, onCommit?: (() => void)[]) {
    this.db = db;
    this.#onCommit = onCommit;
  }

  get inTransaction(): boolean {
    return this.#onCommit !== undefined;
  }

  /**
   * Runs `fn` in a transaction: a new one committed when `fn` resolves, or the open one this scope
   * is bound to (joined, so an outer rollback undoes it too).
   */
  async atomic<T>(fn: (tx: Scope) => Promise<T>): Promise<T> {
    if (this.#onCommit) return fn(this);
    const onCommit: (() => void)[] = [];
    const result = await this.db.transaction().execute((trx) => fn(new Scope(trx, onCommit)));
    for (const f of onCommit) f();
    return result;
  }

  /**
   * Runs `f` after the enclosing transaction commits (at once outside one). For in-memory caches of
   * rows a transaction creates: a rolled-back row must never be remembered.
   */
  afterCommit(f: () => void): void {
    if (this.#onCommit) this.#onCommit.push(f);
    else f();
  }

  /**
   * Runs synchronous work on the raw database handle (SQLite's cached statements) while Kysely's
   * connection is held, so it never runs inside another caller's open transaction. Inside a
   * transaction the connection is already ours.
   */
  async holding<T>(work: () => T): Promise<T> {
    if (this.#onCommit) return work();
    return this.db.connection().execute(async () => work());
  }
}
