/**
 * Every number the domain engine decides with, with its default. Weights are signal weights on the
 * shared -100..100 scale, combined by `aggregate()` (noisy-OR), so 75 alone flags at the default flag
 * threshold of 50 and two signals of 30 make 51.
 * @module
 */
import type { ScoreThresholds } from '../score.js';
import { DEFAULT_THRESHOLDS } from '../score.js';

/** Weights by how distinctive the matched brand token is (see `tokenClass` in brand-index.ts). */
export interface ClassWeights {
  /** ≥ 6 characters and not an everyday word (`microsoft`, `paypal`). */
  readonly distinctive: number;
  /** ≤ 5 characters (`o365`, `usps`, `yahoo`): one edit away lies half the dictionary. */
  readonly short: number;
  /** An everyday word the brand uses (`live`, `office`, `teams`, `box`). */
  readonly generic: number;
}

export interface DomainEngineConfig {
  readonly thresholds: ScoreThresholds;
  readonly weights: {
    /** Label reads as a brand token through non-ASCII look-alikes (`mіcrosoft` with Cyrillic і). */
    readonly homoglyphUnicode: number;
    /** Label reads as a brand token through ASCII look-alikes (`rnicrosoft`, `0ffice`). */
    readonly homoglyphAscii: ClassWeights;
    /** One edit (omission, insertion, transposition, …) from a brand token. */
    readonly typo1: ClassWeights;
    /**
     * One edit from a profile-declared everyday word of 6+ letters (`office`, `windows`): unlike short
     * words, its one-edit neighbours are rarely words themselves.
     */
    readonly typo1LongWord: number;
    /** Two edits from a long brand token (length ≥ `fuzzy.distance2MinLength`). */
    readonly typo2: number;
    /** Brand token cut by hyphens (`micro-soft`) or by a dot (`micro.soft.com`). */
    readonly hyphenation: ClassWeights;
    /** Exactly a brand token under a suffix the brand does not own (`microsoft.ae`). */
    readonly tldSwap: ClassWeights;
    /** Exactly a token of three characters or fewer under a foreign suffix: acronyms are shared. */
    readonly tldSwapAcronym: number;
    /** Brand token plus other material in the label (`microsoft-login`). */
    readonly combosquat: ClassWeights;
    /** Short or generic token glued to other letters (`livescore`): weak, it is how words are made. */
    readonly combosquatGlued: number;
    /**
     * Brand token with only infrastructure words (`<brand>-api`, `<brand>cdn`: data/infrastructure-words.txt):
     * how brands name their own secondary domains, so at most this much alone.
     */
    readonly combosquatInfrastructure: number;
    /** Brand token with other words, none of them a lure word: at most this much alone. */
    readonly combosquatWithoutLure: number;
    /** Brand glued to URL debris (`wwwmicrosoft`, `microsoftcom`, `https-paypal`): mimics an address. */
    readonly urlMimic: number;
    /** An official brand domain spelled out in the subdomains (`login.microsoftonline.com.evil.top`). */
    readonly officialInSubdomain: number;
    /** A brand token as (part of) a subdomain label of an unrelated domain. */
    readonly brandInSubdomain: ClassWeights;
    /** Upper bound of a brand label in the subdomains when no label of the name holds a lure word. */
    readonly brandInSubdomainWithoutLure: number;
    /** Upper bound of the lure-vocabulary signal (sum of word weights from data/lure-vocabulary.txt). */
    readonly lureCap: number;
    readonly misspelledWord: number;
    /** A short unknown name framed by lure words. */
    readonly lureFrame: number;
    /** Two or more misspelt words stacked in one label (`clloud-docss`). */
    readonly misspelledWords: number;
    readonly randomSlug: number;
    readonly abusedTld: number;
    readonly platformTenant: number;
    readonly longLabel: number;
    readonly manyHyphens: number;
    readonly newRegistration: number;
    /** Negative: an old registration is exculpatory. */
    readonly oldRegistration: number;
    /** Negative: a brand's exact name under .com/.net/.org is an old registration, its own or a namesake's. */
    readonly legacyNamesake: number;
    /**
     * Negative: the registrable domain is on the popularity list (`domain.popular`), by rank: the
     * top 1,000, the top 10,000, the rest of the list. 0 switches a tier off.
     */
    readonly popular: { readonly top1k: number; readonly top10k: number; readonly listed: number };
    /** Negative: the registrable domain belongs to a loaded brand's portfolio. */
    readonly brandOwned: number;
    /**
     * Negative: a certificate names the name together with the domain of the brand it reads as
     * (`domain.brand-co-named`, co-named.ts). 0 switches the look-up off.
     */
    readonly brandCoNamed: number;
  };
  readonly coNaming: {
    /**
     * Most registrable domains outside the brand's portfolio a certificate may name and still be
     * ownership evidence (never more than the brand's own on it): a CDN's shared certificate names many.
     */
    readonly maxForeignDomains: number;
  };
  readonly fuzzy: {
    /** Tokens at least this long accept two edits. */
    readonly distance2MinLength: number;
    /** Tokens at least this long accept one edit; shorter ones only look-alikes. */
    readonly distance1MinLength: number;
    /** Tokens up to this long are `short`. */
    readonly shortMaxLength: number;
    /** Vocabulary words at least this long are checked for misspellings. */
    readonly misspellingMinLength: number;
  };
  readonly shape: {
    readonly minHexRun: number;
    readonly minDigitRun: number;
    readonly longLabel: number;
    readonly manyHyphens: number;
  };
  readonly registration: {
    /** Registered fewer than this many days before the event: `domain.new-registration`. */
    readonly newDays: number;
    /** Registered more than this many days before the event: `domain.old-registration`. */
    readonly oldDays: number;
  };
}

