/**
 * The input of the `precursor score` user-path row (bench/user-path.ts): ~300,000 unique host names, ~22%
 * of them look-alikes, built deterministically from data already in the repository:
 *
 * - look-alikes: the dnstwist 20250130 permutations of the five Microsoft domains
 *   (`test/fixtures/domain/permutations`, real tool output, Apache-2.0 tool, the lists are data) and the
 *   same fuzzers applied here to five more brands' domains (`CONSTRUCTED_BRANDS`, **constructed**: our own
 *   implementation of dnstwist's published fuzzer kinds — addition, bitsquatting, homoglyph, hyphenation,
 *   insertion, omission, repetition, replacement, subdomain, transposition, vowel-swap, dictionary, TLD
 *   swap — not its code);
 * - benign: the Tranco list of 2025-02-19 (`test/fixtures/domain/tranco-top-50k.txt`, free to use, cite
 *   Le Pochat et al., NDSS 2019), the constructed full host names of `bench/corpora/names/benign-hosts.*`,
 *   and host names under Tranco sites built from the host labels real sites use (`HOST_LABELS`,
 *   **constructed**), as a resolver or a CT log sees them.
 *
 * Ten brands, fourteen domains (`BENCH_DOMAINS`): what the peer, eth-phishing-detect, is configured with.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';

export const MICROSOFT_DOMAINS = [
  'microsoft.com',
  'office.com',
  'live.com',
  'outlook.com',
  'microsoftonline.com',
] as const;
export const CONSTRUCTED_BRANDS = [
  'paypal.com',
  'bankofamerica.com',
  'americanexpress.com',
  'wellsfargo.com',
  'coinbase.com',
  'navyfederal.org',
  'walletconnect.com',
  'myetherwallet.com',
  'trustwallet.com',
] as const;
export const BENCH_DOMAINS: readonly string[] = [...MICROSOFT_DOMAINS, ...CONSTRUCTED_BRANDS];

/** Share of look-alikes in the output (the mix). */
export const LOOKALIKE_SHARE = 0.22;

/** FNV-1a, for stable choices that do not depend on list order. */
function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

// ---- dnstwist-style fuzzers (the kinds dnstwist documents; written here) ----------------------------

const KEYBOARD: Record<string, string> = {
  q: '12wa',
  w: '23qeas',
  e: '34wrsd',
  r: '45etdf',
  t: '56ryfg',
  y: '67tugh',
  u: '78yihj',
  i: '89uojk',
  o: '90ipkl',
  p: '0ol',
  a: 'qwsz',
  s: 'weadzx',
  d: 'ersfxc',
  f: 'rtdgcv',
  g: 'tyfhvb',
  h: 'yugjbn',
  j: 'uihknm',
  k: 'iojlm',
  l: 'opk',
  z: 'asx',
  x: 'zsdc',
  c: 'xdfv',
  v: 'cfgb',
  b: 'vghn',
  n: 'bhjm',
  m: 'njk',
  '1': '2q',
  '2': '13wq',
  '0': '9po',
};
const GLYPHS: Record<string, readonly string[]> = {
  a: ['à', 'á', 'â', 'ã', 'ä', 'å', 'ɑ', 'а', 'ạ', 'ą'],
  b: ['d', 'lb', 'ʙ', 'Ь', 'ḃ'],
  c: ['e', 'ƈ', 'ċ', 'ć', 'ç', 'с'],
  d: ['b', 'cl', 'dl', 'ɗ', 'đ', 'ď'],
  e: ['c', 'é', 'è', 'ê', 'ë', 'ē', 'ė', 'е', 'ẹ', 'ę'],
  f: ['ƒ', 'ḟ'],
  g: ['q', 'ɢ', 'ɡ', 'ġ', 'ğ', 'ǵ'],
  h: ['lh', 'ḥ', 'ħ', 'һ'],
  i: ['1', 'l', 'í', 'ì', 'ï', 'ı', 'і', 'ỉ'],
  k: ['lk', 'ik', 'lc', 'ķ', 'ḳ'],
  l: ['1', 'i', 'ɫ', 'ł', 'ӏ'],
  m: ['n', 'nn', 'rn', 'rr', 'ṁ', 'ṃ'],
  n: ['m', 'r', 'ń', 'ṅ', 'ñ', 'ņ'],
  o: ['0', 'ο', 'о', 'ö', 'ó', 'ò', 'ô', 'õ', 'ọ', 'ø'],
  p: ['ρ', 'р', 'ṗ'],
  r: ['ʀ', 'ɼ', 'ŕ', 'ř'],
  s: ['ʂ', 'ś', 'ṣ', 'ş', 'ѕ'],
  t: ['ţ', 'ŧ', 'ṭ', 'ț'],
  u: ['μ', 'υ', 'ù', 'ú', 'û', 'ü', 'ư'],
  v: ['ѵ', 'ν', 'ṿ'],
  w: ['vv', 'ŵ', 'ẁ', 'ẃ', 'ẅ', 'ԝ'],
  x: ['х', 'ẋ'],
  y: ['ʏ', 'ý', 'ÿ', 'ŷ', 'ƴ', 'у'],
  z: ['ʐ', 'ż', 'ź', 'ẓ'],
};
const VOWELS = 'aeiou';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const DICTIONARY = `login signin secure account verify update support help service online mail web app portal
auth security billing pay payment wallet bank card customer client my id access check confirm alert
notice team office cloud docs drive share file files storage admin center home official store shop
mobile client-area recovery reset unlock status info news rewards bonus gift promo claim`.split(/\s+/);
const CHEAP_TLDS = ['top', 'xyz', 'online', 'shop', 'app'];
const TLDS = `com net org info biz io co us uk ca de fr it es nl be ch at se no dk fi pl cz ru ua br mx ar
cl pe au nz jp cn kr in sg hk tw id my ph th vn tr za ng ke eg ae sa il ir pk bd lk xyz top online site
shop store app dev tech live club vip work link click cc tv me ws pw icu buzz cyou rest fun space website
cloud digital network email support services solutions`.split(/\s+/);

