/**
 * A MISP feed (the static-directory format MISP instances fetch: `manifest.json`, one `<uuid>.json`
 * per event, `hashes.csv` for correlation without fetching). One event per campaign, plus one per day
 * of publication for indicators not (yet) attributed. Every uuid is derived from Precursor's natural
 * keys, so re-exports update the same events and attributes instead of duplicating them.
 *
 * Lifecycle: a revoked indicator stays in its event as a `deleted` attribute with `to_ids: false`,
 * which is how MISP removes an attribute on the next fetch; an expired one stays with `to_ids: false`
 * (still context, no longer for blocking).
 * @module
 */
import { createHash } from 'node:crypto';
import { getDomain } from 'tldts';
import { uuidv5 } from '../uuid-v5.js';
import type { CampaignSummary, ExportScope, PublishedIndicator, ShareSnapshot, Tlp } from '../model.js';
import { isActive, latestVersions, stricterTlp, tlpAllows } from '../model.js';
import { makeRedactor, personalDataAllowed } from '../personal-data.js';
import { PRECURSOR_NAMESPACE } from '../stix/stix-id.js';
import type {
  MispAttribute,
  MispEvent,
  MispManifestEntry,
  MispObject,
  MispOrg,
  MispTag,
} from './misp-types.js';

/** MISP's `phishing` object template (misp-objects, objects/phishing/definition.json, version 5). */
export const PHISHING_TEMPLATE = { uuid: '2dad6f9d-d425-4217-8fda-0b0a2d815307', version: '5' } as const;

const TLP_COLOUR: Record<Tlp, string> = {
  clear: '#ffffff',
  green: '#33ff00',
  amber: '#ffc000',
  'amber+strict': '#ffc000',
  red: '#ff2b2b',
};

export interface MispFeedFile {
  readonly name: string;
  readonly content: string;
}

export interface MispFeed {
  readonly files: readonly MispFeedFile[];
  readonly events: readonly MispEvent[];
}

const uuid = (...key: string[]) => uuidv5(`misp|${key.join('|')}`, PRECURSOR_NAMESPACE);
const epoch = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));
const tlpTag = (tlp: Tlp): MispTag => ({ name: `tlp:${tlp}`, colour: TLP_COLOUR[tlp] });

export function buildMispFeed(snapshot: ShareSnapshot, scope: ExportScope, now: Date): MispFeed {
  const personal = personalDataAllowed(scope);
  const redact = makeRedactor(snapshot, scope);
  const org: MispOrg = {
    name: snapshot.producer.name,
    uuid: snapshot.producer.uuid ?? uuid('org', snapshot.producer.name),
  };
  const campaigns = new Map(
    latestVersions(snapshot.campaigns, (c) => c.id)
      .filter((c) => tlpAllows(scope.tlp, c.tlp))
      .map((c) => [c.id, c]),
  );
  const groups = new Map<string, { campaign?: CampaignSummary; indicators: PublishedIndicator[] }>();
  for (const ind of latestVersions(snapshot.indicators, (i) => i.key)) {
    if (!tlpAllows(scope.tlp, ind.tlp) || (scope.since && Date.parse(ind.modified) < Date.parse(scope.since)))
      continue;
    const campaign = ind.campaignId === undefined ? undefined : campaigns.get(ind.campaignId);
    const key = campaign ? `campaign:${campaign.id}` : `day:${ind.created.slice(0, 10)}`;
    const g = groups.get(key) ?? { ...(campaign ? { campaign } : {}), indicators: [] };
    g.indicators.push(ind);
    groups.set(key, g);
  }
  const events = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, g]) => eventOf(key, g.campaign, g.indicators, { org, now, redact, personal }));
  return { events, files: feedFiles(events) };
}

interface EventContext {
  readonly org: MispOrg;
  readonly now: Date;
  readonly redact: (t: string) => string;
  readonly personal: boolean;
}

function eventOf(
  key: string,
  campaign: CampaignSummary | undefined,
  indicators: PublishedIndicator[],
  ctx: EventContext,
): MispEvent {
  indicators.sort((a, b) => (a.key < b.key ? -1 : 1));
  const attributes: MispAttribute[] = [];
  const objects: MispObject[] = [];
  let tlp: Tlp = campaign?.tlp ?? 'clear';
  let modified = campaign?.modified ?? indicators[0]?.modified ?? ctx.now.toISOString();
  for (const ind of indicators) {
    tlp = stricterTlp(tlp, ind.tlp);
    if (ind.modified > modified) modified = ind.modified;
    if (ind.kind === 'url') objects.push(phishingObject(ind, ctx));
    else attributes.push(indicatorAttribute(ind, ctx));
  }
  if (campaign && ctx.personal) attributes.push(...personalAttributes(campaign));
  const day = key.startsWith('day:') ? key.slice(4) : undefined;
  const info = campaign
    ? `Precursor: ${campaign.name}${campaign.brands?.length ? ` (targets ${campaign.brands.join(', ')})` : ''}`
    : `Precursor: unattributed phishing infrastructure published ${day}`;
  const date = (campaign?.firstSeen ?? `${day}T00:00:00Z`).slice(0, 10);
  return {
    uuid: uuid('event', key),
    info,
    date,
    threat_level_id: '2',
    analysis: '2',
    published: true,
    timestamp: epoch(modified),
    publish_timestamp: epoch(ctx.now.toISOString()),
    Orgc: ctx.org,
    Tag: [tlpTag(tlp), { name: 'circl:incident-classification="phishing"', colour: '#0073a2' }],
    Attribute: attributes,
    Object: objects,
  };
}

