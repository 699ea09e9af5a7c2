/**
 * The IntelPublisher of src/review/intel-port.ts: a malicious decision becomes published intel, a
 * reversed one is withdrawn — both inside the decision's transaction.
 *
 * publish: every confirmed domain, URL and IP address becomes a new version of its indicator (valid
 * from the decision, until `share.indicatorLifetimeDays` later, marked with the decision's TLP, with
 * the assessment's score and signals and the addresses a domain resolves to), the campaign a new
 * version of its campaign; the versions are appended to `intel_records` and their STIX objects
 * (indicator, observables, campaign, infrastructure, relationships, producer identity, TLP markings)
 * to the `confirmed` TAXII collection. revoke: each record whose latest version this case published
 * gets a new, revoked version, in the records and in TAXII. Nothing is edited in place.
 * @module
 */
import { isIP } from 'node:net';
import type { Assessment, Entity, EntityKey } from '../domain/index.js';
import { PrecursorError, parseEntityKey } from '../domain/index.js';
import type { IntelPublisher, PublishIntel, RevokeIntel } from '../review/intel-port.js';
import type { Aggregates, IntelRecord } from '../store/store.js';
import { CONFIRMED_ALIAS, ensureDefaultCollections } from './collections.js';
import type { CampaignSummary, PersonalData, ProducerIdentity, PublishedIndicator, Tlp } from './model.js';
import { buildStixBundle } from './stix/stix-bundle.js';
import { toIntelObject } from './taxii/to-intel-object.js';

export interface PublisherSettings {
  readonly producer: ProducerIdentity;
  /** 0: indicators stay valid until revoked. */
  readonly indicatorLifetimeDays: number;
  readonly confidence: number;
}

/** What is known of a campaign besides its id (from the correlation stage's store, when present). */
export interface CampaignFacts {
  readonly name: string;
  readonly description?: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly brands?: readonly string[];
  /** E-mail addresses and payment fingerprints of its accounts: kept, exported only at TLP:RED on request. */
  readonly personal?: PersonalData;
}

export type CampaignLookup = (tx: Aggregates, id: string) => Promise<CampaignFacts | undefined>;

export interface PublisherOptions {
  readonly settings: PublisherSettings;
  readonly campaigns?: CampaignLookup;
  /** The clock for TAXII date_added (the time objects reach the server); defaults to the wall clock. */
  readonly now?: () => Date;
}

const DAY_MS = 86_400_000;
const INDICATOR_TYPES = new Set(['domain', 'url', 'ip']);

/** A version time strictly after the previous one (STIX orders versions by `modified`). */
function nextModified(at: string, prev: IntelRecord | undefined): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw new PrecursorError('VALIDATION_FAILED', `not a timestamp: ${at}`);
  const floor = prev ? Date.parse(prev.modified) + 1 : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(t, floor)).toISOString();
}

function indicatorValue(key: EntityKey): { kind: PublishedIndicator['kind']; value: string } | undefined {
  const p = parseEntityKey(key);
  if (!p || !INDICATOR_TYPES.has(p.type) || p.value === '') return undefined;
  return { kind: p.type as PublishedIndicator['kind'], value: p.value };
}

export class StorePublisher implements IntelPublisher {
  readonly #settings: PublisherSettings;
  readonly #campaigns: CampaignLookup | undefined;
  readonly #now: () => Date;

  constructor(options: PublisherOptions) {
    this.#settings = options.settings;
    this.#campaigns = options.campaigns;
    this.#now = options.now ?? (() => new Date());
  }

