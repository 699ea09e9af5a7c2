/**
 * TLP 2.0 marking definitions exactly as OASIS publishes them (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0). The ids are fixed by OASIS — never derived, and never
 * the TLP 1.0 ids (marking-definition--613f2e26…, 34098fce…, f88d31f6…, 5e57c739…) under 2.0 names,
 * the mix-up that makes importers drop or misfile markings.
 * @module
 */
import type { Tlp } from '../model.js';
import type { StixId } from './stix-id.js';
import type { StixMarkingDefinition } from './stix-types.js';

export const TLP_2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP_2_CREATED = '2022-10-01T00:00:00.000Z';

export const TLP_MARKING_IDS: Readonly<Record<Tlp, StixId<'marking-definition'>>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The published marking-definition object for a TLP 2.0 level. */
export function tlpMarkingDefinition(tlp: Tlp): StixMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: TLP_2_CREATED,
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP_2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}
