/**
 * Who sees which TAXII collection, up to which TLP. A key of the deploying organisation (no partner)
 * sees every collection up to the configured internal ceiling; a partner's key sees only the
 * collections granted to its partner, each up to the grant's TLP — an ungranted collection does not
 * exist for it (404, never 403, so its existence is not disclosed). Reading needs the reader role
 * (or one that includes it), POSTing the ingest role on a writable collection.
 * @module
 */
import type { ApiRole, IntelCollection, IntelGrant } from '../../store/store.js';
import type { Tlp } from '../model.js';

export interface TaxiiCaller {
  readonly role: ApiRole;
  readonly partner: string | null;
}

export interface CollectionAccess {
  readonly collection: IntelCollection;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** The caller's TLP ceiling in this collection. */
  readonly tlp: Tlp;
}

const READS: readonly ApiRole[] = ['reader', 'analyst', 'admin'];
const WRITES: readonly ApiRole[] = ['ingest', 'admin'];

export function collectionAccess(
  caller: TaxiiCaller,
  collections: readonly IntelCollection[],
  grants: readonly IntelGrant[],
  internalTlp: Tlp,
): CollectionAccess[] {
  const out: CollectionAccess[] = [];
  for (const c of collections) {
    let tlp: Tlp;
    if (caller.partner === null) tlp = internalTlp;
    else {
      const g = grants.find((x) => x.collectionId === c.id && x.partner === caller.partner);
      if (!g) continue;
      tlp = g.tlp;
    }
    const canRead = READS.includes(caller.role);
    const canWrite = c.canWrite && WRITES.includes(caller.role);
    if (canRead || canWrite) out.push({ collection: c, canRead, canWrite, tlp });
  }
  return out;
}
