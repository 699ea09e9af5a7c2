/**
 * A small, strict DER reader for exactly the certificate facts CT ingest keeps: serial, issuer DN,
 * validity, subject DN (and its CN) and the SAN dNSNames, from a whole X.509 `Certificate` (x509_entry)
 * or a bare `TBSCertificate` (precert_entry). RFC 5280 §4.1, X.690 §8/§10 (DER).
 *
 * Why hand-written: speed. CT ingest sees millions of certificates a day and keeps five fields of
 * each. Node's `X509Certificate` (OpenSSL) builds a full `X509` object (public key, every extension,
 * printable names) and costs ~100–400 µs per certificate; `@peculiar/asn1-x509` builds a full JS object
 * model and costs ~2 ms. This reader walks the bytes once, builds no object model and decodes nothing it
 * does not return (the public key, the signature and every other extension are skipped by length).
 *
 * Why it is safe: it is strict and it never guesses. Only definite, minimal DER lengths; every
 * element must lie inside its parent and every parent must be consumed exactly; tags must be the
 * ones RFC 5280 gives; only the string types seen in WebPKI names (PrintableString, IA5String, valid
 * UTF8String) are decoded. Anything else throws `DerUnsupported`, and the caller (`ct-certificate.ts`)
 * then hands the certificate to the full parsers, so an unusual certificate costs time, never a
 * wrong answer. `der-facts.test.ts` holds this reader to the answers of `@peculiar/asn1-x509` and
 * Node's `X509Certificate` over every recorded fixture and over generated certificates.
 * @module
 */
import type { CertificateFacts } from './ct-certificate.js';

/** The input is outside what this reader decodes (not necessarily invalid): use the full parser. */
export class DerUnsupported extends Error {
  override readonly name = 'DerUnsupported';
}

const fail = (why: string): never => {
  throw new DerUnsupported(why);
};

// The header last read by `header()`: tag, content start, content end. Module state instead of a
// returned object so that the hot loop allocates nothing per element (the reader is synchronous).
let tag = 0;
let cs = 0;
let ce = 0;

/** Reads the TLV header at `pos` (which must lie before `end`) into `tag`, `cs`, `ce`. */
function header(b: Uint8Array, pos: number, end: number): void {
  if (pos + 2 > end) fail('truncated header');
  const t = b[pos] as number;
  if ((t & 0x1f) === 0x1f) fail('high tag number');
  let len = b[pos + 1] as number;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || p + n > end) fail('indefinite or oversized length');
    if (b[p] === 0) fail('non-minimal length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[p++] as number);
    if (len < 0x80) fail('non-minimal length');
  }
  if (len > end - p) fail('length beyond its parent');
  tag = t;
  cs = p;
  ce = p + len;
}

function expect(b: Uint8Array, pos: number, end: number, t: number): void {
  header(b, pos, end);
  if (tag !== t) fail(`tag 0x${tag.toString(16)} where 0x${t.toString(16)} was expected`);
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Dotted form of an OBJECT IDENTIFIER's contents. */
function oid(b: Uint8Array, s: number, e: number): string {
  // Fast path: the X.520 attribute types 2.5.4.n (n < 128).
  if (e - s === 3 && b[s] === 0x55 && b[s + 1] === 0x04 && (b[s + 2] as number) < 0x80)
    return `2.5.4.${b[s + 2]}`;
  if (s === e) fail('empty OID');
  let out = '';
  let v = 0;
  let first = true;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (v === 0 && c === 0x80) fail('non-minimal OID arc');
    v = v * 128 + (c & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) fail('OID arc too large');
    if (c & 0x80) continue;
    if (first) {
      out = v < 40 ? `0.${v}` : v < 80 ? `1.${v - 40}` : `2.${v - 80}`;
      first = false;
    } else out += `.${v}`;
    v = 0;
  }
  if ((b[e - 1] as number) & 0x80) fail('truncated OID');
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Valid UTF-8 (a BOM is kept, as asn1js keeps it), or fail: asn1js falls back to raw bytes there. */
function utf8(b: Uint8Array, s: number, e: number): string {
  try {
    return UTF8.decode(b.subarray(s, e));
  } catch {
    return fail('invalid UTF-8');
  }
}

/** ASCII bytes as a string, or fail. */
function ascii(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c >= 0x80) fail('non-ASCII byte in an ASCII string');
    out += String.fromCharCode(c);
  }
  return out;
}

