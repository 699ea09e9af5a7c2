/**
 * PostgreSQL advisory locks on a connection of their own: how scale-out workers share work without a
 * coordinator. A session-level lock is held until released or until the connection ends, so a worker
 * killed with `kill -9` frees its locks the moment PostgreSQL notices the connection is gone; no lease
 * to expire, no lock table to clean.
 *
 * Keys are two 32-bit integers: a namespace (a hash of the deployment's name, so two deployments
 * sharing a database never block each other) and the lock within it.
 * @module
 */
import pg from 'pg';

export { lockNamespace } from './lock-namespace.js';

export interface LockSession {
  /** Takes the lock if free; never waits. */
  tryLock(key: number): Promise<boolean>;
  /** Waits for the lock. */
  lock(key: number): Promise<void>;
  unlock(key: number): Promise<void>;
  close(): Promise<void>;
}

export async function openLockSession(url: string, namespace: number): Promise<LockSession> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A lost connection has already released every lock it held; the worker learns it from the next
  // call failing, stops the work it was doing under them and reconnects.
  client.on('error', () => {});
  await client.connect();
  return {
    async tryLock(key) {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
        namespace,
        key,
      ]);
      return r.rows[0]?.ok === true;
    },
    async lock(key) {
      await client.query('select pg_advisory_lock($1, $2)', [namespace, key]);
    },
    async unlock(key) {
      await client.query('select pg_advisory_unlock($1, $2)', [namespace, key]);
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/**
 * Jobs that must never run twice at once across processes (detect's cursor, the tenant windows, a
 * correlation rewrite, a policy pass): each run holds a session lock on a pooled connection, waiting
 * its turn, and a process that dies mid-run frees it with its connection.
 */
export interface JobLocks {
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openJobLocks(url: string, namespace: number): JobLocks {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  return {
    async exclusive(key, fn) {
      const client = await pool.connect();
      let healthy = true;
      try {
        await client.query('select pg_advisory_lock($1, $2)', [namespace, key]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1, $2)', [namespace, key]).catch(() => {
            healthy = false;
          });
        }
      } finally {
        // A connection whose unlock failed may still hold the lock: end it rather than pool it.
        client.release(!healthy);
      }
    },
    close: () => pool.end(),
  };
}
