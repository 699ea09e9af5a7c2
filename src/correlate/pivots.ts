/**
 * The pivot model: how strongly a link says two entities belong to one operation, decided in one
 * place from the pivot (what the entities share: a certificate, a mailbox, a kit) and the class of the
 * shared value (a hosting address or a carrier's NAT pool). Extraction, the tenant detectors and the
 * detectors that derive links all take their strengths from here, so a weight changed in configuration
 * (`pivots`, docs/config.md) re-links the past when the observations are replayed.
 *
 * Strength follows ubiquity: a value shared by thousands of strangers (gmail.com, a CGNAT range) welds
 * unrelated things together, so its class gets 0 and it links nothing at all.
 * @module
 */
import {
  type ClassedPivot,
  LINK_PIVOTS,
  PIVOT_CLASSES,
  type LinkPivot,
  type PivotClass,
  type PivotSettings,
  type PivotStrengths,
  type PlainPivot,
  PrecursorError,
} from '../domain/index.js';

/** The documented defaults (docs/config.md, `pivots`). */
export const DEFAULT_PIVOT_STRENGTHS: PivotStrengths = Object.freeze({
  // The same thing seen two ways: a domain hosting a URL, a page served by a domain, an attachment.
  hosts: 1,
  serves: 1,
  'snapshot-of': 1,
  'redirects-to': 1,
  'attached-by': 1,
  'deployed-by': 1,
  // A certificate names its hosts; shared by many names it says less (see `sharedStrength`).
  'cert-name': 1,
  'same-cert': 0.9,
  // Infrastructure: addresses and name servers are often shared (CDNs, parking, big providers).
  'resolves-to': 0.5,
  'uses-ns': 0.3,
  'registered-by': 0.3,
  // What an operator reuses and strangers do not: kits, exfiltration endpoints, payment means.
  'same-kit': 0.9,
  'exfil-to': 0.9,
  'same-payment': 0.9,
  'same-wallet': 1,
  // Wallets: inputs spent together are one owner's (common-input heuristic); a payment relates two less.
  'co-spent': 0.9,
  'paid-to': 0.3,
  'same-email': 0.9,
  'same-device': 0.8,
  'same-email-domain': { corporate: 0.3, free: 0, disposable: 0 },
  // Residential addresses are re-assigned and shared by households: below the tenant cluster threshold.
  'same-ip': { residential: 0.4, hosting: 0.7, 'ipv6-prefix': 0.5, mobile: 0, shared: 0 },
  'same-asn': { hosting: 0.1, residential: 0, mobile: 0, shared: 0 },
});

/** A value shared by many entities at once keeps at least this strength per link. */
export const DEFAULT_SHARED_FLOOR = 0.1;

export interface PivotModel {
  /** 0..1: how much sharing a value through `pivot` says; 0: the value links nothing. */
  strength(pivot: PlainPivot): number;
  strength<P extends ClassedPivot>(pivot: P, valueClass: PivotClass<P>): number;
  /**
   * The strength of each of the `n` links one value makes at once — a certificate for `n` names: a
   * CDN's shared certificate for hundreds of names says little about any pair of them. The pivot's
   * strength for one, then `strength / log2(n + 1)`, never below `sharedFloor` (nor above the pivot's
   * own strength).
   */
  sharedStrength(pivot: PlainPivot, n: number): number;
}

const isClassed = (p: LinkPivot): p is ClassedPivot => p in PIVOT_CLASSES;

function invalid(message: string): never {
  throw new PrecursorError('CONFIG_INVALID', `pivots: ${message}`);
}

function checkStrength(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    invalid(`${path} must be a number from 0 to 1`);
  return value;
}

/** The defaults with `settings` merged over them; an unknown pivot or class is CONFIG_INVALID. */
export function resolvePivotStrengths(settings: PivotSettings = {}): PivotStrengths {
  const out: Record<string, unknown> = { ...DEFAULT_PIVOT_STRENGTHS };
  for (const [pivot, value] of Object.entries(settings.strengths ?? {})) {
    if (value === undefined) continue;
    if (!(LINK_PIVOTS as readonly string[]).includes(pivot))
      invalid(`unknown pivot ${pivot} (one of ${LINK_PIVOTS.join(', ')})`);
    const p = pivot as LinkPivot;
    if (!isClassed(p)) {
      out[p] = checkStrength(value, `strengths.${p}`);
      continue;
    }
    const classes: readonly string[] = PIVOT_CLASSES[p];
    if (value === null || typeof value !== 'object')
      invalid(`strengths.${p} has a strength per class (${classes.join(', ')}); give an object`);
    const merged: Record<string, number> = { ...DEFAULT_PIVOT_STRENGTHS[p] };
    for (const [cls, v] of Object.entries(value)) {
      if (!classes.includes(cls)) invalid(`unknown class ${cls} of ${p} (one of ${classes.join(', ')})`);
      if (v !== undefined) merged[cls] = checkStrength(v, `strengths.${p}.${cls}`);
    }
    out[p] = merged;
  }
  return out as PivotStrengths;
}

/**
 * @example
 * ```ts
 * const pivots = createPivotModel({ strengths: { 'same-ip': { hosting: 0.8 } } });
 * pivots.strength('same-ip', 'hosting'); // 0.8
 * pivots.sharedStrength('cert-name', 3); // 0.5
 * ```
 */
export function createPivotModel(settings: PivotSettings = {}): PivotModel {
  const table = resolvePivotStrengths(settings);
  const floor =
    settings.sharedFloor === undefined
      ? DEFAULT_SHARED_FLOOR
      : checkStrength(settings.sharedFloor, 'sharedFloor');
  const plain = (pivot: PlainPivot): number => table[pivot];
  return Object.freeze({
    strength: ((pivot: LinkPivot, valueClass?: string): number =>
      isClassed(pivot)
        ? ((table[pivot] as Readonly<Record<string, number>>)[valueClass as string] ?? 0)
        : plain(pivot)) as PivotModel['strength'],
    sharedStrength(pivot: PlainPivot, n: number): number {
      const s = plain(pivot);
      // The floor never lifts a pivot above its own strength (a pivot set to 0 stays 0).
      return n <= 1 ? s : Math.max(Math.min(floor, s), s / Math.log2(n + 1));
    },
  });
}

/** The model with every default (tests, and callers without configuration). */
export const DEFAULT_PIVOTS: PivotModel = createPivotModel();
