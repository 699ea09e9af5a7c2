/**
 * The STIX converters, registered in one typed map (not by import-time side effects): each entry is a
 * pure function from one model value to one STIX object.
 * @module
 */
import type { CampaignSummary, ProducerIdentity, PublishedIndicator, Tlp } from '../model.js';
import { campaignToStix, infrastructureToStix } from './campaign-converter.js';
import type { ConvertContext } from './convert-context.js';
import { identityToStix } from './identity-converter.js';
import { indicatorToStix } from './indicator-converter.js';
import { type ObservableInput, observableToStix } from './observable-converter.js';
import { type RelationshipInput, relationshipToStix } from './relationship-converter.js';
import { type SightingInput, sightingToStix } from './sighting-converter.js';
import type {
  StixCampaign,
  StixIdentity,
  StixIndicator,
  StixInfrastructure,
  StixMarkingDefinition,
  StixObservable,
  StixRelationship,
  StixSighting,
} from './stix-types.js';
import { tlpMarkingDefinition } from './tlp-marking.js';

export interface StixConverterInputs {
  identity: ProducerIdentity;
  'marking-definition': Tlp;
  observable: ObservableInput;
  indicator: PublishedIndicator;
  infrastructure: CampaignSummary;
  campaign: CampaignSummary;
  relationship: RelationshipInput;
  sighting: SightingInput;
}

export interface StixConverterOutputs {
  identity: StixIdentity;
  'marking-definition': StixMarkingDefinition;
  observable: StixObservable;
  indicator: StixIndicator;
  infrastructure: StixInfrastructure;
  campaign: StixCampaign;
  relationship: StixRelationship;
  sighting: StixSighting;
}

export type StixConverters = {
  readonly [K in keyof StixConverterInputs]: (
    input: StixConverterInputs[K],
    ctx: ConvertContext,
  ) => StixConverterOutputs[K];
};

export const STIX_CONVERTERS: StixConverters = Object.freeze({
  identity: (p) => identityToStix(p),
  'marking-definition': (t) => tlpMarkingDefinition(t),
  observable: (o) => observableToStix(o),
  indicator: indicatorToStix,
  infrastructure: infrastructureToStix,
  campaign: campaignToStix,
  relationship: relationshipToStix,
  sighting: sightingToStix,
});
