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
