/**
 * TAXII collection grants: which partner reads which collection, up to which TLP. Each change and
 * its audit entry are written in one transaction; the CLI and the API call these.
 * @module
 */
import { PrecursorError } from '../domain/index.js';
import type { Tlp } from '../domain/tlp.js';
import { checkPartnerName } from '../server/api-keys.js';
import { ensureDefaultCollections } from '../share/collections.js';
import type { Aggregates, IntelCollection, IntelGrant } from '../store/store.js';
import { forgetAccess } from './access-cache.js';

export interface CollectionView extends IntelCollection {
  readonly objects: number;
  readonly grants: readonly Pick<IntelGrant, 'partner' | 'tlp' | 'grantedAt' | 'grantedBy'>[];
}

async function collectionOrThrow(tx: Aggregates, idOrAlias: string): Promise<IntelCollection> {
  await ensureDefaultCollections(tx, new Date());
  const c = await tx.intel.collection(idOrAlias);
  if (!c) {
    const known = (await tx.intel.collections()).map((x) => x.alias).join(', ');
    throw new PrecursorError('NOT_FOUND', `no collection '${idOrAlias}' (collections: ${known})`);
  }
  return c;
}

export async function listCollections(store: Aggregates): Promise<CollectionView[]> {
  await store.transaction((tx) => ensureDefaultCollections(tx, new Date()));
  const [collections, grants] = await Promise.all([store.intel.collections(), store.intel.grants()]);
  const out: CollectionView[] = [];
  for (const c of collections)
    out.push({
      ...c,
      objects: await store.intel.countObjects(c.id),
      grants: grants
        .filter((g) => g.collectionId === c.id)
        .map(({ partner, tlp, grantedAt, grantedBy }) => ({ partner, tlp, grantedAt, grantedBy })),
    });
  return out;
}

export async function grantCollection(
  store: Aggregates,
  req: { collection: string; partner: string; tlp: Tlp; actor: string },
  now = new Date(),
): Promise<IntelGrant> {
  checkPartnerName(req.partner);
  const granted = await store.transaction(async (tx) => {
    const c = await collectionOrThrow(tx, req.collection);
    const before = (await tx.intel.grants({ partner: req.partner, collectionId: c.id }))[0];
    const grant: IntelGrant = {
      collectionId: c.id,
      partner: req.partner,
      tlp: req.tlp,
      grantedAt: now.toISOString(),
      grantedBy: req.actor,
    };
    await tx.intel.grant(grant);
    await tx.audit.append({
      at: grant.grantedAt,
      actor: req.actor,
      action: 'collection.grant',
      subject: `collection:${c.alias}`,
      detail: { partner: req.partner, tlp: req.tlp, before: before?.tlp ?? null },
    });
    return grant;
  });
  forgetAccess(store);
  return granted;
}

export async function ungrantCollection(
  store: Aggregates,
  req: { collection: string; partner: string; actor: string },
  now = new Date(),
): Promise<void> {
  await store.transaction(async (tx) => {
    const c = await collectionOrThrow(tx, req.collection);
    if (!(await tx.intel.ungrant(c.id, req.partner)))
      throw new PrecursorError('NOT_FOUND', `partner '${req.partner}' has no grant on '${c.alias}'`);
    await tx.audit.append({
      at: now.toISOString(),
      actor: req.actor,
      action: 'collection.revoke',
      subject: `collection:${c.alias}`,
      detail: { partner: req.partner },
    });
  });
  forgetAccess(store);
}
