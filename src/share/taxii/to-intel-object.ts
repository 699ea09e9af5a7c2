/**
 * A STIX object as a TAXII collection stores it: version canonical, TLP from its marking. A TLP
 * marking definition is shown only to readers of its level: the definitions are public, but an amber
 * definition in a green reader's feed would still say that amber intel exists.
 * @module
 */
import type { Tlp } from '../model.js';
import type { IntelObjectInput } from '../../store/store.js';
import type { StixObject } from '../stix/stix-types.js';
import { TLP_MARKING_IDS } from '../stix/tlp-marking.js';
import { tlpOfStixObject } from './memory-object-source.js';
import { STIX_MEDIA_TYPE } from './taxii-media.js';
import { canonicalTaxiiTimestamp } from './taxii-timestamp.js';

const LEVEL_OF_DEFINITION = new Map<string, Tlp>(
  Object.entries(TLP_MARKING_IDS).map(([tlp, id]) => [id, tlp as Tlp]),
);

export function toIntelObject(o: StixObject | Readonly<Record<string, unknown>>): IntelObjectInput {
  const rec = o as Readonly<Record<string, unknown>>;
  const stamp =
    typeof rec.modified === 'string' ? rec.modified : typeof rec.created === 'string' ? rec.created : '';
  const definition = rec.type === 'marking-definition' ? LEVEL_OF_DEFINITION.get(String(rec.id)) : undefined;
  return {
    stixId: String(rec.id),
    type: String(rec.type),
    version: stamp === '' ? '' : (canonicalTaxiiTimestamp(stamp) ?? stamp),
    specVersion: String(rec.spec_version ?? '2.1'),
    tlp: definition ?? tlpOfStixObject(rec),
    mediaType: STIX_MEDIA_TYPE,
    body: JSON.stringify(rec),
  };
}
