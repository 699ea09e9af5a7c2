/**
 * How far a key may see published intel outside TAXII (exports, the URL check): the deploying
 * organisation's keys up to `share.taxii.internalTlp`, a partner's keys up to its grant on the
 * `confirmed` collection — the same ceiling TAXII gives them — and nothing without one.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import type { Tlp } from '../domain/tlp.js';
import { collectionId, CONFIRMED_ALIAS } from '../share/collections.js';
import type { Aggregates, ApiKeyRecord } from '../store/store.js';
import { accessCache } from './access-cache.js';

/** The key's TLP ceiling on published intel, or undefined when it may see none. */
export async function intelCeiling(
  store: Pick<Aggregates, 'keys' | 'intel'>,
  config: Config,
  key: Pick<ApiKeyRecord, 'partner'> | undefined,
): Promise<Tlp | undefined> {
  if (!key?.partner) return config.share.taxii.internalTlp;
  const confirmed = collectionId(CONFIRMED_ALIAS);
  const grants = await accessCache(store).grants(key.partner);
  return grants.find((g) => g.collectionId === confirmed)?.tlp;
}