/** dnstwist-style permutations of `domain` (label + one-label TLD), without the original. */
export function permutations(domain: string): string[] {
  const dot = domain.indexOf('.');
  const label = domain.slice(0, dot);
  const tld = domain.slice(dot + 1);
  const out = new Set<string>();
  const add = (l: string, t = tld): void => {
    if (l.length === 0 || l.startsWith('-') || l.endsWith('-')) return;
    const ascii = domainToASCII(`${l}.${t}`);
    if (ascii !== '' && ascii !== domain) out.add(ascii);
  };
  const n = label.length;
  for (const c of ALNUM) add(label + c); // addition
  for (let i = 0; i < n; i++) {
    const code = label.charCodeAt(i);
    for (let b = 0; b < 8; b++) {
      // bitsquatting
      const f = String.fromCharCode(code ^ (1 << b));
      if (/[a-z0-9-]/.test(f)) add(label.slice(0, i) + f + label.slice(i + 1));
    }
    const ch = label[i] as string;
    for (const g of GLYPHS[ch] ?? []) add(label.slice(0, i) + g + label.slice(i + 1)); // homoglyph
    for (const k of KEYBOARD[ch] ?? []) {
      add(label.slice(0, i) + k + ch + label.slice(i + 1)); // insertion
      add(label.slice(0, i + 1) + k + label.slice(i + 1));
      add(label.slice(0, i) + k + label.slice(i + 1)); // replacement
    }
    add(label.slice(0, i) + label.slice(i + 1)); // omission
    add(label.slice(0, i + 1) + ch + label.slice(i + 1)); // repetition
    if (i > 0) {
      add(`${label.slice(0, i)}-${label.slice(i)}`); // hyphenation
      add(`${label.slice(0, i)}.${label.slice(i)}`); // subdomain
    }
    if (i < n - 1) add(label.slice(0, i) + label[i + 1] + ch + label.slice(i + 2)); // transposition
    if (VOWELS.includes(ch))
      for (const v of VOWELS) if (v !== ch) add(label.slice(0, i) + v + label.slice(i + 1)); // vowel-swap
  }
  // Two homoglyphs at once (dnstwist's homoglyph fuzzer applies them pairwise as well).
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      for (const g of GLYPHS[label[i] as string] ?? [])
        for (const h of GLYPHS[label[j] as string] ?? [])
          add(label.slice(0, i) + g + label.slice(i + 1, j) + h + label.slice(j + 1));
  // dictionary, on the brand's TLD and on the cheap TLDs combosquats favour
  for (const t of [tld, ...CHEAP_TLDS])
    for (const w of DICTIONARY) {
      add(`${label}${w}`, t);
      add(`${label}-${w}`, t);
      add(`${w}${label}`, t);
      add(`${w}-${label}`, t);
    }
  for (const t of TLDS) if (t !== tld) add(label, t); // TLD swap
  add(`ww${label}`); // various
  add(`www${label}`);
  add(`www-${label}`);
  return [...out];
}

