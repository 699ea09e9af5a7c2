/**
 * Links: how two entities relate. Strength follows the rarity of the shared value, so that a
 * gmail.com address or a CGNAT range never welds unrelated accounts together.
 * @module
 */
import type { EntityKey } from './entity.js';

export const LINK_PIVOTS = [
  'resolves-to',
  'uses-ns',
  'same-cert',
  'cert-name',
  'hosts',
  'serves',
  'redirects-to',
  'same-payment',
  'same-wallet',
  'same-email',
  /** Accounts whose mail is at the same company domain (never a free or disposable mail domain). */
  'same-email-domain',
  'same-device',
  'same-ip',
  'same-asn',
  'same-kit',
  'attached-by',
  'deployed-by',
  'registered-by',
  'exfil-to',
  'snapshot-of',
  /** Two inputs of one UTXO transaction: spent together, so (by common-input ownership) one owner. */
  'co-spent',
  /** A transfer from one wallet to another (direction: from pays to). */
  'paid-to',
] as const;

export type LinkPivot = (typeof LINK_PIVOTS)[number];

/**
 * Pivots whose strength depends on the class of the shared value: an address in a hosting range is
 * one machine, a carrier's NAT pool thousands of strangers; a company's mail domain means colleagues,
 * gmail.com nothing. The pivot model (`src/correlate/pivots.ts`) gives a strength per class; 0 means a
 * value of that class links nothing.
 */
export const PIVOT_CLASSES = {
  /** IPv4 by network (`residential`: neither hosting, mobile nor shared), IPv6 as its /64. */
  'same-ip': ['residential', 'hosting', 'ipv6-prefix', 'mobile', 'shared'],
  /** The ASN of the address an account used, by the address's network class. */
  'same-asn': ['hosting', 'residential', 'mobile', 'shared'],
  'same-email-domain': ['corporate', 'free', 'disposable'],
} as const satisfies Partial<Record<LinkPivot, readonly string[]>>;

export type ClassedPivot = keyof typeof PIVOT_CLASSES;
/** A pivot with one strength whatever the value. */
export type PlainPivot = Exclude<LinkPivot, ClassedPivot>;
export type PivotClass<P extends ClassedPivot> = (typeof PIVOT_CLASSES)[P][number];

/** A strength for every pivot: one number, or one per value class. */
export type PivotStrengths = {
  readonly [P in LinkPivot]: P extends ClassedPivot ? { readonly [C in PivotClass<P>]: number } : number;
};

/** Configuration `pivots` (docs/config.md): overrides merged over the pivot model's defaults. */
export interface PivotSettings {
  readonly strengths?: {
    readonly [P in LinkPivot]?: P extends ClassedPivot ? { readonly [C in PivotClass<P>]?: number } : number;
  };
  /** The least strength a value shared by many entities at once keeps (see `sharedStrength`). */
  readonly sharedFloor?: number;
}

export interface Link {
  readonly from: EntityKey;
  readonly to: EntityKey;
  readonly pivot: LinkPivot;
  /** 0..1 */
  readonly strength: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Source ids whose observations asserted this link. */
  readonly provenance: readonly string[];
}
