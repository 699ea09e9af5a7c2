/**
 * Certificate facts from DER. Three implementations, fastest first:
 * 1. `der-facts.ts`, a small strict DER reader for exactly these fields (a few µs per certificate);
 *    it throws on anything outside its strict subset, never guessing;
 * 2. Node's `X509Certificate` (OpenSSL), ~100–400 µs, for what the reader declines;
 * 3. `@peculiar/asn1-x509`, the pure-JS reference, for what OpenSSL refuses (and for bare
 *    TBSCertificates OpenSSL cannot read even when wrapped).
 * `der-facts.test.ts` holds (1) to the answers of (2) and (3).
 * @module
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Name, TBSCertificate } from '@peculiar/asn1-x509';
import { ATTRIBUTE_NAMES, derCertificateFacts, derTbsCertificateFacts, HOSTLIKE } from './der-facts.js';

export interface CertificateFacts {
  /** DNS names: subject CN (when it is a host name) and SAN dNSNames, lower case, first seen first. */
  readonly names: string[];
  readonly subject: string;
  readonly issuer: string;
  /** Hex, lower case, as encoded (leading zero octets dropped). */
  readonly serial: string;
  readonly notBefore: string | undefined;
  readonly notAfter: string | undefined;
}

const CN = '2.5.4.3';

// The pure-JS parser is the last resort, for the rare certificate both faster paths refuse: loaded on
// first use (synchronously, as these functions are), not on every certstream and CT command's start
// (~0.1 s). Both packages ship CommonJS only, so `require` returns the instances `import` would.
const requireCjs = createRequire(import.meta.url);
let asn1:
  | (typeof import('@peculiar/asn1-x509') & Pick<typeof import('@peculiar/asn1-schema'), 'AsnParser'>)
  | undefined;
function x509() {
  asn1 ??= {
    ...(requireCjs('@peculiar/asn1-x509') as typeof import('@peculiar/asn1-x509')),
    AsnParser: (requireCjs('@peculiar/asn1-schema') as typeof import('@peculiar/asn1-schema')).AsnParser,
  };
  return asn1;
}

/** How many certificates each path decoded (for benchmarks and diagnostics). */
export const certificatePathCounts = { der: 0, native: 0, asn1: 0 };

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Parses a DER `Certificate`: the strict DER reader first; what it declines goes to OpenSSL, then to
 * the pure-JS ASN.1 schema. Throws when all refuse it.
 */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  try {
    const f = derCertificateFacts(der);
    certificatePathCounts.der++;
    return f;
  } catch {
    // outside the strict reader's subset (or malformed): the full parsers decide
  }
  return fullCertificateFacts(der);
}

/** The full parsers alone: OpenSSL, then `@peculiar/asn1-x509`. Throws when both do. */
export function fullCertificateFacts(der: Uint8Array): CertificateFacts {
  try {
    const f = nativeFacts(new X509Certificate(der));
    certificatePathCounts.native++;
    return f;
  } catch {
    const { AsnParser, Certificate } = x509();
    const f = tbsFacts(AsnParser.parse(der, Certificate).tbsCertificate);
    certificatePathCounts.asn1++;
    return f;
  }
}

/** The pure-JS path alone (`@peculiar/asn1-x509`), for tests that hold both implementations to one answer. */
export function asn1CertificateFacts(der: Uint8Array, tbsOnly = false): CertificateFacts {
  const { AsnParser, Certificate, TBSCertificate } = x509();
  return tbsFacts(
    tbsOnly ? AsnParser.parse(der, TBSCertificate) : AsnParser.parse(der, Certificate).tbsCertificate,
  );
}

/** DER length octets. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

// A placeholder signatureAlgorithm (sha256WithRSAEncryption) and an empty signature BIT STRING.
const WRAP_TAIL = Buffer.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00, 0x03, 0x01, 0x00,
]);

/**
 * Parses a DER `TBSCertificate` (the signed part of a precertificate): the strict DER reader first;
 * what it declines is wrapped into a `Certificate` with an empty signature so that OpenSSL can read it
 * (nothing is verified here), and the pure-JS schema reads it directly when that fails too.
 * Throws when all refuse it.
 */