  async publish(tx: Aggregates, intel: PublishIntel): Promise<void> {
    const keys = [...new Set(intel.entityKeys)].filter((k) => indicatorValue(k) !== undefined).sort();
    const previous = new Map((await tx.intel.latest({ kind: 'indicator', keys })).map((r) => [r.key, r]));
    const entities = await tx.entities.getMany(keys);
    const campaign = intel.campaignId === null ? undefined : await this.#campaignVersion(tx, intel, entities);
    const indicators: PublishedIndicator[] = [];
    const records: IntelRecord[] = [];
    for (const key of keys) {
      const entity = entities.get(key);
      if (!entity) throw new PrecursorError('NOT_FOUND', `cannot publish ${key}: no such entity`);
      const ind = await this.#indicator(tx, entity, previous.get(key), intel, campaign?.id);
      indicators.push(ind);
      records.push(this.#record('indicator', ind, intel.caseId, intel.decidedAt, intel.actor));
    }
    if (campaign?.isNew)
      records.push(this.#record('campaign', campaign.summary, intel.caseId, intel.decidedAt, intel.actor));
    if (records.length === 0) return;
    await tx.intel.appendRecords(records);
    await this.#addToTaxii(tx, indicators, campaign ? [campaign.summary] : []);
    await tx.audit.append({
      at: intel.decidedAt,
      actor: intel.actor,
      action: 'intel.publish',
      subject: `case:${intel.caseId}`,
      detail: {
        tlp: intel.tlp,
        indicators: indicators.map((i) => `${i.key}@${i.version}`),
        campaign: campaign?.isNew ? `${campaign.summary.id}@${campaign.summary.version}` : null,
      },
    });
  }

  async revoke(tx: Aggregates, input: RevokeIntel): Promise<void> {
    const published = await tx.intel.keysOfCase(input.caseId);
    if (published.length === 0) return;
    const latest = await tx.intel.latest({ keys: [...new Set(published.map((p) => p.key))] });
    // Only what this case published last: a later decision that confirmed the same name stands.
    const mine = latest.filter(
      (r) =>
        r.caseId === input.caseId &&
        !r.revoked &&
        published.some((p) => p.kind === r.kind && p.key === r.key),
    );
    if (mine.length === 0) return;
    const records: IntelRecord[] = [];
    const indicators: PublishedIndicator[] = [];
    const campaigns: CampaignSummary[] = [];
    for (const r of mine) {
      const modified = nextModified(input.at, r);
      const body = { ...r.body, modified, version: r.version + 1, revoked: true };
      if (r.kind === 'indicator') indicators.push(body as unknown as PublishedIndicator);
      else campaigns.push(body as unknown as CampaignSummary);
      records.push({
        ...r,
        version: r.version + 1,
        modified,
        revoked: true,
        caseId: input.caseId,
        publishedAt: input.at,
        actor: input.actor,
        body,
      });
    }
    await tx.intel.appendRecords(records);
    // Relationships to a campaign are withdrawn with the indicator: the bundle needs the campaign.
    const campaignIds = new Set(indicators.map((i) => i.campaignId).filter((c): c is string => !!c));
    for (const c of campaigns) campaignIds.delete(c.id);
    const others = (await tx.intel.latest({ kind: 'campaign', keys: [...campaignIds] })).map(
      (r) => r.body as unknown as CampaignSummary,
    );
    await this.#addToTaxii(tx, indicators, [...campaigns, ...others]);
    await tx.audit.append({
      at: input.at,
      actor: input.actor,
      action: 'intel.revoke',
      subject: `case:${input.caseId}`,
      detail: { reason: input.reason, revoked: records.map((r) => `${r.kind}:${r.key}@${r.version}`) },
    });
  }

  async #indicator(
    tx: Aggregates,
    entity: Entity,
    prev: IntelRecord | undefined,
    intel: PublishIntel,
    campaignId: string | undefined,
  ): Promise<PublishedIndicator> {
    const { kind, value } = indicatorValue(entity.key) as NonNullable<ReturnType<typeof indicatorValue>>;
    const assessment: Assessment | undefined = await tx.assessments.get(entity.key);
    const modified = nextModified(intel.decidedAt, prev);
    const days = this.#settings.indicatorLifetimeDays;
    const resolvesTo =
      kind === 'domain'
        ? (await tx.entities.links(entity.key))
            .filter((l) => l.pivot === 'resolves-to' && l.to.startsWith('ip:'))
            .map((l) => l.to.slice(3))
            .filter((ip) => isIP(ip) !== 0)
            .sort()
        : [];
    const prevBody = prev?.body as Partial<PublishedIndicator> | undefined;
    return {
      key: entity.key,
      kind,
      value,
      firstSeen: entity.firstSeen,
      lastSeen: entity.lastSeen,
      created: prevBody?.created ?? modified,
      modified,
      version: (prev?.version ?? 0) + 1,
      validFrom: modified,
      ...(days > 0 ? { validUntil: new Date(Date.parse(modified) + days * DAY_MS).toISOString() } : {}),
      confidence: this.#settings.confidence,
      score: assessment?.score ?? 0,
      reasons: (assessment?.contributions ?? []).map((c) => ({
        id: c.id,
        weight: c.weight,
        detail: c.detail,
      })),
      ...(campaignId ? { campaignId } : {}),
      tlp: intel.tlp,
      revoked: false,
      ...(resolvesTo.length ? { resolvesTo } : {}),
      ...(typeof entity.attrs.brand === 'string' ? { brand: entity.attrs.brand } : {}),
    };
  }

  /** The campaign's next version, or its current one when nothing it shows has changed. */
  async #campaignVersion(
    tx: Aggregates,
    intel: PublishIntel,
    entities: Map<EntityKey, Entity>,
  ): Promise<{ id: string; summary: CampaignSummary; isNew: boolean }> {
    const id = intel.campaignId as string;
    const [prev] = await tx.intel.latest({ kind: 'campaign', keys: [id] });
    const facts = (await this.#campaigns?.(tx, id)) ?? factsFromMembers(id, entities);
    const prevBody = prev?.body as CampaignSummary | undefined;
    const same =
      prevBody !== undefined &&
      !prevBody.revoked &&
      prevBody.tlp === intel.tlp &&
      prevBody.name === facts.name &&
      prevBody.description === facts.description &&
      prevBody.firstSeen === facts.firstSeen &&
      prevBody.lastSeen === facts.lastSeen &&
      JSON.stringify(prevBody.personal ?? null) === JSON.stringify(facts.personal ?? null);
    if (same) return { id, summary: prevBody, isNew: false };
    const modified = nextModified(intel.decidedAt, prev);
    const summary: CampaignSummary = {
      id,
      name: facts.name,
      ...(facts.description !== undefined ? { description: facts.description } : {}),
      firstSeen: facts.firstSeen,
      lastSeen: facts.lastSeen,
      created: prevBody?.created ?? modified,
      modified,
      version: (prev?.version ?? 0) + 1,
      tlp: intel.tlp,
      revoked: false,
      ...(facts.brands?.length ? { brands: facts.brands } : {}),
      ...(facts.personal ? { personal: facts.personal } : {}),
    };
    return { id, summary, isNew: true };
  }

  #record(
    kind: 'indicator' | 'campaign',
    v: PublishedIndicator | CampaignSummary,
    caseId: string,
    at: string,
    actor: string,
  ): IntelRecord {
    return {
      kind,
      key: kind === 'indicator' ? (v as PublishedIndicator).key : (v as CampaignSummary).id,
      version: v.version,
      created: v.created,
      modified: v.modified,
      tlp: v.tlp,
      revoked: v.revoked,
      validUntil: kind === 'indicator' ? ((v as PublishedIndicator).validUntil ?? null) : null,
      caseId,
      publishedAt: at,
      actor,
      body: v as unknown as Record<string, unknown>,
    };
  }

