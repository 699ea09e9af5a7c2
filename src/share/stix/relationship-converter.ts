/** `relationship` SROs; the id is a function of (type, source, target), so it never moves. @module */
import type { Tlp } from '../model.js';
import { type ConvertContext, stixTime } from './convert-context.js';
import { precursorId, type StixId } from './stix-id.js';
import type { RelationshipType, StixRelationship } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

export interface RelationshipInput {
  readonly relationshipType: RelationshipType;
  readonly source: StixId;
  readonly target: StixId;
  /** Taken from the object whose version the relationship belongs to. */
  readonly created: string;
  readonly modified: string;
  readonly revoked: boolean;
  readonly tlp: Tlp;
}

export function relationshipId(
  type: RelationshipType,
  source: StixId,
  target: StixId,
): StixId<'relationship'> {
  return precursorId('relationship', type, source, target);
}

export function relationshipToStix(r: RelationshipInput, ctx: ConvertContext): StixRelationship {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: relationshipId(r.relationshipType, r.source, r.target),
    created: stixTime(r.created),
    modified: stixTime(r.modified),
    created_by_ref: ctx.producerRef,
    ...(r.revoked ? { revoked: true } : {}),
    relationship_type: r.relationshipType,
    source_ref: r.source,
    target_ref: r.target,
    object_marking_refs: [TLP_MARKING_IDS[r.tlp]],
  };
}
