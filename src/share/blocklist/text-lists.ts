/**
 * The simple blocking formats: hosts file, Adblock Plus / uBlock filter list, plain list, CSV.
 * @module
 */
import type { BlockEntry } from './block-entries.js';

export interface ListHeader {
  readonly title: string;
  /** Generation time (ISO 8601). */
  readonly generated: string;
  readonly tlp: string;
}

const commentLines = (prefix: string, h: ListHeader, count: number) =>
  [
    `${prefix} ${h.title}`,
    `${prefix} Generated: ${h.generated}`,
    `${prefix} TLP:${h.tlp.toUpperCase()}`,
    `${prefix} Entries: ${count}`,
  ].map((l) => l.replace(/[\r\n]/g, ' '));

/** `0.0.0.0 name` per listed name (hosts files cannot wildcard; subdomains need their own lines). */
export function hostsFile(names: readonly string[], header: ListHeader): string {
  return [...commentLines('#', header, names.length), ...names.map((n) => `0.0.0.0 ${n}`)].join('\n') + '\n';
}

/** `||name^`: the name and every subdomain, any scheme and port. */
export function adblockList(names: readonly string[], header: ListHeader): string {
  return (
    [
      '[Adblock Plus 2.0]',
      `! Title: ${header.title.replace(/[\r\n]/g, ' ')}`,
      `! Last modified: ${header.generated}`,
      '! Expires: 1 hours',
      `! TLP:${header.tlp.toUpperCase()}`,
      ...names.map((n) => `||${n}^`),
    ].join('\n') + '\n'
  );
}

/** One value per line, no comments (what most firewalls and proxies import). */
export function plainList(values: readonly string[]): string {
  return values.length ? `${values.join('\n')}\n` : '';
}

export const CSV_COLUMNS = [
  'kind',
  'value',
  'first_seen',
  'valid_from',
  'valid_until',
  'confidence',
  'score',
  'campaign',
  'tlp',
  'version',
  'reasons',
] as const;

/** RFC 4180 CSV; reasons are `id:weight` pairs (never their free-text detail, which may be personal). */
export function csvList(entries: readonly BlockEntry[]): string {
  const rows = entries.map(({ kind, value, indicator: i }) => [
    kind,
    value,
    i.firstSeen,
    i.validFrom,
    i.validUntil ?? '',
    String(i.confidence),
    String(Math.round(i.score)),
    i.campaignId ?? '',
    i.tlp,
    String(i.version),
    i.reasons.map((r) => `${r.id}:${r.weight}`).join('|'),
  ]);
  return (
    [CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  );
}

function csvCell(value: string): string {
  // A cell a spreadsheet would evaluate (=, +, -, @ first) is defused with a leading quote.
  const v = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
