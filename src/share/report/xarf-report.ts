/**
 * XARF v4 `content`/`phishing` reports (xarf.org, schemas/v4/types/content-phishing.json): one report
 * per phishing URL ("one incident = one report"), with DNS, certificate and registration facts,
 * screenshots as base64 evidence items with their SHA-256, and the signals as a text evidence item.
 * @module
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { uuidv5 } from '../uuid-v5.js';
import { PRECURSOR_NAMESPACE } from '../stix/stix-id.js';
import type { AbuseCase, AbuseRecipient, PhishingSite, ReporterInfo } from './report-model.js';

/** XARF caps evidence at 50 items of at most 5 MiB each and the description at 1,000 characters. */
const MAX_EVIDENCE = 50;
const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

export interface XarfEvidence {
  readonly content_type: string;
  readonly description: string;
  readonly payload: string;
  readonly hash: string;
  readonly size: number;
}

export interface XarfPhishingReport {
  readonly xarf_version: '4.0.0';
  readonly report_id: string;
  readonly timestamp: string;
  readonly reporter: ReporterInfo;
  readonly sender: ReporterInfo;
  readonly source_identifier: string;
  readonly category: 'content';
  readonly type: 'phishing';
  readonly evidence_source: 'crawler';
  readonly url: string;
  readonly domain: string;
  readonly confidence: number;
  readonly description: string;
  readonly verified_at: string;
  readonly verification_method: 'automated_crawler';
  readonly attack_vector: 'phishing';
  readonly evidence: readonly XarfEvidence[];
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}

const iso = (t: string) => new Date(t).toISOString();

/**
 * `host`: the hosting network the report goes to, when it goes to one: its addresses lead
 * (`source_identifier`) and it is the `hosting_provider`.
 */
export function xarfReport(
  c: AbuseCase,
  site: PhishingSite,
  now: Date,
  host?: AbuseRecipient,
): XarfPhishingReport {
  const a = site.addresses ?? [];
  const hosting = host ?? site.host;
  const evidence = evidenceItems(site);
  const signals = [...site.signals].sort((x, y) => y.weight - x.weight).map((s) => s.detail);
  const description = `Phishing page${site.targetBrand ? ` impersonating ${site.targetBrand}` : ''} at ${site.url}, first seen ${iso(site.firstSeen)}. ${signals.join('; ')}`;
  return {
    xarf_version: '4.0.0',
    // A report told to a host names that host and its addresses: another document, another id.
    report_id: uuidv5(
      `xarf|${site.url}|${now.toISOString()}${host ? `|host|${host.abuseEmail.toLowerCase()}` : ''}`,
      PRECURSOR_NAMESPACE,
    ),
    timestamp: iso(site.verifiedAt),
    reporter: c.reporter,
    sender: c.reporter,
    source_identifier: host?.addresses?.[0] ?? a[0] ?? site.domain,
    category: 'content',
    type: 'phishing',
    evidence_source: 'crawler',
    url: site.url,
    domain: site.domain,
    confidence: Math.max(0, Math.min(1, site.confidence / 100)),
    description: description.length > 1000 ? `${description.slice(0, 999)}…` : description,
    verified_at: iso(site.verifiedAt),
    verification_method: 'automated_crawler',
    attack_vector: 'phishing',
    evidence,
    ...(c.campaign
      ? { tags: [`campaign:${c.campaign.id.toLowerCase().replace(/[^a-z0-9_+.-]/g, '-')}`] }
      : {}),
    ...(site.targetBrand ? { target_brand: site.targetBrand } : {}),
    ...(site.clonedSite ? { cloned_site: site.clonedSite } : {}),
    ...(site.credentialFields?.length ? { credential_fields: site.credentialFields } : {}),
    ...(site.evasion?.length ? { detection_evasion: site.evasion } : {}),
    ...(site.kit ? { phishing_kit: site.kit } : {}),
    ...(site.registrar ? { registrar: site.registrar.name } : {}),
    ...(hosting ? { hosting_provider: hosting.name } : {}),
    ...(site.asn ? { asn: site.asn } : {}),
    ...(site.nameservers?.length ? { nameservers: site.nameservers } : {}),
    ...(a.length ? { dns_records: { a: a.filter((x) => isIPv4(x)), aaaa: a.filter((x) => isIPv6(x)) } } : {}),
    ...(site.certificate
      ? {
          ssl_certificate: {
            issuer: site.certificate.issuer,
            subject: site.certificate.subject,
            valid_from: iso(site.certificate.validFrom),
            valid_to: iso(site.certificate.validTo),
            fingerprint: site.certificate.sha256,
          },
        }
      : {}),
    ...(site.domainCreated || site.registrar
      ? {
          whois: {
            ...(site.domainCreated ? { created_date: iso(site.domainCreated) } : {}),
            ...(site.registrar ? { registrar_abuse_contact: site.registrar.abuseEmail } : {}),
          },
        }
      : {}),
  };
}

function evidenceItems(site: PhishingSite): XarfEvidence[] {
  const text = Buffer.from(
    [
      `URL: ${site.url}`,
      `First seen: ${iso(site.firstSeen)}`,
      `Last verified: ${iso(site.verifiedAt)}`,
      ...site.signals.map((s) => `Signal ${s.id} (weight ${s.weight}): ${s.detail}`),
      ...(site.snapshots ?? []).map(
        (s) => `Snapshot ${s.url} at ${iso(s.capturedAt)}: sha256 ${s.sha256} (${s.bytes} bytes)`,
      ),
    ].join('\n'),
    'utf8',
  );
  const items: XarfEvidence[] = [item('text/plain', 'Detection signals and snapshot hashes', text)];
  for (const s of site.screenshots ?? []) {
    if (items.length >= MAX_EVIDENCE) break;
    if (s.bytes.byteLength > MAX_EVIDENCE_BYTES) continue;
    items.push(item(s.contentType, `Screenshot: ${s.caption} (${iso(s.capturedAt)})`.slice(0, 500), s.bytes));
  }
  return items;
}

function item(contentType: string, description: string, bytes: Uint8Array): XarfEvidence {
  return {
    content_type: contentType,
    description,
    payload: Buffer.from(bytes).toString('base64'),
    hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.byteLength,
  };
}