/** An attribute value as `@peculiar/asn1-x509` `AttributeValue.toString()` gives it (the types we decode). */
function attributeValue(b: Uint8Array, s: number, e: number, t: number): string {
  if (t === 0x13 || t === 0x16) return ascii(b, s, e); // PrintableString, IA5String
  if (t === 0x0c) {
    for (let i = s; i < e; i++) if ((b[i] as number) >= 0x80) return utf8(b, s, e);
    return ascii(b, s, e);
  }
  return fail(`attribute value of tag 0x${t.toString(16)}`); // Teletex, BMP, Universal, ANY: full parser
}

/** Short names for the attribute types seen in WebPKI distinguished names (as `formatName` prints them). */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.15': 'businessCategory',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** A CN is taken as a name only when it looks like one (many CNs are organisation names). */
export const HOSTLIKE = /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)+\.?$/i;

/**
 * `Name` contents (s..e) → `C=US, O=Let's Encrypt, CN=R3` (encoded order, ` + ` inside a multi-valued
 * RDN). When `cns` is given, CN values are appended to it.
 */
function name(b: Uint8Array, s: number, e: number, cns: string[] | undefined): string {
  let out = '';
  let p = s;
  while (p < e) {
    expect(b, p, e, 0x31); // RelativeDistinguishedName ::= SET OF AttributeTypeAndValue
    const rdnEnd = ce;
    if (cs === rdnEnd) fail('empty RDN');
    if (p !== s) out += ', ';
    let q = cs;
    let firstAtv = true;
    while (q < rdnEnd) {
      expect(b, q, rdnEnd, 0x30);
      const atvEnd = ce;
      expect(b, cs, atvEnd, 0x06);
      const type = oid(b, cs, ce);
      header(b, ce, atvEnd);
      if (ce !== atvEnd) fail('trailing bytes in AttributeTypeAndValue');
      const value = attributeValue(b, cs, ce, tag);
      if (!firstAtv) out += ' + ';
      out += `${ATTRIBUTE_NAMES[type] ?? type}=${value}`;
      if (cns !== undefined && type === '2.5.4.3') cns.push(value);
      firstAtv = false;
      q = atvEnd;
    }
    p = rdnEnd;
  }
  return out;
}

function digits(b: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = s; i < s + n; i++) {
    const d = (b[i] as number) - 48;
    if (d < 0 || d > 9) fail('non-digit in a time');
    v = v * 10 + d;
  }
  return v;
}

/** UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ` (the DER forms RFC 5280 §4.1.2.5 allows). */
function time(b: Uint8Array, pos: number, end: number): { iso: string; next: number } {
  header(b, pos, end);
  let p = cs;
  let year: number;
  if (tag === 0x17 && ce - cs === 13) {
    const yy = digits(b, p, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p += 2;
  } else if (tag === 0x18 && ce - cs === 15) {
    year = digits(b, p, 4);
    p += 4;
  } else return fail('time of an unsupported form');
  if (b[ce - 1] !== 0x5a) fail('time not in UTC (Z)');
  const month = digits(b, p, 2);
  const day = digits(b, p + 2, 2);
  const hour = digits(b, p + 4, 2);
  const minute = digits(b, p + 6, 2);
  const second = digits(b, p + 8, 2);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    fail('time out of range');
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 100) d.setUTCFullYear(year);
  if (d.getUTCDate() !== day) fail('day out of range for the month');
  return { iso: d.toISOString(), next: ce };
}

const SAN_OID = [0x55, 0x1d, 0x11] as const; // 2.5.29.17

function addName(names: string[], n: string): void {
  const v = n.trim().toLowerCase();
  if (v !== '' && !names.includes(v)) names.push(v);
}

/** `SubjectAltName` contents (s..e): dNSName ([2] IA5String) entries appended to `names`. */
function sanNames(b: Uint8Array, s: number, e: number, names: string[]): void {
  expect(b, s, e, 0x30);
  if (ce !== e) fail('trailing bytes after SubjectAltName');
  const end = ce;
  let p = cs;
  while (p < end) {
    header(b, p, end);
    // GeneralName: context-specific [0]..[8], primitive or constructed per RFC 5280 §4.2.1.6.
    if ((tag & 0xc0) !== 0x80 || (tag & 0x1f) > 8) fail('not a GeneralName');
    if (tag === 0x82) addName(names, ascii(b, cs, ce));
    p = ce;
  }
}

