/**
 * What a blocking output lists: the active indicators an audience may see, reduced to safe, canonical
 * values. Revoked and expired indicators (and versions superseded by one of those) leave every list.
 * Values are validated strictly here because they are written into zone files and rule files, where a
 * stray newline, `;` or quote would inject records or rules.
 * @module
 */
import { isIP } from 'node:net';
import type { ExportScope, IndicatorKind, PublishedIndicator } from '../model.js';
import { isActive, latestVersions, tlpAllows } from '../model.js';

export interface BlockEntry {
  readonly kind: IndicatorKind;
  /** Lower-case A-label host name without a trailing dot, an IP address, or a URL. */
  readonly value: string;
  readonly indicator: PublishedIndicator;
}

export interface BlockSelection {
  readonly entries: readonly BlockEntry[];
  readonly rejected: readonly { readonly ref: string; readonly reason: string }[];
}

const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?|[a-z0-9])$/;

/** A DNS name fit for zone and rule files: LDH(+underscore) labels, at least two, 253 octets. */
export function isBlockableName(name: string): boolean {
  if (name.length === 0 || name.length > 253 || isIP(name) !== 0) return false;
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

export function selectBlockEntries(
  indicators: readonly PublishedIndicator[],
  scope: Pick<ExportScope, 'tlp'>,
  now: Date,
): BlockSelection {
  const entries: BlockEntry[] = [];
  const rejected: { ref: string; reason: string }[] = [];
  for (const ind of latestVersions(indicators, (i) => i.key)) {
    if (!tlpAllows(scope.tlp, ind.tlp) || !isActive(ind, now)) continue;
    const value = canonical(ind);
    if (value === undefined)
      rejected.push({ ref: ind.key, reason: `not a valid ${ind.kind}: ${JSON.stringify(ind.value)}` });
    else entries.push({ kind: ind.kind, value, indicator: ind });
  }
  entries.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { entries, rejected };
}

function canonical(ind: PublishedIndicator): string | undefined {
  switch (ind.kind) {
    case 'domain': {
      const name = ind.value.toLowerCase().replace(/\.$/, '');
      return isBlockableName(name) ? name : undefined;
    }
    case 'ip':
      return isIP(ind.value) ? ind.value.toLowerCase() : undefined;
    case 'url':
      return /^[\x21-\x7e]+$/.test(ind.value) && URL.canParse(ind.value) ? ind.value : undefined;
  }
}

/** The host names of an entry list (domain entries only: a URL's host may be a shared, honest site). */
export function blockedNames(entries: readonly BlockEntry[]): string[] {
  return entries.filter((e) => e.kind === 'domain').map((e) => e.value);
}

export function blockedIps(entries: readonly BlockEntry[]): string[] {
  return entries.filter((e) => e.kind === 'ip').map((e) => e.value);
}
