/**
 * The input of abuse reports and evidence reports: plain values a caller assembles from a confirmed
 * campaign (sites, their registrar and host with RDAP abuse contacts, facts, signals, snapshots).
 * @module
 */
import type { PublishedReason, Tlp } from '../model.js';

/** Who reports (XARF `reporter`/`sender`). */
export interface ReporterInfo {
  readonly org: string;
  /** Contact e-mail address. */
  readonly contact: string;
  /** The organisation's domain. */
  readonly domain: string;
}

/** An abuse desk, from RDAP (the registrar's or the network's abuse contact). */
export interface AbuseRecipient {
  readonly kind: 'registrar' | 'host';
  readonly name: string;
  readonly abuseEmail: string;
  /** IANA registrar id or the network handle, when known. */
  readonly handle?: string;
  /** A host's network: its range as the registry states it (`206.41.110.0/24`), when known. */
  readonly network?: string;
  /** A host's addresses of this site inside that network (a site may be hosted in several). */
  readonly addresses?: readonly string[];
}

export interface Screenshot {
  readonly caption: string;
  readonly contentType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  readonly bytes: Uint8Array;
  readonly capturedAt: string;
}

export interface SnapshotHash {
  readonly url: string;
  readonly capturedAt: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** XARF `detection_evasion` vocabulary. */
export type Evasion =
  | 'geo_blocking'
  | 'user_agent_filtering'
  | 'referrer_checking'
  | 'captcha'
  | 'time_based_display'
  | 'ip_blacklisting'
  | 'obfuscation'
  | 'other';

export interface PhishingSite {
  readonly url: string;
  /** A-label host name. */
  readonly domain: string;
  readonly addresses?: readonly string[];
  readonly asn?: number;
  readonly nameservers?: readonly string[];
  readonly firstSeen: string;
  /** When the site was last seen serving the phishing content. */
  readonly verifiedAt: string;
  readonly targetBrand?: string;
  readonly clonedSite?: string;
  readonly credentialFields?: readonly string[];
  readonly evasion?: readonly Evasion[];
  readonly kit?: string;
  readonly certificate?: {
    readonly issuer: string;
    readonly subject: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly sha256: string;
  };
  readonly domainCreated?: string;
  readonly registrar?: AbuseRecipient;
  /** The first hosting network with an abuse contact (`hosts[0]`). */
  readonly host?: AbuseRecipient;
  /** Every hosting network of the site's addresses that has an abuse contact, one per contact. */
  readonly hosts?: readonly AbuseRecipient[];
  /** 0–100. */
  readonly confidence: number;
  readonly signals: readonly PublishedReason[];
  readonly screenshots?: readonly Screenshot[];
  readonly snapshots?: readonly SnapshotHash[];
}

export interface AbuseCase {
  readonly reporter: ReporterInfo;
  readonly campaign?: { readonly id: string; readonly name: string };
  readonly sites: readonly PhishingSite[];
  readonly tlp: Tlp;
  /** Keep e-mail addresses in signal details (allowed only at TLP:RED); otherwise they are redacted. */
  readonly includePersonalData?: boolean;
}
