/**
 * One STIX 2.1 bundle of what a scope may see: the producer, the TLP 2.0 markings in use, every
 * in-scope campaign (with its phishing infrastructure), indicator, observable, relationship and
 * sighting. Callers may pass version histories; the latest version of each thing is exported, so a
 * revoked or re-versioned indicator shows as its new version under the same id.
 *
 * A record a converter refuses (say an expiry before its start) is reported in `rejected` with the
 * reason and left out; the rest of the export goes ahead.
 * @module
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { CampaignSummary, ExportScope, PublishedIndicator, ShareSnapshot, Tlp } from '../model.js';
import { latestVersions, stricterTlp, tlpAllows } from '../model.js';
import { makeRedactor, personalDataAllowed } from '../personal-data.js';
import { campaignId, infrastructureId } from './campaign-converter.js';
import type { ConvertContext } from './convert-context.js';
import { STIX_CONVERTERS as C } from './converters.js';
import { observerToStix, producerIdentityId } from './identity-converter.js';
import { observableId } from './observable-converter.js';
import { observableValue, scoTypeOf } from './pattern.js';
import type { RelationshipInput } from './relationship-converter.js';
import { sightingId } from './sighting-converter.js';
import { precursorId, type StixId } from './stix-id.js';
import type { ScoType, StixBundle, StixObject } from './stix-types.js';
import { tlpMarkingDefinition } from './tlp-marking.js';

export interface StixRejection {
  /** The model record (entity key, campaign id, …) that could not be converted. */
  readonly ref: string;
  readonly reason: string;
}

export interface StixExport {
  readonly bundle: StixBundle;
  readonly rejected: readonly StixRejection[];
}

const SCO_TYPES = new Set<string>(['domain-name', 'url', 'ipv4-addr', 'ipv6-addr', 'email-addr']);
const ALWAYS = new Set<string>(['identity', 'marking-definition']);

export function buildStixBundle(snapshot: ShareSnapshot, scope: ExportScope): StixExport {
  const personal = personalDataAllowed(scope);
  const producerRef = producerIdentityId(snapshot.producer);
  const ctx: ConvertContext = { producerRef, redact: makeRedactor(snapshot, scope), personalData: personal };
  const b = new Builder(ctx);

  b.add(C.identity(snapshot.producer, ctx));
  const campaigns = new Map<string, CampaignSummary>();
  for (const c of latestVersions(snapshot.campaigns, (x) => x.id).sort(byKey((x) => x.id))) {
    if (!tlpAllows(scope.tlp, c.tlp)) continue;
    if (!b.safely(`campaign:${c.id}`, () => b.campaign(c))) continue;
    campaigns.set(c.id, c);
  }
  const indicators = new Map<string, PublishedIndicator>();
  for (const ind of latestVersions(snapshot.indicators, (x) => x.key).sort(byKey((x) => x.key))) {
    if (!tlpAllows(scope.tlp, ind.tlp)) continue;
    const campaign = ind.campaignId === undefined ? undefined : campaigns.get(ind.campaignId);
    if (b.safely(ind.key, () => b.indicator(ind, campaign))) indicators.set(ind.key, ind);
  }
  // An observer is marked with the least restrictive TLP of its sightings in scope: each of those
  // sightings' readers needs it to resolve where_sighted_refs.
  const observers = new Map<string, { created: string; tlp: Tlp }>();
  for (const s of latestVersions(snapshot.sightings, (x) => sightingId(x))) {
    const ind = indicators.get(s.indicatorKey);
    if (!ind) continue;
    if (
      !b.safely(`sighting:${s.indicatorKey}:${s.observer}`, () =>
        b.add(C.sighting({ sighting: s, tlp: ind.tlp }, ctx)),
      )
    )
      continue;
    const prev = observers.get(s.observer);
    observers.set(s.observer, {
      created: prev && prev.created < s.created ? prev.created : s.created,
      tlp: prev && tlpAllows(ind.tlp, prev.tlp) ? prev.tlp : ind.tlp,
    });
  }
  for (const [name, o] of [...observers].sort(([a], [b]) => (a < b ? -1 : 1)))
    b.safely(`observer:${name}`, () => b.add(observerToStix(name, o.created, producerRef, o.tlp)));
  const objects = scope.since === undefined ? b.objects() : b.since(Date.parse(scope.since));
  return { bundle: bundleOf(withMarkings(objects)), rejected: b.rejected };
}

class Builder {
  readonly #ctx: ConvertContext;
  readonly #objects = new Map<StixId, StixObject>();
  /** The least restrictive TLP among the in-scope uses of each observable. */
  readonly #scoTlp = new Map<StixId, Tlp>();
  /** Observables each SDO stands on (kept with it by a `since` export). */
  readonly #uses = new Map<StixId, StixId[]>();
  readonly rejected: StixRejection[] = [];

  constructor(ctx: ConvertContext) {
    this.#ctx = ctx;
  }

  add(o: StixObject): void {
    this.#objects.set(o.id, o);
  }

