/**
 * The port through which a review decision publishes or withdraws intel (CONTRACTS.md): `decide`
 * calls it inside the decision's transaction, so the decision, its audit entry and the published
 * versions commit together or not at all. Implemented by src/share/publish.ts.
 * @module
 */
import type { EntityKey } from '../domain/entity.js';
import type { Tlp } from '../domain/tlp.js';
import type { Aggregates } from '../store/store.js';

export interface PublishIntel {
  readonly caseId: string;
  readonly campaignId: string | null;
  /** The confirmed entities; those that are not domains, URLs or IP addresses are not indicators. */
  readonly entityKeys: readonly EntityKey[];
  /** The decision's TLP: every published version is marked with it. */
  readonly tlp: Tlp;
  /** ISO 8601: when the decision was taken (the indicators' valid_from). */
  readonly decidedAt: string;
  readonly actor: string;
}

export interface RevokeIntel {
  readonly caseId: string;
  /** ISO 8601 */
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
}

export interface IntelPublisher {
  publish(tx: Aggregates, intel: PublishIntel): Promise<void>;
  revoke(tx: Aggregates, input: RevokeIntel): Promise<void>;
}