function lifecycle(ind: PublishedIndicator, now: Date) {
  if (ind.revoked) return { to_ids: false, deleted: true };
  return { to_ids: isActive(ind, now) };
}

function comment(ind: PublishedIndicator, redact: (t: string) => string): string {
  const reasons = ind.reasons.map((r) => `${r.id}: ${redact(r.detail)}`).join('; ');
  return `score ${Math.round(ind.score)}/100, confidence ${Math.round(ind.confidence)}${reasons ? ` — ${reasons}` : ''}`;
}

function seen(ind: PublishedIndicator) {
  return {
    first_seen: new Date(ind.firstSeen).toISOString(),
    ...(ind.lastSeen ? { last_seen: new Date(ind.lastSeen).toISOString() } : {}),
  };
}

/** `domain` for a registrable domain, `hostname` for a name below one (a lure on a subdomain). */
export function mispNameType(name: string): 'domain' | 'hostname' {
  return getDomain(name, { allowPrivateDomains: true }) === name ? 'domain' : 'hostname';
}

function indicatorAttribute(ind: PublishedIndicator, ctx: EventContext): MispAttribute {
  const type = ind.kind === 'ip' ? 'ip-dst' : mispNameType(ind.value);
  return {
    uuid: uuid('attribute', ind.key),
    type,
    category: 'Network activity',
    ...lifecycle(ind, ctx.now),
    value: ind.value,
    comment: comment(ind, ctx.redact),
    timestamp: epoch(ind.modified),
    ...seen(ind),
    Tag: [tlpTag(ind.tlp)],
  };
}

function phishingObject(ind: PublishedIndicator, ctx: EventContext): MispObject {
  const state = lifecycle(ind, ctx.now);
  const ts = epoch(ind.modified);
  const attr = (
    relation: string,
    type: string,
    value: string,
    toIds: boolean,
    extra: Partial<MispAttribute> = {},
  ): MispAttribute => ({
    uuid: uuid('object-attribute', ind.key, relation, value),
    object_relation: relation,
    type,
    category: type === 'url' || type === 'hostname' ? 'Network activity' : 'Other',
    to_ids: toIds && state.to_ids,
    value,
    comment: '',
    timestamp: ts,
    ...(state.deleted ? { deleted: true } : {}),
    ...extra,
  });
  let host: string | undefined;
  try {
    host = new URL(ind.value).hostname || undefined;
  } catch {
    host = undefined;
  }
  const attributes = [
    attr('url', 'url', ind.value, true, {
      comment: comment(ind, ctx.redact),
      ...seen(ind),
      Tag: [tlpTag(ind.tlp)],
    }),
    ...(host ? [attr('hostname', 'hostname', host.replace(/^\[|\]$/g, ''), false)] : []),
    ...(ind.brand ? [attr('target', 'text', ind.brand, false)] : []),
    attr('verified', 'text', 'Yes', false, { disable_correlation: true }),
    attr('verification-time', 'datetime', new Date(ind.created).toISOString(), false, {
      disable_correlation: true,
    }),
    attr('online', 'text', ind.revoked || !isActive(ind, ctx.now) ? 'No' : 'Yes', false, {
      disable_correlation: true,
    }),
  ];
  return {
    uuid: uuid('object', ind.key),
    name: 'phishing',
    'meta-category': 'network',
    description: 'Phishing template to describe a phishing website and its analysis.',
    template_uuid: PHISHING_TEMPLATE.uuid,
    template_version: PHISHING_TEMPLATE.version,
    timestamp: ts,
    comment: '',
    ...(state.deleted ? { deleted: true } : {}),
    Attribute: attributes,
  };
}

function personalAttributes(c: CampaignSummary): MispAttribute[] {
  const ts = epoch(c.modified);
  const attr = (type: string, category: string, value: string, note: string): MispAttribute => ({
    uuid: uuid('personal', c.id, type, value),
    type,
    category,
    to_ids: false,
    value,
    comment: note,
    timestamp: ts,
    Tag: [tlpTag('red')],
  });
  return [
    ...(c.personal?.emailAddresses ?? []).map((e) =>
      attr('email-src', 'Payload delivery', e, 'cloud sign-up e-mail address'),
    ),
    ...(c.personal?.paymentFingerprints ?? []).map((p) =>
      attr('text', 'Financial fraud', p, 'payment instrument fingerprint'),
    ),
  ];
}

function feedFiles(events: readonly MispEvent[]): MispFeedFile[] {
  const manifest: Record<string, MispManifestEntry> = {};
  const hashes: string[] = [];
  const files: MispFeedFile[] = [];
  for (const e of events) {
    manifest[e.uuid] = {
      info: e.info,
      date: e.date,
      analysis: Number(e.analysis),
      threat_level_id: Number(e.threat_level_id),
      timestamp: Number(e.timestamp),
      Orgc: e.Orgc,
      Tag: e.Tag,
    };
    files.push({ name: `${e.uuid}.json`, content: `${JSON.stringify({ Event: e }, null, 1)}\n` });
    const values = [...e.Attribute, ...e.Object.flatMap((o) => o.Attribute)]
      .filter((a) => !a.deleted)
      .map((a) => a.value);
    for (const v of values) hashes.push(`${createHash('md5').update(v).digest('hex')},${e.uuid}`);
  }
  return [
    { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 1)}\n` },
    ...files,
    { name: 'hashes.csv', content: hashes.length ? `${hashes.join('\n')}\n` : '' },
  ];
}
