/**
 * Normalisation of a host name: the step that decides recall more than any matcher. A name is compared
 * in three forms: the ASCII (punycode) form that DNS and certificates carry, the Unicode form a victim
 * reads, and the split into registrable domain, public suffix and labels.
 * @module
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';

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
// Underscores occur in real DNS (service labels) and in certificate names; everything else outside LDH
// is garbage for our purposes.
const ASCII_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
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
 * const n = normalizeHost('Login.XN--MCROSOFT-5YA.com.');
 * // n.ok && n.unicode === 'login.mícrosoft.com', n.registrable === 'xn--mcrosoft-5ya.com'
 * ```
 */
export function normalizeHost(input: string): NormalizeResult {
  let host = input.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  if (host === '') return fail(input, 'EMPTY', 'the name is empty');

  const nonAscii = NON_ASCII.test(host);
  let ascii = host;
  if (nonAscii) {
    // UTS #46 processing (mapping, normalisation, validity) as browsers do it.
    ascii = domainToASCII(host);
    if (ascii === '')
      return fail(input, 'INVALID_IDN', `'${host}' is not a valid internationalised name (UTS #46)`);
  }
  if (ascii.length > MAX_NAME)
    return fail(input, 'TOO_LONG', `the name has ${ascii.length} characters (max ${MAX_NAME})`);

  const asciiLabels = ascii.split('.');
  let hasPunycode = false;
  for (const label of asciiLabels) {
    if (label === '') return fail(input, 'EMPTY_LABEL', `'${host}' has an empty label`);
    if (label.length > MAX_LABEL)
      return fail(
        input,
        'LABEL_TOO_LONG',
        `label '${label.slice(0, 20)}…' has ${label.length} characters (max ${MAX_LABEL})`,
      );
    // Punycode labels are checked by decoding them, which reports them more precisely.
    if (label.startsWith('xn--')) hasPunycode = true;
    else if (!ASCII_LABEL.test(label))
      return fail(
        input,
        'INVALID_CHARACTERS',
        `label '${label}' has characters outside letters, digits and hyphens`,
      );
  }

  let unicode = ascii;
  if (hasPunycode) {
    unicode = domainToUnicode(ascii);
    const bad = firstBadPunycode(asciiLabels, unicode === '' ? undefined : unicode.split('.'));
    if (bad !== undefined) return fail(input, 'INVALID_PUNYCODE', `label '${bad}' is not valid punycode`);
    if (unicode === '') return fail(input, 'INVALID_PUNYCODE', `'${ascii}' does not decode to a valid name`);
  }

  if (IPV4.test(ascii)) return fail(input, 'IP_ADDRESS', `'${host}' is an IP address, not a domain name`);
  // Labels are validated above, so tldts's own validation and IP detection would only repeat the work.
  const parsed = parseDomain(ascii, PARSE_OPTIONS);
  if (parsed.isIp) return fail(input, 'IP_ADDRESS', `'${host}' is an IP address, not a domain name`);
  if (!parsed.domain || !parsed.publicSuffix)
    return fail(
      input,
      'NO_REGISTRABLE_DOMAIN',
      `'${host}' has no registrable domain (it is a public suffix)`,
    );

  const suffixLabelCount = parsed.publicSuffix.split('.').length;
  const unicodeLabels = unicode.split('.');
  const labels = unicodeLabels.slice(0, unicodeLabels.length - suffixLabelCount);
  return {
    ok: true,
    ascii,
    unicode,
    registrable: parsed.domain,
    suffix: parsed.publicSuffix,
    labels,
    registrableLabel: labels[labels.length - 1] ?? '',
    isIdn: hasPunycode,
    wildcard,
  };
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
