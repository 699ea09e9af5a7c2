/**
 * Campaign version → STIX `campaign` and the `infrastructure` (type `phishing`) it uses. Personal
 * data reaches the description only when the export allows it (the context's redactor decides).
 * @module
 */
import type { CampaignSummary } from '../model.js';
import { type ConvertContext, PREPARATION_PHASE, stixTime } from './convert-context.js';
import { precursorId, type StixId } from './stix-id.js';
import type { StixCampaign, StixInfrastructure } from './stix-types.js';
import { TLP_MARKING_IDS } from './tlp-marking.js';

export function campaignId(c: Pick<CampaignSummary, 'id'>): StixId<'campaign'> {
  return precursorId('campaign', c.id);
}

export function infrastructureId(c: Pick<CampaignSummary, 'id'>): StixId<'infrastructure'> {
  return precursorId('infrastructure', c.id);
}

function versionFields(c: CampaignSummary, ctx: ConvertContext) {
  return {
    spec_version: '2.1' as const,
    created: stixTime(c.created),
    modified: stixTime(c.modified),
    created_by_ref: ctx.producerRef,
    ...(c.revoked ? { revoked: true } : {}),
    object_marking_refs: [TLP_MARKING_IDS[c.tlp]],
  };
}

export function campaignToStix(c: CampaignSummary, ctx: ConvertContext): StixCampaign {
  const parts = [c.description ? ctx.redact(c.description) : ''];
  if (c.brands?.length) parts.push(`Brands targeted: ${c.brands.join(', ')}.`);
  const personal = c.personal;
  if (personal && ctx.personalData) {
    if (personal.emailAddresses.length)
      parts.push(`Sign-up e-mail addresses: ${personal.emailAddresses.join(', ')}.`);
    if (personal.paymentFingerprints.length)
      parts.push(`Payment fingerprints: ${personal.paymentFingerprints.join(', ')}.`);
  }
  const description = parts.filter(Boolean).join(' ');
  return {
    type: 'campaign',
    id: campaignId(c),
    ...versionFields(c, ctx),
    name: c.name,
    ...(description ? { description } : {}),
    first_seen: stixTime(c.firstSeen),
    last_seen: stixTime(c.lastSeen),
    objective: 'Credential phishing',
  };
}

export function infrastructureToStix(c: CampaignSummary, ctx: ConvertContext): StixInfrastructure {
  return {
    type: 'infrastructure',
    id: infrastructureId(c),
    ...versionFields(c, ctx),
    name: `Phishing infrastructure of ${c.name}`,
    infrastructure_types: ['phishing'],
    first_seen: stixTime(c.firstSeen),
    last_seen: stixTime(c.lastSeen),
    kill_chain_phases: [PREPARATION_PHASE],
  };
}
