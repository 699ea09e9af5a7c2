/**
 * Small helpers the Kysely aggregates share.
 * @module
 */

/** Rows per INSERT: keeps every statement under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
export const CHUNK = 1000;

export function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export const nowIso = (): string => new Date().toISOString();