export function tbsCertificateFacts(der: Uint8Array): CertificateFacts {
  try {
    const f = derTbsCertificateFacts(der);
    certificatePathCounts.der++;
    return f;
  } catch {
    // outside the strict reader's subset (or malformed): the full parsers decide
  }
  return fullTbsCertificateFacts(der);
}

/** The full parsers alone for a bare TBSCertificate: OpenSSL (wrapped), then `@peculiar/asn1-x509`. */
export function fullTbsCertificateFacts(der: Uint8Array): CertificateFacts {
  try {
    const body = der.length + WRAP_TAIL.length;
    const f = nativeFacts(
      new X509Certificate(Buffer.concat([Buffer.from([0x30]), derLength(body), der, WRAP_TAIL])),
    );
    certificatePathCounts.native++;
    return f;
  } catch {
    const { AsnParser, TBSCertificate } = x509();
    const f = tbsFacts(AsnParser.parse(der, TBSCertificate));
    certificatePathCounts.asn1++;
    return f;
  }
}

/** OpenSSL prints DNs one attribute per line, with RFC 2253 escapes; unescape and join with commas. */
const nativeName = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.replace(/\\(.)/g, '$1'))
    .join(', ');

/** Node quotes (JSON) SAN entries that contain separators, so this split is exact. */
const SAN_ENTRY = /(?:^|, )DNS:("(?:[^"\\]|\\.)*"|[^,]*)/g;

function nativeFacts(x: X509Certificate): CertificateFacts {
  const names: string[] = [];
  const add = (n: string): void => {
    const v = n.trim().toLowerCase();
    if (v !== '' && !names.includes(v)) names.push(v);
  };
  for (const line of x.subject.split('\n')) {
    if (!line.startsWith('CN=')) continue;
    const v = line.slice(3).replace(/\\(.)/g, '$1');
    if (HOSTLIKE.test(v)) add(v);
  }
  for (const m of (x.subjectAltName ?? '').matchAll(SAN_ENTRY)) {
    const raw = m[1] as string;
    add(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return {
    names,
    subject: nativeName(x.subject),
    issuer: nativeName(x.issuer),
    serial: x.serialNumber.toLowerCase().replace(/^(00)+(?=.)/, ''),
    notBefore: isoOrUndefined(new Date(x.validFrom)),
    notAfter: isoOrUndefined(new Date(x.validTo)),
  };
}

function tbsFacts(tbs: TBSCertificate): CertificateFacts {
  const { AsnParser, id_ce_subjectAltName, SubjectAlternativeName } = x509();
  const names: string[] = [];
  const add = (n: string): void => {
    const v = n.trim().toLowerCase();
    if (v !== '' && !names.includes(v)) names.push(v);
  };
  for (const rdn of tbs.subject) {
    for (const atv of rdn) {
      if (atv.type !== CN) continue;
      const v = atv.value.toString();
      if (HOSTLIKE.test(v)) add(v);
    }
  }
  for (const ext of tbs.extensions ?? []) {
    if (ext.extnID !== id_ce_subjectAltName) continue;
    const san = AsnParser.parse(ext.extnValue.buffer, SubjectAlternativeName);
    for (const gn of san) if (gn.dNSName !== undefined) add(gn.dNSName);
  }
  return {
    names,
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    serial: Buffer.from(tbs.serialNumber)
      .toString('hex')
      .replace(/^(00)+(?=.)/, ''),
    notBefore: isoOrUndefined(tbs.validity.notBefore.getTime()),
    notAfter: isoOrUndefined(tbs.validity.notAfter.getTime()),
  };
}

/** `C=US, O=Let's Encrypt, CN=R3`: attributes in encoded order, the form OpenSSL and crt.sh print. */
export function formatName(name: Name): string {
  const parts: string[] = [];
  for (const rdn of name) {
    const atvs: string[] = [];
    for (const atv of rdn) atvs.push(`${ATTRIBUTE_NAMES[atv.type] ?? atv.type}=${atv.value.toString()}`);
    parts.push(atvs.join(' + '));
  }
  return parts.join(', ');
}

function isoOrUndefined(d: Date): string | undefined {
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
