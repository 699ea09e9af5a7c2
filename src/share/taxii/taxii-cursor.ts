/**
 * The `next` cursor: an opaque, URL-safe token holding the position of the last record of a page and
 * a digest of the filters it was issued for. Keyset paging on (date_added, id, version) is stable under
 * ties — thousands of objects added in the same instant page exactly once each — and under concurrent
 * additions (new records sort after the position or are simply seen on a later page). A token reused
 * with different filters, or tampered with, is a 400 rather than a silently wrong page.
 * @module
 */
import { createHash } from 'node:crypto';
import type { TaxiiPosition } from './object-source.js';
import { TaxiiError } from './taxii-error.js';

export function filterDigest(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(pos: TaxiiPosition, digest: string): string {
  return Buffer.from(JSON.stringify([1, pos.dateAdded, pos.id, pos.version, digest]), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(token: string, digest: string): TaxiiPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw new Error('shape');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new TaxiiError(400, 'next is not a cursor this server issued');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 5 ||
    parsed[0] !== 1 ||
    !parsed.slice(1).every((x) => typeof x === 'string')
  )
    throw new TaxiiError(400, 'next is not a cursor this server issued');
  const [, dateAdded, id, version, d] = parsed as [number, string, string, string, string];
  if (d !== digest)
    throw new TaxiiError(400, 'next was issued for different filters; repeat the original query');
  return { dateAdded, id, version };
}
