/**
 * The input model of every sharing format: plain, store-independent values that a review decision
 * publishes. Converters (STIX, MISP, blocklists, TAXII, abuse reports) are pure functions of these,
 * so the same confirmed indicator reads the same in every output and a test can build one by hand.
 *
 * Versioning follows STIX: a published thing keeps its `created` and identity for life; every change
 * (a new score, an extension, a takedown, a reversed decision) is a new version with a later
 * `modified`. Nothing is edited in place, so consumers can tell which version they hold.
 * @module
 */
import type { EntityKey } from '../domain/entity.js';

export { isTlp, stricterTlp, TLP_LEVELS, type Tlp, tlpAllows } from '../domain/tlp.js';
import type { Tlp } from '../domain/tlp.js';

/** The indicator kinds Precursor publishes. */
export type IndicatorKind = 'domain' | 'url' | 'ip';

/** Why an indicator was published: the signals a reviewer saw. */
export interface PublishedReason {
  /** Signal id (namespaced, stable). */
  readonly id: string;
  /** Signal weight as the detector gave it (−100…100). */
  readonly weight: number;
  readonly detail: string;
}

/** One version of a confirmed indicator. */
export interface PublishedIndicator {
  /** The entity it was confirmed on (`domain:login-micros0ft.com`); the stable identity of the indicator. */
  readonly key: EntityKey;
  readonly kind: IndicatorKind;
  /** Canonical value: an ASCII (A-label) host name, a URL, or an IP address. */
  readonly value: string;
  /** When Precursor first observed it (ISO 8601). */
  readonly firstSeen: string;
  /** When Precursor last observed it, when known. */
  readonly lastSeen?: string;
  /** First version's publication time: constant across versions. */
  readonly created: string;
  /** This version's time: strictly later for every new version. */
  readonly modified: string;
  /** Version number, 1 for the first; informative (STIX orders versions by `modified`). */
  readonly version: number;
  readonly validFrom: string;
  /** Expiry (configured lifetime); absent means until revoked. */
  readonly validUntil?: string;
  /** 0–100, the reviewer's confidence (STIX confidence scale). */
  readonly confidence: number;
  /** 0–100 assessment score at publication. */
  readonly score: number;
  readonly reasons: readonly PublishedReason[];
  readonly campaignId?: string;
  readonly tlp: Tlp;
  /** A reversed decision or a takedown: the last version of the indicator, removed from every list. */
  readonly revoked: boolean;
  /** Addresses a published name resolved to (domain indicators), as IP strings. */
  readonly resolvesTo?: readonly string[];
  /** Brand the lure imitates, when known. */
  readonly brand?: string;
}

/** Personal data linked to a campaign; exported only at TLP:RED when explicitly asked. */
export interface PersonalData {
  readonly emailAddresses: readonly string[];
  readonly paymentFingerprints: readonly string[];
}

/** One version of a confirmed campaign (a network of infrastructure run by one operator). */
export interface CampaignSummary {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly created: string;
  readonly modified: string;
  readonly version: number;
  readonly tlp: Tlp;
  readonly revoked: boolean;
  /** Brands targeted. */
  readonly brands?: readonly string[];
  readonly personal?: PersonalData;
}

/** Who publishes: the Precursor deployment's organisation. */
export interface ProducerIdentity {
  readonly name: string;
  /** Stable time the producer identity was first defined (kept so its STIX id and version never move). */
  readonly created: string;
  readonly contact?: string;
  /** MISP organisation UUID; derived from the name when absent. */
  readonly uuid?: string;
}

/** A sighting: the indicator was seen (by a tenant, a partner, a sensor) this often in this window. */
export interface IndicatorSighting {
  readonly indicatorKey: EntityKey;
  /** Who saw it (a source or partner name), stable so the sighting id is stable. */
  readonly observer: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly created: string;
  readonly modified: string;
}

/** Everything one export is made from. */
export interface ShareSnapshot {
  readonly producer: ProducerIdentity;
  readonly indicators: readonly PublishedIndicator[];
  readonly campaigns: readonly CampaignSummary[];
  readonly sightings: readonly IndicatorSighting[];
}

/** What an export may contain. */
export interface ExportScope {
  /** Most restricted TLP the audience may receive. */
  readonly tlp: Tlp;
  /** Export personal data (only allowed with `tlp: 'red'`). */
  readonly includePersonalData?: boolean;
  /** Only versions modified at or after this instant. */
  readonly since?: string;
}

/** True when an indicator version is active at `now`: not revoked, started, not expired. */
export function isActive(ind: PublishedIndicator, now: Date): boolean {
  if (ind.revoked) return false;
  const t = now.getTime();
  if (Date.parse(ind.validFrom) > t) return false;
  return ind.validUntil === undefined || Date.parse(ind.validUntil) > t;
}

/**
 * Keeps the latest version of each indicator (by `modified`), so callers may pass a version history.
 */
export function latestVersions<T extends { readonly modified: string }>(
  items: readonly T[],
  idOf: (item: T) => string,
): T[] {
  const latest = new Map<string, T>();
  for (const it of items) {
    const id = idOf(it);
    const prev = latest.get(id);
    if (!prev || Date.parse(it.modified) > Date.parse(prev.modified)) latest.set(id, it);
  }
  return [...latest.values()];
}