  async #addToTaxii(
    tx: Aggregates,
    indicators: readonly PublishedIndicator[],
    campaigns: readonly CampaignSummary[],
  ): Promise<void> {
    const now = this.#now();
    const collections = await ensureDefaultCollections(tx, now);
    const confirmed = collections.find((c) => c.alias === CONFIRMED_ALIAS);
    if (!confirmed) throw new PrecursorError('INTERNAL', 'the confirmed collection is missing');
    const { bundle, rejected } = buildStixBundle(
      { producer: this.#settings.producer, indicators, campaigns, sightings: [] },
      { tlp: 'red' },
    );
    if (rejected.length > 0)
      throw new PrecursorError(
        'VALIDATION_FAILED',
        `cannot publish ${rejected[0]?.ref}: ${rejected[0]?.reason}`,
        { details: { rejected } },
      );
    await tx.intel.addObjects(confirmed.id, bundle.objects.map(toIntelObject), now);
  }
}

function factsFromMembers(id: string, entities: Map<EntityKey, Entity>): CampaignFacts {
  const seen = [...entities.values()];
  const first = seen.map((e) => e.firstSeen).sort()[0];
  const last = seen
    .map((e) => e.lastSeen)
    .sort()
    .at(-1);
  const now = new Date(0).toISOString();
  return { name: id, firstSeen: first ?? now, lastSeen: last ?? first ?? now };
}

/** The TLP a decision publishes at: its own, else the configured default. */
export function decisionTlp(tlp: Tlp | undefined, fallback: Tlp): Tlp {
  return tlp ?? fallback;
}
