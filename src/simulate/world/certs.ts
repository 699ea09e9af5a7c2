/**
 * Certificates of the world and their certstream `certificate_update` messages: one certificate per
 * message, a precertificate and its final certificate as two entries (different fingerprints, logged
 * seconds to minutes apart, often in different logs), issuers and lifetimes as the big CAs issue them,
 * and per-log `cert_index` values that increase with time, as in a real log.
 * @module
 */
import type { Rng } from '../rng.js';

export interface Issuer {
  readonly aggregated: string;
  readonly C: string;
  readonly O: string;
  readonly CN: string;
  readonly days: number;
  readonly weight: number;
}

const issuer = (C: string, O: string, CN: string, days: number, weight: number): Issuer => ({
  C,
  O,
  CN,
  days,
  weight,
  aggregated: `/C=${C}/CN=${CN}/O=${O}`,
});

export const ISSUERS: readonly Issuer[] = [
  issuer('US', "Let's Encrypt", 'R10', 90, 22),
  issuer('US', "Let's Encrypt", 'R11', 90, 22),
  issuer('US', "Let's Encrypt", 'E5', 90, 8),
  issuer('US', "Let's Encrypt", 'E6', 90, 8),
  issuer('US', 'Google Trust Services', 'WR1', 90, 10),
  issuer('US', 'Google Trust Services', 'WE1', 90, 8),
  issuer('AT', 'ZeroSSL', 'ZeroSSL RSA Domain Secure Site CA', 90, 4),
  issuer('GB', 'Sectigo Limited', 'Sectigo RSA Domain Validation Secure Server CA', 365, 5),
  issuer('US', 'DigiCert Inc', 'DigiCert Global G2 TLS RSA SHA256 2020 CA1', 365, 3),
  issuer('US', 'Amazon', 'Amazon RSA 2048 M02', 395, 3),
  issuer('US', 'Microsoft Corporation', 'Microsoft Azure RSA TLS Issuing CA 03', 180, 2),
];
export const CPANEL_ISSUER = issuer('US', 'cPanel, Inc.', 'cPanel, Inc. Certification Authority', 90, 0);
/** Free, automated CAs: what operators use. */
export const FREE_ISSUERS = ISSUERS.filter((i) => i.days === 90 && i.O !== 'ZeroSSL').concat(
  ISSUERS.filter((i) => i.O === 'ZeroSSL'),
);

/** Logs (name and URL as certstream reports them) with a weight of how much they take. */
export const LOGS: readonly { readonly name: string; readonly url: string; readonly weight: number }[] = [
  { name: "Google 'Argon2026h1' log", url: 'https://ct.googleapis.com/logs/us1/argon2026h1/', weight: 5 },
  { name: "Google 'Xenon2026h1' log", url: 'https://ct.googleapis.com/logs/eu1/xenon2026h1/', weight: 4 },
  { name: "Cloudflare 'Nimbus2026'", url: 'https://ct.cloudflare.com/logs/nimbus2026/', weight: 4 },
  { name: "Let's Encrypt 'Oak2026h1'", url: 'https://oak.ct.letsencrypt.org/2026h1/', weight: 3 },
  { name: "Sectigo 'Sabre2026h1'", url: 'https://sabre2026h1.ct.sectigo.com/', weight: 2 },
  { name: "DigiCert 'Wyvern2026h1'", url: 'https://wyvern.ct.digicert.com/2026h1/', weight: 2 },
  { name: 'TrustAsia Log2026a', url: 'https://ct2026-a.trustasia.com/log2026a/', weight: 1 },
];

/** One log entry: a precertificate or a certificate. */
export interface CertEntry {
  /** Milliseconds since the epoch the entry was seen on the stream. */
  readonly seen: number;
  readonly log: number;
  readonly precert: boolean;
  readonly names: readonly string[];
  readonly issuer: Issuer;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly sha256: string;
  readonly sha1: string;
  readonly serial: string;
}

