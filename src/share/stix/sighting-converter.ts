/** Indicator sightings → STIX `sighting` (id from indicator, observer and window start). @module */
import type { IndicatorSighting, Tlp } from '../model.js';
import { type ConvertContext, stixTime } from './convert-context.js';
import { observerIdentityId } from './identity-converter.js';
import { indicatorId } from './indicator-converter.js';
import { precursorId, type StixId } from './stix-id.js';
import type { StixSighting } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

export interface SightingInput {
  readonly sighting: IndicatorSighting;
  /** The sighted indicator's TLP: a sighting reveals the indicator, so it is marked no lower. */
  readonly tlp: Tlp;
}

export function sightingId(s: IndicatorSighting): StixId<'sighting'> {
  return precursorId('sighting', s.indicatorKey, s.observer, stixTime(s.firstSeen));
}

export function sightingToStix({ sighting: s, tlp }: SightingInput, ctx: ConvertContext): StixSighting {
  const first = stixTime(s.firstSeen);
  const last = stixTime(s.lastSeen);
  if (Date.parse(last) < Date.parse(first))
    throw new RangeError(`sighting of ${s.indicatorKey}: last_seen before first_seen`);
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: sightingId(s),
    created: stixTime(s.created),
    modified: stixTime(s.modified),
    created_by_ref: ctx.producerRef,
    sighting_of_ref: indicatorId({ key: s.indicatorKey }),
    first_seen: first,
    last_seen: last,
    count: Math.max(0, Math.min(999_999_999, Math.round(s.count))),
    where_sighted_refs: [observerIdentityId(s.observer)],
    object_marking_refs: [TLP_MARKING_IDS[tlp]],
  };
}
