/**
 * Normalisation of a host name: the step that decides recall more than any matcher. A name is compared
 * in three forms: the ASCII (punycode) form that DNS and certificates carry, the Unicode form a victim
 * reads, and the split into registrable domain, public suffix and labels.
 * @module
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { getPublicSuffix, parseHost as parseDomain } from './public-suffix.js';

/** Why a line could not be turned into a host name; stable codes, documented in docs/brands.md. */
export type NormalizeErrorCode =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'EMPTY_LABEL'
  | 'LABEL_TOO_LONG'
  | 'INVALID_CHARACTERS'
  | 'INVALID_PUNYCODE'
  | 'INVALID_IDN'
  | 'IP_ADDRESS'
  | 'NO_REGISTRABLE_DOMAIN';

export interface NormalizeError {
  readonly ok: false;
  readonly code: NormalizeErrorCode;
  readonly reason: string;
  readonly input: string;
}

export interface NormalizedName {
  readonly ok: true;
  /** ASCII (A-label) form, lower case, without trailing dot or leading `*.`. */
  readonly ascii: string;
  /** Unicode (U-label) form, what a person sees. */
  readonly unicode: string;
  /** Registrable domain (ICANN section of the PSL), ASCII. */
  readonly registrable: string;
  /** Public suffix of `registrable`, ASCII (e.g. `co.uk`). */
  readonly suffix: string;
  /** Labels left of the suffix, Unicode form, left to right (`['login', 'secure-auth']`). */
  readonly labels: readonly string[];
  /** The registrable label in Unicode form (`secure-auth` of `login.secure-auth.top`). */
  readonly registrableLabel: string;
  readonly isIdn: boolean;
  /** The certificate name was a wildcard (`*.example.com`). */
  readonly wildcard: boolean;
}

export type NormalizeResult = NormalizedName | NormalizeError;

const MAX_NAME = 253;
const MAX_LABEL = 63;
const NON_ASCII = /[^\x00-\x7f]/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const PARSE_OPTIONS = {
  allowPrivateDomains: false,
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

const fail = (input: string, code: NormalizeErrorCode, reason: string): NormalizeError => ({
  ok: false,
  code,
  reason,
  input,
});

/**
 * Normalises one host name.
 *
 * @example
 * ```ts
 * const n = normalizeHost('Login.XN--MCROSOFT-C2A.com.');
 * // n.ok && n.unicode === 'login.mícrosoft.com', n.registrable === 'xn--mcrosoft-c2a.com'
 * ```
 */
export function normalizeHost(input: string): NormalizeResult {
  return normalizePlainHost(input) ?? normalizeAnyHost(input);
}

/**
 * `normalizeHost` for the usual name in a feed: lower-case ASCII letters, digits, hyphens, underscores
 * and dots, perhaps after a wildcard `*.` (certificates carry many), no trailing dot, not ending in a
 * digit; undefined for anything else (which `normalizeHost` then takes the long way). One pass over the
 * characters validates every label and finds the dots; only the public suffix is looked up. Punycode
 * labels are decoded here too when they decode cleanly (feeds of look-alikes carry many); any doubt
 * about them is left to the long way, which explains it.
 */
export function normalizePlainHost(input: string): NormalizedName | undefined {
  if (input.charCodeAt(0) === 0x2a && input.charCodeAt(1) === DOT) return plainHost(input.slice(2), true);
  return plainHost(input, false);
}

function plainHost(input: string, wildcard: boolean): NormalizedName | undefined {
  const n = input.length;
  if (n === 0 || n > MAX_NAME || isDigit(input.charCodeAt(n - 1))) return undefined;
  const dotAt = DOTS;
  let dots = 0;
  let start = 0;
  let punycode = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? input.charCodeAt(i) : DOT;
    if (c === DOT) {
      const len = i - start;
      if (len === 0 || len > MAX_LABEL) return undefined;
      const first = input.charCodeAt(start);
      if (!isEdge(first) || !isEdge(input.charCodeAt(i - 1))) return undefined;
      if (
        first === 0x78 &&
        len >= 4 &&
        input.charCodeAt(start + 1) === 0x6e &&
        input.charCodeAt(start + 2) === 0x2d &&
        input.charCodeAt(start + 3) === 0x2d
      )
        punycode = true;
      if (i < n) dotAt[dots++] = i;
      start = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2d || c === 0x5f)) return undefined;
  }
  const suffix = getPublicSuffix(input, PARSE_OPTIONS);
  if (suffix === null || suffix.length >= n) return undefined;
  // The labels left of the suffix; the registrable domain is the last of them plus the suffix.
  let keep = dots + 1;
  for (let i = 0; i < suffix.length; i++) if (suffix.charCodeAt(i) === DOT) keep--;
  keep--;
  if (punycode) return plainIdnHost(input, wildcard, suffix, keep, dotAt[keep - 1] as number);
  const labels = cutLabels(input, keep, dotAt);
  const registrableStart = keep === 1 ? 0 : (dotAt[keep - 2] as number) + 1;
  return {
    ok: true,
    ascii: input,
    unicode: input,
    registrable: input.slice(registrableStart),
    suffix,
    labels,
    registrableLabel: labels[keep - 1] as string,
    isIdn: false,
    wildcard,
  };
}