/** A certificate issued at `at` for `names`: one or two entries (precertificate first). */
export function issue(
  rng: Rng,
  at: number,
  names: readonly string[],
  iss: Issuer,
  withPrecert: boolean,
): CertEntry[] {
  const notBefore = Math.floor(at / 1000) - (iss.O === "Let's Encrypt" ? 3600 : 0);
  const notAfter = notBefore + iss.days * 86_400 - 1;
  const serial = hexOf(rng, 18).replace(/^0+/, '');
  const log = () => pickLog(rng);
  const entry = (seen: number, precert: boolean): CertEntry => ({
    seen,
    log: log(),
    precert,
    names,
    issuer: iss,
    notBefore,
    notAfter,
    sha256: hexOf(rng, 32),
    sha1: hexOf(rng, 20),
    serial,
  });
  if (!withPrecert) return [entry(at + rng.exp(90_000), false)];
  const pre = entry(at + rng.exp(5_000), true);
  return [pre, entry(pre.seen + 2_000 + rng.exp(60_000), false)];
}

function pickLog(rng: Rng): number {
  let total = 0;
  for (const l of LOGS) total += l.weight;
  let r = rng.next() * total;
  for (let i = 0; i < LOGS.length; i++) {
    r -= (LOGS[i] as (typeof LOGS)[number]).weight;
    if (r < 0) return i;
  }
  return 0;
}

const hexOf = (rng: Rng, bytes: number): string => Buffer.from(rng.bytes(bytes)).toString('hex');

/** `ab12…` → `AB:12:…`, as certstream prints fingerprints. */
function colons(hex: string): string {
  const up = hex.toUpperCase();
  const parts = new Array<string>(up.length / 2);
  for (let i = 0; i < parts.length; i++) parts[i] = up.slice(2 * i, 2 * i + 2);
  return parts.join(':');
}

/** The certstream message of an entry; `index` is its position in its log. */
export function certstreamMessage(e: CertEntry, index: number): string {
  const log = LOGS[e.log] as (typeof LOGS)[number];
  const cn = e.names.find((n) => !n.startsWith('*.')) ?? (e.names[0] as string);
  // Written as a template around JSON-encoded parts: a month holds a quarter of a million messages,
  // and building each as a nested object for JSON.stringify doubled the generation time.
  const j = JSON.stringify;
  const dn = `{"C":${j(e.issuer.C)},"CN":${j(e.issuer.CN)},"O":${j(e.issuer.O)},"aggregated":${j(e.issuer.aggregated)}}`;
  const sha1 = colons(e.sha1);
  return (
    `{"message_type":"certificate_update","data":{"update_type":"${e.precert ? 'PrecertLogEntry' : 'X509LogEntry'}",` +
    `"cert_index":${index},"cert_link":${j(`${log.url}ct/v1/get-entries?start=${index}&end=${index}`)},` +
    `"seen":${e.seen / 1000},"source":{"name":${j(log.name)},"url":${j(log.url)}},` +
    `"leaf_cert":{"all_domains":${j(e.names)},"subject":{"CN":${j(cn)},"aggregated":${j(`/CN=${cn}`)}},` +
    `"issuer":${dn},"fingerprint":"${sha1}","sha1":"${sha1}","sha256":"${colons(e.sha256)}",` +
    `"serial_number":"${e.serial.toUpperCase()}","not_before":${e.notBefore},"not_after":${e.notAfter}},` +
    `"chain":[{"subject":${dn}}]}}`
  );
}

/** Sorts entries by time and numbers them per log from seed-chosen bases. */
export function numberEntries(rng: Rng, entries: CertEntry[]): number[] {
  entries.sort((a, b) => a.seen - b.seen);
  const next = LOGS.map(() => rng.int(100_000_000, 900_000_000));
  return entries.map((e) => {
    const i = next[e.log] as number;
    next[e.log] = i + 1 + (rng.chance(0.9) ? 0 : rng.int(1, 40)); // other traffic of the log in between
    return i;
  });
}
