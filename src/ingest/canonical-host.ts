/**
 * Canonical entity keys for host names: the ASCII (A-label) form, lower case, no trailing dot, checked
 * against DNS syntax. UTS #46 mapping is Node's own (`url.domainToASCII`), the WHATWG/ICU
 * implementation, so keys agree with what browsers resolve.
 * @module
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { isIP } from 'node:net';

export type HostResult =
  | { readonly ok: true; readonly ascii: string; readonly unicode: string }
  | { readonly ok: false; readonly reason: string };

/** Already-canonical names (the vast majority of any feed) skip the UTS #46 mapping. */
const PLAIN_ASCII = /^[a-z0-9_.-]+$/;

const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Underscore labels occur in real names (`_dmarc`, some CT SANs); hyphens in 3rd/4th place only for xn--. */
const SERVICE_LABEL = /^_[a-z0-9_-]{1,62}$/;

export function canonicalHost(input: string): HostResult {
  return plainLdhName(input) ?? generalHost(input);
}

/**
 * The common case, an already canonical lower-case LDH name, checked in one pass over its characters.
 * Every feed sends millions of these, and the general path below (a dozen regular expressions, a split,
 * an IP test) was a tenth of list-ingest time. It accepts only names the general path accepts unchanged
 * and answers `undefined` for anything else (upper case, Unicode, punycode, `_`, an IP, an error), which
 * then takes the general path — `canonical-host.test.ts` checks the two agree.
 */
function plainLdhName(name: string): HostResult | undefined {
  const n = name.length;
  if (n === 0 || n > 253) return undefined;
  let labels = 0;
  let start = 0;
  let numeric = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - start;
      if (len === 0 || len > 63) return undefined;
      if (name.charCodeAt(start) === 45 || name.charCodeAt(i - 1) === 45) return undefined;
      // `xn--`: an A-label, which the general path validates by decoding it.
      if (len >= 4 && name.charCodeAt(start + 2) === 45 && name.charCodeAt(start + 3) === 45)
        return undefined;
      labels += 1;
      start = i + 1;
      if (i < n) numeric = true;
    } else if ((c >= 97 && c <= 122) || c === 45) numeric = false;
    else if (c < 48 || c > 57) return undefined;
  }
  if (labels < 2 || numeric) return undefined;
  return { ok: true, ascii: name, unicode: name };
}

/** Every name the fast path declines: trimming, `*.`, IDNA, service labels and each error's reason. */
export function generalHost(input: string): HostResult {
  let name = input.trim();
  if (name === '') return { ok: false, reason: 'empty name' };
  if (name.length > 1024) return { ok: false, reason: `name of ${name.length} characters is too long` };
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.startsWith('*.')) name = name.slice(2);
  if (isIP(name) !== 0 || /^\[.*\]$/.test(name))
    return { ok: false, reason: `'${name}' is an IP address, not a domain name` };
  if (/[\s/\\?#@:<>"'`]/.test(name))
    return { ok: false, reason: `'${truncate(name)}' contains characters that cannot be in a host name` };
  const ascii = PLAIN_ASCII.test(name) && !name.includes('xn--') ? name : domainToASCII(name);
  if (ascii === '') return { ok: false, reason: `'${truncate(name)}' is not a valid IDNA domain name` };
  if (ascii.length > 253) return { ok: false, reason: `name of ${ascii.length} octets exceeds 253` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: `'${truncate(name)}' has no top-level domain` };
  for (const label of labels) {
    if (label === '') return { ok: false, reason: `'${truncate(name)}' has an empty label` };
    if (label.length > 63)
      return { ok: false, reason: `label '${truncate(label)}' is longer than 63 octets` };
    if (!LDH_LABEL.test(label) && !SERVICE_LABEL.test(label)) {
      return { ok: false, reason: `label '${truncate(label)}' is not a valid DNS label` };
    }
  }
  const tld = labels[labels.length - 1] as string;
  if (/^[0-9]+$/.test(tld)) return { ok: false, reason: `top-level domain '${tld}' is numeric` };
  return {
    ok: true,
    ascii,
    // Computed on first read: most callers only need the key.
    get unicode() {
      return ascii.includes('xn--') ? domainToUnicode(ascii) || ascii : ascii;
    },
  };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
