/**
 * The namespace half of an advisory lock key (lock-session.ts), apart from the PostgreSQL client so that
 * naming a lock does not load it (every command derives its job locks' namespace at start).
 * @module
 */

/** A stable 31-bit hash of a name (FNV-1a), the namespace half of every lock key. */
export function lockNamespace(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x7fffffff;
}