  safely(ref: string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      this.rejected.push({ ref, reason: e instanceof Error ? e.message : String(e) });
      return false;
    }
  }

  campaign(c: CampaignSummary): void {
    const ctx = this.#ctx;
    const camp = C.campaign(c, ctx);
    const infra = C.infrastructure(c, ctx);
    const rels: StixObject[] = [this.#rel('uses', camp.id, infra.id, c, c.tlp)];
    if (ctx.personalData)
      for (const email of c.personal?.emailAddresses ?? []) {
        const sco = this.#sco('email-addr', email, c.tlp);
        rels.push(this.#rel('related-to', sco, camp.id, c, c.tlp));
      }
    for (const o of [camp, infra, ...rels]) this.add(o);
  }

  indicator(ind: PublishedIndicator, campaign: CampaignSummary | undefined): void {
    const stix = C.indicator(ind, this.#ctx);
    const out: StixObject[] = [stix];
    const sco = this.#sco(scoTypeOf(ind.kind, ind.value), observableValue(ind.kind, ind.value), ind.tlp);
    const uses = [sco];
    if (campaign) {
      const tlp = stricterTlp(ind.tlp, campaign.tlp);
      out.push(this.#rel('indicates', stix.id, campaignId(campaign), ind, tlp));
      out.push(this.#rel('consists-of', infrastructureId(campaign), sco, ind, tlp));
    }
    if (ind.kind === 'url') {
      const host = hostOf(ind.value);
      if (host) {
        const hostSco = this.#sco(
          isIP(host) ? (isIP(host) === 6 ? 'ipv6-addr' : 'ipv4-addr') : 'domain-name',
          host,
          ind.tlp,
        );
        uses.push(hostSco);
        out.push(this.#rel('related-to', sco, hostSco, ind, ind.tlp));
      }
    }
    if (ind.kind === 'domain')
      for (const ip of ind.resolvesTo ?? []) {
        const v = isIP(ip);
        if (v === 0) throw new RangeError(`${ind.key}: resolves to '${ip}', not an IP address`);
        const ipSco = this.#sco(v === 6 ? 'ipv6-addr' : 'ipv4-addr', ip, ind.tlp);
        uses.push(ipSco);
        out.push(this.#rel('resolves-to', sco, ipSco, ind, ind.tlp));
      }
    for (const o of out) this.add(o);
    this.#uses.set(stix.id, uses);
  }

  objects(): StixObject[] {
    return [...this.#objects.values()].map((o) => this.#marked(o));
  }

  /** Objects whose version is at or after `t`, with the observables they refer to. */
  since(t: number): StixObject[] {
    const keep = new Set<StixId>();
    for (const o of this.#objects.values()) {
      if (ALWAYS.has(o.type) || SCO_TYPES.has(o.type)) continue;
      if (!('modified' in o) || Date.parse(o.modified) < t) continue;
      keep.add(o.id);
      for (const u of this.#uses.get(o.id) ?? []) keep.add(u);
      if (o.type === 'relationship')
        for (const r of [o.source_ref, o.target_ref]) if (SCO_TYPES.has(typeOf(r))) keep.add(r);
    }
    return [...this.#objects.values()]
      .filter((o) => ALWAYS.has(o.type) || keep.has(o.id))
      .map((o) => this.#marked(o));
  }

  #marked(o: StixObject): StixObject {
    const tlp = this.#scoTlp.get(o.id);
    return tlp && SCO_TYPES.has(o.type)
      ? C.observable({ type: o.type as ScoType, value: (o as { value: string }).value, tlp }, this.#ctx)
      : o;
  }

  #sco(type: ScoType, value: string, tlp: Tlp): StixId {
    const id = observableId(type, value);
    const prev = this.#scoTlp.get(id);
    this.#scoTlp.set(id, prev && tlpAllows(prev, tlp) ? tlp : (prev ?? tlp));
    if (!this.#objects.has(id)) this.add(C.observable({ type, value, tlp }, this.#ctx));
    return id;
  }

  #rel(
    relationshipType: RelationshipInput['relationshipType'],
    source: StixId,
    target: StixId,
    version: { created: string; modified: string; revoked: boolean },
    tlp: Tlp,
  ): StixObject {
    const { created, modified, revoked } = version;
    return C.relationship({ relationshipType, source, target, created, modified, revoked, tlp }, this.#ctx);
  }
}

function withMarkings(objects: StixObject[]): StixObject[] {
  const used = new Set<string>();
  for (const o of objects)
    for (const m of ('object_marking_refs' in o ? o.object_marking_refs : undefined) ?? []) used.add(m);
  const markings = (['clear', 'green', 'amber', 'amber+strict', 'red'] as const)
    .map(tlpMarkingDefinition)
    .filter((m) => used.has(m.id));
  return [...markings, ...objects];
}

/** Same objects, same bundle id: the id is a digest of what the bundle holds. */
function bundleOf(objects: StixObject[]): StixBundle {
  const h = createHash('sha256');
  for (const o of objects) h.update(`${o.id}|${'modified' in o ? o.modified : ''}\n`);
  return { type: 'bundle', id: precursorId('bundle', h.digest('hex')), objects };
}

function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host.startsWith('[') ? host.slice(1, -1) : host || undefined;
  } catch {
    return undefined;
  }
}

function typeOf(id: StixId): string {
  return id.slice(0, id.indexOf('--'));
}

function byKey<T>(key: (x: T) => string) {
  return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
