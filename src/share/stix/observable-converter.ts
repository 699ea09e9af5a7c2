/** Values → STIX SCOs (`domain-name`, `url`, `ipv4-addr`, `ipv6-addr`, `email-addr`) with spec ids. @module */
import type { Tlp } from '../model.js';
import { scoId } from './stix-id.js';
import type { ScoType, StixObservable } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

export interface ObservableInput {
  readonly type: ScoType;
  readonly value: string;
  readonly tlp: Tlp;
}

/** Every SCO type Precursor emits has `value` as its only id-contributing property (§6). */
export function observableId(type: ScoType, value: string) {
  return scoId(type, { value });
}

export function observableToStix(input: ObservableInput): StixObservable {
  return {
    type: input.type,
    spec_version: '2.1',
    id: observableId(input.type, input.value),
    value: input.value,
    object_marking_refs: [TLP_MARKING_IDS[input.tlp]],
  };
}
