/**
 * `net.isIP` with a fast path for dotted-quad IPv4, the form nearly every event carries. `isIP` tries
 * two regular expressions per call, and a tenant event's address is checked at the edge and again by
 * the identity rules; the fast path accepts exactly what Node's IPv4 pattern accepts (four decimal
 * octets of 0–255 without leading zeros) and leaves everything else to `isIP`.
 * @module
 */
import { isIP } from 'node:net';

/** 4, 6, or 0 (not an address): the same answer as `net.isIP`. */
export function ipVersion(s: string): 0 | 4 | 6 {
  if (isDottedQuad(s)) return 4;
  return isIP(s) as 0 | 4 | 6;
}

function isDottedQuad(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let octets = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    let value = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i += 1;
    }
    const digits = i - start;
    // No empty octet, at most three digits, no leading zero ("01"), at most 255.
    if (digits === 0 || digits > 3 || (digits > 1 && s.charCodeAt(start) === 48) || value > 255) return false;
    octets += 1;
    if (i === n) break;
    if (s.charCodeAt(i) !== 46 || octets === 4) return false;
    i += 1;
    if (i === n) return false; // a trailing dot
  }
  return octets === 4;
}
