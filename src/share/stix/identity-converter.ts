/** Producer → STIX `identity` (the `created_by_ref` of everything Precursor publishes). @module */
import type { ProducerIdentity, Tlp } from '../model.js';
import { stixTime } from './convert-context.js';
import { precursorId, type StixId } from './stix-id.js';
import type { StixIdentity } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

export function producerIdentityId(producer: Pick<ProducerIdentity, 'name'>): StixId<'identity'> {
  return precursorId('identity', 'producer', producer.name);
}

export function identityToStix(producer: ProducerIdentity): StixIdentity {
  const created = stixTime(producer.created);
  return {
    type: 'identity',
    spec_version: '2.1',
    id: producerIdentityId(producer),
    created,
    modified: created,
    name: producer.name,
    identity_class: 'organization',
    ...(producer.contact ? { contact_information: producer.contact } : {}),
    // The producer is public: every reader needs it to resolve created_by_ref.
    object_marking_refs: [TLP_MARKING_IDS.clear],
  };
}

/** An organisation that reported a sighting (a tenant, a partner, a sensor network). */
export function observerIdentityId(observer: string): StixId<'identity'> {
  return precursorId('identity', 'observer', observer);
}

export function observerToStix(
  observer: string,
  created: string,
  producerRef: StixId<'identity'>,
  tlp: Tlp,
): StixIdentity {
  const t = stixTime(created);
  return {
    type: 'identity',
    spec_version: '2.1',
    id: observerIdentityId(observer),
    created: t,
    modified: t,
    created_by_ref: producerRef,
    name: observer,
    identity_class: 'organization',
    object_marking_refs: [TLP_MARKING_IDS[tlp]],
  };
}
