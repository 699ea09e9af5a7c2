/** Published indicator version → STIX `indicator` (same id for every version). @module */
import type { PublishedIndicator } from '../model.js';
import { type ConvertContext, PREPARATION_PHASE, stixTime } from './convert-context.js';
import { indicatorPattern } from './pattern.js';
import { precursorId, type StixId } from './stix-id.js';
import type { StixIndicator } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

const KIND_NAME = { domain: 'domain', url: 'URL', ip: 'IP address' } as const;

export function indicatorId(ind: Pick<PublishedIndicator, 'key'>): StixId<'indicator'> {
  return precursorId('indicator', ind.key);
}

export function describeIndicator(ind: PublishedIndicator, redact: (t: string) => string): string {
  const reasons = [...ind.reasons]
    .sort((a, b) => b.weight - a.weight)
    .map((r) => `${r.id} (${r.weight}): ${redact(r.detail)}`);
  return `Score ${Math.round(ind.score)}/100, first seen ${stixTime(ind.firstSeen)}.${reasons.length ? ` Signals: ${reasons.join('; ')}.` : ''}`;
}

export function indicatorToStix(ind: PublishedIndicator, ctx: ConvertContext): StixIndicator {
  const validFrom = stixTime(ind.validFrom);
  const validUntil = ind.validUntil === undefined ? undefined : stixTime(ind.validUntil);
  // The spec requires valid_until > valid_from; an expiry at or before the start is an upstream bug
  // that must surface, not a silently wider validity.
  if (validUntil !== undefined && Date.parse(validUntil) <= Date.parse(validFrom))
    throw new RangeError(`${ind.key}: valid_until ${validUntil} is not after valid_from ${validFrom}`);
  const brand = ind.brand ? ` imitating ${ind.brand}` : '';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorId(ind),
    created: stixTime(ind.created),
    modified: stixTime(ind.modified),
    created_by_ref: ctx.producerRef,
    ...(ind.revoked ? { revoked: true } : {}),
    name: `Phishing ${KIND_NAME[ind.kind]}${brand}: ${ind.value}`,
    description: describeIndicator(ind, ctx.redact),
    indicator_types: ['malicious-activity'],
    pattern: indicatorPattern(ind.kind, ind.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: validFrom,
    ...(validUntil ? { valid_until: validUntil } : {}),
    kill_chain_phases: [PREPARATION_PHASE],
    confidence: Math.max(0, Math.min(100, Math.round(ind.confidence))),
    labels: ['phishing'],
    object_marking_refs: [TLP_MARKING_IDS[ind.tlp]],
  };
}