export const DEFAULT_DOMAIN_CONFIG: DomainEngineConfig = Object.freeze({
  thresholds: DEFAULT_THRESHOLDS,
  weights: {
    homoglyphUnicode: 90,
    homoglyphAscii: { distinctive: 85, short: 65, generic: 60 },
    typo1: { distinctive: 75, short: 30, generic: 30 },
    typo1LongWord: 55,
    typo2: 60,
    hyphenation: { distinctive: 75, short: 45, generic: 45 },
    tldSwap: { distinctive: 75, short: 55, generic: 50 },
    tldSwapAcronym: 45,
    combosquat: { distinctive: 65, short: 45, generic: 45 },
    combosquatGlued: 20,
    combosquatInfrastructure: 30,
    combosquatWithoutLure: 45,
    urlMimic: 80,
    officialInSubdomain: 80,
    brandInSubdomain: { distinctive: 55, short: 10, generic: 10 },
    brandInSubdomainWithoutLure: 45,
    lureCap: 60,
    misspelledWord: 30,
    lureFrame: 30,
    misspelledWords: 45,
    randomSlug: 25,
    abusedTld: 15,
    platformTenant: 15,
    longLabel: 10,
    manyHyphens: 10,
    newRegistration: 30,
    oldRegistration: -30,
    legacyNamesake: -30,
    popular: { top1k: -45, top10k: -40, listed: -35 },
    brandOwned: -100,
    brandCoNamed: -100,
  },
  coNaming: { maxForeignDomains: 3 },
  fuzzy: { distance2MinLength: 9, distance1MinLength: 4, shortMaxLength: 5, misspellingMinLength: 5 },
  shape: { minHexRun: 5, minDigitRun: 5, longLabel: 30, manyHyphens: 3 },
  registration: { newDays: 30, oldDays: 365 },
});

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Overlays a partial configuration on the defaults (objects merge, values replace). */
export function resolveDomainConfig(partial: DeepPartial<DomainEngineConfig> = {}): DomainEngineConfig {
  return merge(DEFAULT_DOMAIN_CONFIG, partial) as DomainEngineConfig;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Record<string, unknown>)[k], v);
  return Object.freeze(out);
}

/**
 * Checks a `detectors.domain` section against the shape of the defaults: every key must exist there
 * (a typo such as `threshold` for `thresholds` is an error, not a silently kept default) and hold a
 * finite number where the default has one. Returns the first problem, or undefined.
 */
export function domainConfigProblem(input: unknown): string | undefined {
  const walk = (value: unknown, shape: unknown, path: string): string | undefined => {
    if (typeof shape === 'number') {
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `${path} must be a number, got ${Array.isArray(value) ? 'an array' : typeof value}`;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return `${path || 'the section'} must be a mapping`;
    for (const [k, v] of Object.entries(value)) {
      const s = (shape as Record<string, unknown>)[k];
      const at = path ? `${path}.${k}` : k;
      if (s === undefined) return `unknown key ${at} (known: ${Object.keys(shape as object).join(', ')})`;
      const p = walk(v, s, at);
      if (p) return p;
    }
    return undefined;
  };
  if (input === undefined || input === null) return undefined;
  return walk(input, DEFAULT_DOMAIN_CONFIG, '');
}
