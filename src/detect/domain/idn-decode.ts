/**
 * The Unicode form of the usual punycode name, decoded here instead of by `domainToUnicode`, which
 * parses the whole name as a URL host (UTS #46 mapping, normalisation and validity checks) and decodes
 * it again: ~3 µs a name, half of normalising a feed's names when a sixth of them are look-alike IDNs.
 *
 * Only names whose answer is certain are decoded: lower-case LDH labels, punycode that decodes by RFC
 * 3492 into letters of the Latin, Greek and Cyrillic scripts that `domainToUnicode` itself keeps as they
 * are (checked once per character, by asking it). Such letters are valid and unmapped under UTS #46,
 * already in NFC and never compose with a neighbour, and are all left-to-right, so no bidi or joiner
 * rule applies. Anything else — another script, a mark, a malformed or overflowing label, a last label
 * that reads as a number — returns undefined for the caller to ask `domainToUnicode`. normalize.test.ts
 * holds the two equal on random labels.
 * @module
 */
import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * `domainToUnicode(name)` for a name of lower-case letters, digits, hyphens, underscores and dots with
 * non-empty labels (as `normalizePlainHost` checked it), or undefined when not certain.
 */
export function decodeIdnName(name: string): string | undefined {
  const lastDot = name.lastIndexOf('.');
  // A last label such as `0x1f` makes the URL host parser read the name as an IPv4 address.
  if (name.charCodeAt(lastDot + 1) === 0x30 && name.charCodeAt(lastDot + 2) === 0x78) return undefined;
  let out = '';
  for (let start = 0; start <= name.length; ) {
    let end = name.indexOf('.', start);
    if (end < 0) end = name.length;
    if (end - start >= 4 && name.startsWith('xn--', start)) {
      const label = decodeLabel(name, start + 4, end);
      if (label === undefined) return undefined;
      out += label;
    } else out += name.slice(start, end);
    if (end < name.length) out += '.';
    start = end + 1;
  }
  return out;
}

// RFC 3492 parameters.
const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_INT = 0x7fffffff;

const CODES: number[] = [];

/** The punycode `s[from, to)` decoded, or undefined (malformed, or a code point not known safe). */
function decodeLabel(s: string, from: number, to: number): string | undefined {
  const codes = CODES;
  codes.length = 0;
  let delim = -1;
  for (let i = to - 1; i >= from; i--)
    if (s.charCodeAt(i) === 0x2d) {
      delim = i;
      break;
    }
  // An empty basic part before the delimiter, or none after it: leave the edge cases to Node.
  if (delim === from || delim === to - 1) return undefined;
  // A basic part starting with a hyphen: also left to Node.
  if (delim > from && s.charCodeAt(from) === 0x2d) return undefined;
  if (delim > from)
    for (let i = from; i < delim; i++) {
      const c = s.charCodeAt(i);
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return undefined;
      codes.push(c);
    }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  let inserted = false;
  for (let at = delim > from ? delim + 1 : from; at < to; ) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (at >= to) return undefined;
      const digit = digitOf(s.charCodeAt(at++));
      if (digit < 0 || digit > Math.floor((MAX_INT - i) / w)) return undefined;
      i += digit * w;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return undefined;
      w *= BASE - t;
    }
    const len = codes.length + 1;
    bias = adapt(i - oldi, len, oldi === 0);
    if (Math.floor(i / len) > MAX_INT - n) return undefined;
    n += Math.floor(i / len);
    i %= len;
    if (!safeLetter(n)) return undefined;
    codes.splice(i, 0, n);
    inserted = true;
    i++;
  }
  if (!inserted) return undefined;
  // UTS #46 forbids a label beginning `xn--` even once decoded.
  if (codes[0] === 0x78 && codes[1] === 0x6e && codes[2] === 0x2d && codes[3] === 0x2d) return undefined;
  return String.fromCharCode.apply(null, codes);
}

function digitOf(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  return -1;
}

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.floor(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * d) / (d + SKEW));
}

// Per code point below SAFE_LIMIT: 0 not yet asked, 1 safe, 2 not.
const SAFE_LIMIT = 0x2000;
const SAFE = new Uint8Array(SAFE_LIMIT);
const LETTER = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;
const LETTER_CATEGORY = /^\p{L}$/u;

/**
 * Whether `cp` is a letter of the Latin, Greek or Cyrillic script, in NFC, that `domainToUnicode`
 * gives back unchanged between ASCII letters (so UTS #46 neither maps nor rejects it).
 */
export function safeLetter(cp: number): boolean {
  if (cp < 0x80 || cp >= SAFE_LIMIT) return false;
  let v = SAFE[cp] as number;
  if (v === 0) {
    const c = String.fromCharCode(cp);
    const probe = `a${c}b.com`;
    const ok =
      LETTER.test(c) &&
      LETTER_CATEGORY.test(c) &&
      c.normalize('NFC') === c &&
      domainToUnicode(domainToASCII(probe)) === probe;
    v = ok ? 1 : 2;
    SAFE[cp] = v;
  }
  return v === 1;
}
