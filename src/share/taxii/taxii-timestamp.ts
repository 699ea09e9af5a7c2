/**
 * TAXII timestamps. `date_added` values are kept as fixed-width UTC strings with microseconds
 * (`2026-11-20T12:00:00.123456Z`) so that string order is time order — the cursor and the object
 * sources rely on it — and so that two objects added in the same millisecond can still be ordered.
 * @module
 */
import { TaxiiError } from './taxii-error.js';

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Canonical `YYYY-MM-DDTHH:MM:SS.ffffffZ` for an RFC 3339 timestamp, or undefined. */
export function canonicalTaxiiTimestamp(value: string): string | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, date, time, frac = '', zone = 'Z'] = m;
  const base = Date.parse(`${date}T${time}${zone.toUpperCase() === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(base)) return undefined;
  const micros = (frac + '000000').slice(0, 6);
  return `${new Date(base).toISOString().slice(0, 19)}.${micros}Z`;
}

/** Parses a query timestamp (`added_after`) or throws 400. */
export function parseTaxiiTimestamp(name: string, value: string): string {
  const t = canonicalTaxiiTimestamp(value);
  if (t === undefined) throw new TaxiiError(400, `${name} is not an RFC 3339 timestamp: ${value}`);
  return t;
}

/** A `date_added` from a JS time plus a sub-millisecond counter (0–999) that keeps insertion order. */
export function dateAdded(ms: number, micro = 0): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micro % 1000).padStart(3, '0')}Z`;
}
