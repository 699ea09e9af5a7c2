/**
 * tldts (the Public Suffix List), loaded with `require`. The package ships CommonJS only; an ESM
 * `import` of it first runs Node's CommonJS export scanner over its ~200 KB bundle (~50 ms of a
 * ~300 ms `precursor score` start-up), which `require` does not need.
 * @module
 */
import { createRequire } from 'node:module';

type Tldts = typeof import('tldts');

const tldts = createRequire(import.meta.url)('tldts') as Tldts;

export const getPublicSuffix: Tldts['getPublicSuffix'] = tldts.getPublicSuffix;
export const parseHost: Tldts['parse'] = tldts.parse;

/**
 * Options for a name `normalizeHost` gave without punycode labels (`isIdn` false): each of its labels
 * was checked as lower-case letters, digits, hyphens and underscores, it has no trailing dot and is no
 * IPv4 address, so tldts's own host extraction, validation and IP detection would only repeat those
 * checks — ~40% of a look-up. (A punycode label passed by decoding it may hold other characters,
 * which tldts's validation rejects; such names keep the default options.) With `private: true`, the
 * private section of the list counts too.
 */
export function checkedNameOptions(isIdn: boolean, privateSection: boolean): Parameters<Tldts['parse']>[1] {
  if (isIdn) return privateSection ? PRIVATE : ICANN;
  return privateSection ? PRIVATE_CHECKED : ICANN_CHECKED;
}

const PRIVATE = { allowPrivateDomains: true } as const;
const ICANN = { allowPrivateDomains: false } as const;
const CHECKED = {
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;
const PRIVATE_CHECKED = { ...CHECKED, allowPrivateDomains: true } as const;
const ICANN_CHECKED = { ...CHECKED, allowPrivateDomains: false } as const;
