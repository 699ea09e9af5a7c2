/**
 * The STIX 2.1 object shapes Precursor produces (only the properties it sets).
 * @module
 */
import type { StixId } from './stix-id.js';

export interface StixCommon {
  readonly type: string;
  readonly spec_version: '2.1';
  readonly id: StixId;
}

export interface StixDomainCommon extends StixCommon {
  readonly created: string;
  readonly modified: string;
  readonly created_by_ref?: StixId<'identity'>;
  readonly revoked?: boolean;
  readonly confidence?: number;
  readonly object_marking_refs?: readonly StixId<'marking-definition'>[];
  readonly external_references?: readonly ExternalReference[];
}

export interface ExternalReference {
  readonly source_name: string;
  readonly external_id?: string;
  readonly url?: string;
  readonly description?: string;
}

export interface KillChainPhase {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

export interface StixIdentity extends StixDomainCommon {
  readonly type: 'identity';
  readonly name: string;
  readonly identity_class: 'organization';
  readonly contact_information?: string;
}

export interface StixMarkingDefinition extends StixCommon {
  readonly type: 'marking-definition';
  readonly created: string;
  readonly name: string;
  readonly extensions: Readonly<
    Record<string, { readonly extension_type: 'property-extension'; readonly tlp_2_0: string }>
  >;
}

export type ScoType = 'domain-name' | 'url' | 'ipv4-addr' | 'ipv6-addr' | 'email-addr';

export interface StixObservable extends StixCommon {
  readonly type: ScoType;
  readonly value: string;
  readonly object_marking_refs?: readonly StixId<'marking-definition'>[];
}

export interface StixIndicator extends StixDomainCommon {
  readonly type: 'indicator';
  readonly name: string;
  readonly description: string;
  readonly indicator_types: readonly string[];
  readonly pattern: string;
  readonly pattern_type: 'stix';
  readonly pattern_version: '2.1';
  readonly valid_from: string;
  readonly valid_until?: string;
  readonly kill_chain_phases: readonly KillChainPhase[];
  readonly labels?: readonly string[];
}

export interface StixInfrastructure extends StixDomainCommon {
  readonly type: 'infrastructure';
  readonly name: string;
  readonly description?: string;
  readonly infrastructure_types: readonly ['phishing'];
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly kill_chain_phases: readonly KillChainPhase[];
}

export interface StixCampaign extends StixDomainCommon {
  readonly type: 'campaign';
  readonly name: string;
  readonly description?: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly objective?: string;
}

export type RelationshipType = 'indicates' | 'uses' | 'consists-of' | 'resolves-to' | 'related-to';

export interface StixRelationship extends StixDomainCommon {
  readonly type: 'relationship';
  readonly relationship_type: RelationshipType;
  readonly source_ref: StixId;
  readonly target_ref: StixId;
  readonly description?: string;
}

export interface StixSighting extends StixDomainCommon {
  readonly type: 'sighting';
  readonly sighting_of_ref: StixId<'indicator'>;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly count: number;
  readonly where_sighted_refs?: readonly StixId<'identity'>[];
}

export type StixObject =
  | StixIdentity
  | StixMarkingDefinition
  | StixObservable
  | StixIndicator
  | StixInfrastructure
  | StixCampaign
  | StixRelationship
  | StixSighting;

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: StixId<'bundle'>;
  readonly objects: readonly StixObject[];
}
