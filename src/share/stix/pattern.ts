/**
 * STIX patterning for the indicator kinds Precursor publishes. A string literal in a STIX pattern is
 * single-quoted, and inside it only `\\` and `\'` are escapes (STIX 2.1 patterning §9.2), so a value
 * with quotes or backslashes (URLs carry both) must be escaped in that order to round-trip.
 * @module
 */
import { isIPv6 } from 'node:net';
import type { IndicatorKind } from '../model.js';
import type { ScoType } from './stix-types.js';

export function escapePatternString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** The SCO type an indicator value is an observation of. */
export function scoTypeOf(kind: IndicatorKind, value: string): ScoType {
  switch (kind) {
    case 'domain':
      return 'domain-name';
    case 'url':
      return 'url';
    case 'ip':
      return isIPv6(value) ? 'ipv6-addr' : 'ipv4-addr';
  }
}

/**
 * The value an SCO carries. A `url` value must be an RFC 3986 URI, so characters a browser tolerates
 * but RFC 3986 forbids (backslash, space, non-ASCII, a stray `%`) are percent-encoded as UTF-8; the
 * WHATWG parser is not used because it rewrites `\\` to `/` and would change the URL that was seen.
 */
export function observableValue(kind: IndicatorKind, value: string): string {
  if (kind !== 'url') return value;
  return value.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** `[domain-name:value = 'login-micros0ft.com']`, over the value its SCO carries. */
export function indicatorPattern(kind: IndicatorKind, value: string): string {
  return `[${scoTypeOf(kind, value)}:value = '${escapePatternString(observableValue(kind, value))}']`;
}