/** `TBSCertificate` contents (s..e) → facts. */
function tbs(b: Uint8Array, s: number, e: number): CertificateFacts {
  let p = s;
  header(b, p, e);
  if (tag === 0xa0) {
    // version [0] EXPLICIT INTEGER (v2 = 1, v3 = 2; v1 is encoded by omission)
    const vEnd = ce;
    expect(b, cs, vEnd, 0x02);
    if (ce !== vEnd || ce - cs !== 1 || (b[cs] as number) > 2) fail('unsupported version');
    p = vEnd;
    header(b, p, e);
  }
  // serialNumber INTEGER: hex of the octets as encoded, leading zero octets dropped (one kept).
  if (tag !== 0x02 || ce === cs) fail('serialNumber is not an INTEGER');
  if ((b[cs] as number) & 0x80) fail('negative serialNumber'); // OpenSSL and asn1-x509 print these differently
  let z = cs;
  while (z < ce - 1 && b[z] === 0) z++;
  let serial = '';
  for (let i = z; i < ce; i++) serial += HEX[b[i] as number];
  p = ce;
  expect(b, p, e, 0x30); // signature AlgorithmIdentifier
  p = ce;
  expect(b, p, e, 0x30); // issuer
  p = ce;
  const issuer = name(b, cs, p, undefined);
  expect(b, p, e, 0x30); // validity
  const vEnd = ce;
  const nb = time(b, cs, vEnd);
  const na = time(b, nb.next, vEnd);
  if (na.next !== vEnd) fail('trailing bytes in Validity');
  p = vEnd;
  expect(b, p, e, 0x30); // subject
  p = ce;
  const cns: string[] = [];
  const subject = name(b, cs, p, cns);
  expect(b, p, e, 0x30); // subjectPublicKeyInfo: skipped
  p = ce;
  const names: string[] = [];
  for (const cn of cns) if (HOSTLIKE.test(cn)) addName(names, cn);
  if (p < e) {
    header(b, p, e);
    if (tag === 0x81 || tag === 0xa1) {
      p = ce; // issuerUniqueID
      if (p < e) header(b, p, e);
    }
  }
  if (p < e) {
    if (tag === 0x82 || tag === 0xa2) {
      p = ce; // subjectUniqueID
      if (p < e) header(b, p, e);
    }
  }
  if (p < e) {
    if (tag !== 0xa3) fail('unexpected field after subjectPublicKeyInfo');
    const xEnd = ce;
    expect(b, cs, xEnd, 0x30); // Extensions ::= SEQUENCE OF Extension
    if (ce !== xEnd) fail('trailing bytes after Extensions');
    let q = cs;
    while (q < xEnd) {
      expect(b, q, xEnd, 0x30);
      const extEnd = ce;
      expect(b, cs, extEnd, 0x06);
      const isSan =
        ce - cs === 3 && b[cs] === SAN_OID[0] && b[cs + 1] === SAN_OID[1] && b[cs + 2] === SAN_OID[2];
      header(b, ce, extEnd);
      if (tag === 0x01) {
        if (ce - cs !== 1) fail('BOOLEAN of the wrong length');
        header(b, ce, extEnd);
      }
      if (tag !== 0x04 || ce !== extEnd) fail('extnValue is not the last OCTET STRING');
      if (isSan) sanNames(b, cs, ce, names);
      q = extEnd;
    }
    p = xEnd;
  }
  if (p !== e) fail('trailing bytes in TBSCertificate');
  return { names, subject, issuer, serial, notBefore: nb.iso, notAfter: na.iso };
}

/** Facts of a DER `Certificate`; throws `DerUnsupported` for anything outside the strict subset. */
export function derCertificateFacts(der: Uint8Array): CertificateFacts {
  expect(der, 0, der.length, 0x30);
  if (ce !== der.length) fail('trailing bytes after Certificate');
  const end = ce;
  expect(der, cs, end, 0x30); // tbsCertificate
  const ts = cs;
  const te = ce;
  expect(der, te, end, 0x30); // signatureAlgorithm
  expect(der, ce, end, 0x03); // signatureValue BIT STRING
  if (ce !== end) fail('trailing bytes in Certificate');
  return tbs(der, ts, te);
}

/** Facts of a DER `TBSCertificate` (a precert entry); throws `DerUnsupported` outside the strict subset. */
export function derTbsCertificateFacts(der: Uint8Array): CertificateFacts {
  expect(der, 0, der.length, 0x30);
  if (ce !== der.length) fail('trailing bytes after TBSCertificate');
  return tbs(der, cs, ce);
}