/**
 * `plainHost` for a name with punycode labels: what `normalizeAnyHost` gives for it (the same decoding
 * and checks, the public suffix as `parseDomain` finds it), or undefined when a label does not decode
 * cleanly, for `normalizeAnyHost` to say why. `keep` labels lie left of the suffix, the last ending at
 * `registrableEnd`.
 */
function plainIdnHost(
  input: string,
  wildcard: boolean,
  suffix: string,
  keep: number,
  registrableEnd: number,
): NormalizedName | undefined {
  const unicode = domainToUnicode(input);
  if (unicode === '' || !decodedCleanly(input, unicode)) return undefined;
  const registrableStart = input.lastIndexOf('.', registrableEnd - 1) + 1;
  // The labels left of the suffix, cut from the Unicode form (it has as many labels as the ASCII form).
  const dotAt = UNICODE_DOTS;
  for (let k = 0, at = -1; k < keep; k++) dotAt[k] = at = unicode.indexOf('.', at + 1);
  const labels = cutLabels(unicode, keep, dotAt);
  return {
    ok: true,
    ascii: input,
    unicode,
    registrable: input.slice(registrableStart),
    suffix,
    labels,
    registrableLabel: labels[keep - 1] as string,
    isIdn: true,
    wildcard,
  };
}

/**
 * The first `keep` labels of `name`, the k-th ending at `dotAt[k]`. Most names have one to three, built
 * as literals: an array grown by `push` gets room for 17 at once, on every name.
 */
function cutLabels(name: string, keep: number, dotAt: Int32Array): string[] {
  const a = dotAt[0] as number;
  if (keep === 1) return [name.slice(0, a)];
  const b = dotAt[1] as number;
  if (keep === 2) return [name.slice(0, a), name.slice(a + 1, b)];
  if (keep === 3) return [name.slice(0, a), name.slice(a + 1, b), name.slice(b + 1, dotAt[2] as number)];
  const labels: string[] = [];
  for (let k = 0, at = 0; k < keep; k++) {
    const end = dotAt[k] as number;
    labels.push(name.slice(at, end));
    at = end + 1;
  }
  return labels;
}

function normalizeAnyHost(input: string): NormalizeResult {
  let host = canonicalCase(input);
  if (host.endsWith('.')) host = host.slice(0, -1);
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  if (host === '') return fail(input, 'EMPTY', 'the name is empty');

  let ascii = host;
  if (!isAscii(host)) {
    // UTS #46 processing (mapping, normalisation, validity) as browsers do it.
    ascii = domainToASCII(host);
    if (ascii === '')
      return fail(input, 'INVALID_IDN', `'${host}' is not a valid internationalised name (UTS #46)`);
  }
  if (ascii.length > MAX_NAME)
    return fail(input, 'TOO_LONG', `the name has ${ascii.length} characters (max ${MAX_NAME})`);

  // One pass over the characters validates every label; labels are only cut out for error messages.
  let hasPunycode = false;
  for (let start = 0; start <= ascii.length; ) {
    let end = ascii.indexOf('.', start);
    if (end < 0) end = ascii.length;
    const problem = labelProblem(ascii, start, end);
    if (problem === PUNYCODE) hasPunycode = true;
    else if (problem !== LDH) {
      const label = ascii.slice(start, end);
      if (problem === EMPTY) return fail(input, 'EMPTY_LABEL', `'${host}' has an empty label`);
      if (problem === LONG)
        return fail(
          input,
          'LABEL_TOO_LONG',
          `label '${label.slice(0, 20)}…' has ${label.length} characters (max ${MAX_LABEL})`,
        );
      return fail(
        input,
        'INVALID_CHARACTERS',
        `label '${label}' has characters outside letters, digits and hyphens`,
      );
    }
    start = end + 1;
  }

  let unicode = ascii;
  if (hasPunycode) {
    const asciiLabels = ascii.split('.');
    unicode = domainToUnicode(ascii);
    const bad = firstBadPunycode(asciiLabels, unicode === '' ? undefined : unicode.split('.'));
    if (bad !== undefined) return fail(input, 'INVALID_PUNYCODE', `label '${bad}' is not valid punycode`);
    if (unicode === '') return fail(input, 'INVALID_PUNYCODE', `'${ascii}' does not decode to a valid name`);
  }

  if (isDigit(ascii.charCodeAt(ascii.length - 1)) && IPV4.test(ascii))
    return fail(input, 'IP_ADDRESS', `'${host}' is an IP address, not a domain name`);
  // Labels are validated above, so tldts's own validation and IP detection would only repeat the work.
  const parsed = parseDomain(ascii, PARSE_OPTIONS);
  if (parsed.isIp) return fail(input, 'IP_ADDRESS', `'${host}' is an IP address, not a domain name`);
  if (!parsed.domain || !parsed.publicSuffix)
    return fail(
      input,
      'NO_REGISTRABLE_DOMAIN',
      `'${host}' has no registrable domain (it is a public suffix)`,
    );

  const suffix = parsed.publicSuffix;
  let keep = 0;
  for (let i = 0; i < ascii.length; i++) if (ascii.charCodeAt(i) === DOT) keep++;
  for (let i = 0; i < suffix.length; i++) if (suffix.charCodeAt(i) === DOT) keep--;
  // The labels left of the suffix, cut from the Unicode form (it has as many labels as the ASCII form).
  const labels: string[] = [];
  for (let start = 0, k = 0; k < keep; k++) {
    const end = unicode.indexOf('.', start);
    labels.push(unicode.slice(start, end));
    start = end + 1;
  }
  return {
    ok: true,
    ascii,
    unicode,
    registrable: parsed.domain,
    suffix,
    labels,
    registrableLabel: labels[labels.length - 1] ?? '',
    isIdn: hasPunycode,
    wildcard,
  };
}