// ---- benign host names ---------------------------------------------------------------------------

/** Host labels real sites use, most common first (constructed from what resolvers and CT logs show). */
const HOST_LABELS = `www mail m api cdn static img images blog shop support help docs app news login
accounts auth id sso portal admin dev stage staging test beta assets media video cdn1 cdn2 smtp imap pop
webmail mx autodiscover vpn remote secure status community forum store careers jobs investor ir press
developer developers events learn academy search maps cloud files download downloads upload my account
service services partner partners go link links email e click t track tracking metrics analytics ads
ad pixel s3 origin edge lb gw gateway web web1 web2 ns1 ns2 dns en de fr es it jp uk us eu au ca br`.split(
  /\s+/,
);

export interface ScoreCorpus {
  readonly names: readonly string[];
  readonly lookalikes: number;
  readonly benign: number;
  readonly parts: Readonly<Record<string, number>>;
}

/** Builds the corpus from `root` (the repository); shuffled deterministically so classes interleave. */
export function buildScoreCorpus(root: string, total = 300_000): ScoreCorpus {
  const seen = new Set<string>();
  const parts: Record<string, number> = {};
  const take = (part: string, names: Iterable<string>, limit = Number.POSITIVE_INFINITY): string[] => {
    const got: string[] = [];
    for (const raw of names) {
      if (got.length >= limit) break;
      const n = raw.trim().toLowerCase();
      if (n === '' || seen.has(n)) continue;
      seen.add(n);
      got.push(n);
    }
    parts[part] = (parts[part] ?? 0) + got.length;
    return got;
  };
  const fixtures = join(root, 'test', 'fixtures', 'domain');
  // The brands' own domains are not look-alikes (nor lines of the benign part: each is scored once).
  for (const d of BENCH_DOMAINS) seen.add(d);
  const lookalikes: string[] = [];
  const permDir = join(fixtures, 'permutations');
  for (const f of readdirSync(permDir)
    .filter((x) => x.endsWith('.txt'))
    .sort())
    for (const n of take('dnstwist (real output)', lines(readFileSync(join(permDir, f), 'utf8'))))
      lookalikes.push(n);
  for (const d of CONSTRUCTED_BRANDS)
    for (const n of take('dnstwist-style (constructed)', permutations(d))) lookalikes.push(n);

  const benignTarget = Math.round((lookalikes.length * (1 - LOOKALIKE_SHARE)) / LOOKALIKE_SHARE);
  const wantTotal = Math.max(total, lookalikes.length + benignTarget);
  const benignWant = wantTotal - lookalikes.length;
  const benign: string[] = [];
  const tranco = lines(readFileSync(join(fixtures, 'tranco-top-50k.txt'), 'utf8'));
  const push = (xs: readonly string[]): void => {
    for (const x of xs) benign.push(x);
  };
  push(take('tranco', tranco, benignWant));
  const corpus = join(root, 'bench', 'corpora', 'names');
  for (const part of ['benign-hosts.dev.txt', 'benign-hosts.heldout.txt'])
    push(
      take(
        'benign-hosts (constructed)',
        lines(readFileSync(join(corpus, part), 'utf8')).map((l) => l.split(' ')[0] as string),
        benignWant - benign.length,
      ),
    );
  // Host names under Tranco sites: popular sites get more of them, as in a resolver's view.
  const hosts = function* (): Generator<string> {
    for (let round = 0; round < HOST_LABELS.length; round++)
      for (let r = 0; r < tranco.length; r++) {
        const site = tranco[r] as string;
        // Rank r keeps about 12 / (1 + r / 4000) labels, at least 3; which ones is a stable hash.
        const keep = Math.max(3, Math.round(12 / (1 + r / 4000)));
        if (round >= keep) continue;
        const label = HOST_LABELS[(fnv(site) + round * 7919) % HOST_LABELS.length] as string;
        yield `${label}.${site}`;
      }
  };
  push(take('Tranco site hosts (constructed)', hosts(), benignWant - benign.length));

  // Interleave by a stable hash so neither class comes in one block.
  const names = [...lookalikes, ...benign]
    .map((n) => [fnv(n, 0x9747b28c), n] as const)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .map(([, n]) => n);
  return { names, lookalikes: lookalikes.length, benign: benign.length, parts };
}