const DOT = 0x2e;
// Dot offsets found by `normalizePlainHost` (a name of at most 253 characters has at most 126 dots).
const DOTS = new Int32Array(128);
const UNICODE_DOTS = new Int32Array(128);
const LDH = 0;
const PUNYCODE = 1;
const EMPTY = 2;
const LONG = 3;
const BAD = 4;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
// [a-z0-9_]: the characters a label may start and end with. Underscores occur in real DNS (service
// labels) and in certificate names; everything else outside LDH is garbage for our purposes.
const isEdge = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x5f;

/**
 * `input.trim().toLowerCase()`, skipping both calls for the usual already-clean ASCII name (feeds are
 * mostly lower case already).
 */
function canonicalCase(input: string): string {
  const n = input.length;
  if (n === 0) return input;
  const first = input.charCodeAt(0);
  const last = input.charCodeAt(n - 1);
  let host = input;
  if (first <= 0x20 || first > 0x7e || last <= 0x20 || last > 0x7e) host = input.trim();
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return host.toLowerCase();
  }
  return host;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Classifies `s[start, end)` as `^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$`, punycode, or a problem. */
function labelProblem(s: string, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return EMPTY;
  if (n > MAX_LABEL) return LONG;
  // Punycode labels are checked by decoding them, which reports them more precisely.
  if (
    n >= 4 &&
    s.charCodeAt(start) === 0x78 &&
    s.charCodeAt(start + 1) === 0x6e &&
    s.charCodeAt(start + 2) === 0x2d &&
    s.charCodeAt(start + 3) === 0x2d
  )
    return PUNYCODE;
  if (!isEdge(s.charCodeAt(start)) || !isEdge(s.charCodeAt(end - 1))) return BAD;
  for (let i = start + 1; i < end - 1; i++) {
    const c = s.charCodeAt(i);
    if (!isEdge(c) && c !== 0x2d) return BAD;
  }
  return LDH;
}

/**
 * Whether every punycode label of `ascii` has a Unicode label at the same place in `unicode` holding a
 * non-ASCII character: `firstBadPunycode` finds none, read without splitting either name. False when in
 * doubt (`unicode` has fewer labels), for `firstBadPunycode` to decide.
 */
function decodedCleanly(ascii: string, unicode: string): boolean {
  for (let a = 0, u = 0; a <= ascii.length; ) {
    let aEnd = ascii.indexOf('.', a);
    if (aEnd < 0) aEnd = ascii.length;
    let uEnd = u > unicode.length ? -1 : unicode.indexOf('.', u);
    if (uEnd < 0 && u <= unicode.length) uEnd = unicode.length;
    if (aEnd - a >= 4 && ascii.startsWith('xn--', a)) {
      if (uEnd < 0) return false;
      let nonAscii = false;
      for (let i = u; i < uEnd && !nonAscii; i++) nonAscii = unicode.charCodeAt(i) > 0x7f;
      if (!nonAscii) return false;
    }
    a = aEnd + 1;
    u = uEnd < 0 ? unicode.length + 1 : uEnd + 1;
  }
  return true;
}

/**
 * Finds the label that made UTS #46 decoding fail, for the error message. A punycode label is also
 * invalid when it decodes to plain ASCII (RFC 5891 §4.4), which Node's decoder lets through.
 */
function firstBadPunycode(labels: readonly string[], decodedLabels?: readonly string[]): string | undefined {
  for (const [i, label] of labels.entries()) {
    if (!label.startsWith('xn--')) continue;
    const decoded = decodedLabels?.[i] ?? domainToUnicode(label);
    if (decoded === '' || !NON_ASCII.test(decoded)) return label;
  }
  return undefined;
}
