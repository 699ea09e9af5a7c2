/**
 * Precomputed structures over the brand profiles and word lists, built once per engine. Every lookup a
 * name needs is a hash probe or an automaton pass, so the cost per name does not grow with the number
 * of brands (see bench/domain-score.ts).
 * @module
 */
import type { BrandProfile } from './brand-profiles.js';
import type { DomainEngineConfig } from './config.js';
import { DeletionIndex } from './deletion-index.js';
import {
  type IndexInputs,
  type IndexParts,
  readPrebuiltIndex,
  writePrebuiltIndex,
} from './prebuilt-index.js';
import type { SkeletonMap } from './skeleton.js';
import { TokenAutomaton } from './token-automaton.js';
import type { Vocabulary } from './vocabulary.js';

/** Prefix length of the deletion indexes: SymSpell's default, a good balance of probes and candidates. */
const FUZZY_PREFIX = 7;

export type TokenClass = 'distinctive' | 'short' | 'generic';

export interface BrandToken {
  readonly token: string;
  readonly skeleton: string;
  readonly brand: BrandProfile;
  readonly role: 'brand' | 'product';
  readonly cls: TokenClass;
  /** Listed under `generic` in the profile (not merely classified generic by shape). */
  readonly declaredGeneric: boolean;
  /** Edits tolerated by the fuzzy matcher (0 for very short tokens). */
  readonly maxEdits: number;
}

export type WordKind = 'brand' | 'lure' | 'common';

/** Automaton flags (see `TokenAutomaton.flags`), read by the engine's pre-filter. */
export const ANY_TOKEN = 1;
export const DISTINCTIVE_TOKEN = 2;
export const BRAND_WORD = 1;
export const LURE_WORD = 2;
/** A misspelt lure or vocabulary word (`loogin`, `clloud`). */
export const MISSPELT_WORD = 4;

export interface WordHit {
  readonly word: string;
  readonly kind: WordKind;
  /** Lure weight (0 for common words and brand tokens). */
  readonly weight: number;
  readonly token?: BrandToken;
  /** Set when the text is a known misspelling of `word` (`loogin` for `login`). */
  readonly misspelt?: string;
}

export interface BrandIndex {
  readonly profiles: readonly BrandProfile[];
  readonly tokens: readonly BrandToken[];
  /** Registrable domain → owning brand (the allow-list). */
  readonly owners: ReadonlyMap<string, BrandProfile>;
  /**
   * The brand owning a registrable domain (ASCII), by exact domain or by an any-suffix label; `label`,
   * when the caller has it, is the domain's first label (saves cutting it out).
   */
  ownerOf(registrable: string, label?: string): BrandProfile | undefined;
  /** First labels owned under any suffix (`officialAnySuffix`). */
  readonly ownedLabels: readonly string[];
  /** Token skeleton → tokens: exact and look-alike matches. */
  readonly bySkeleton: ReadonlyMap<string, readonly BrandToken[]>;
  /** Token as written → tokens (several brands may share one). */
  readonly byToken: ReadonlyMap<string, readonly BrandToken[]>;
  /**
   * Every proper prefix of a token as written: a label split off a token by a dot (`micro.soft`) is
   * one, which rejects most subdomain labels (`www`, `mail`) with one lookup.
   */
  readonly tokenPrefixes: ReadonlySet<string>;
  /** Tokens as written, hashed, to reject a joined label before the string exists. */
  readonly tokenHashes: DeletionIndex<BrandToken>;
  /** Token skeletons hashed, to reject a folded label before its skeleton string exists. */
  readonly exact: DeletionIndex<BrandToken>;
  /** Deletion neighbourhoods of token skeletons: typo matches. */
  readonly fuzzy: DeletionIndex<BrandToken>;
  /** Length range of fuzzily matchable skeletons, to skip labels that cannot be near any. */
  readonly fuzzyMinLength: number;
  readonly fuzzyMaxLength: number;
  /** Length range of skeletons that may be two edits from a long token. */
  readonly fuzzy2MinLength: number;
  readonly fuzzy2MaxLength: number;
  /**
   * Token skeletons, found inside label skeletons (combosquats, also with look-alikes). Flags:
   * `ANY_TOKEN` for every token, `DISTINCTIVE_TOKEN` for distinctive ones.
   */
  readonly brandAutomaton: TokenAutomaton<BrandToken>;
  /**
   * Brand tokens, lure and common words as written: splitting glued labels into words. Flags:
   * `BRAND_WORD`, `LURE_WORD` (common words carry none).
   */
  readonly words: TokenAutomaton<WordHit>;
  /** Vocabulary words long enough to be misspelled recognisably. */
  readonly vocabularyFuzzy: DeletionIndex<string>;
  readonly vocabulary: Vocabulary;
}

export function classifyToken(
  token: string,
  generic: boolean,
  cfg: DomainEngineConfig,
  words: ReadonlySet<string> = new Set(),
): TokenClass {
  // One letter before an everyday word (`icloud`, `gmail`) is one edit from every `xcloud` and `xmail`;
  // two everyday words (`findmy`) are an everyday phrase.
  if (generic || words.has(token.slice(1)) || splitsIntoWords(token, words) || stemAndWord(token, words))
    return 'generic';
  return token.length <= cfg.fuzzy.shortMaxLength ? 'short' : 'distinctive';
}

/**
 * A stem of up to three letters before an everyday word (`usbank`, `nedbank`, `anpost`) or of up to two
 * after it (`postnl`): one edit in the stem is another institution (`psbank`, `medbank`, `nypost`), so
 * the token is as weak as the word it ends in.
 */
function stemAndWord(token: string, words: ReadonlySet<string>): boolean {
  for (let k = 2; k <= 3; k++) if (token.length - k >= 3 && words.has(token.slice(k))) return true;
  return token.length - 2 >= 4 && words.has(token.slice(0, -2));
}

function splitsIntoWords(token: string, words: ReadonlySet<string>): boolean {
  for (let i = 2; i <= token.length - 2; i++)
    if (words.has(token.slice(0, i)) && words.has(token.slice(i))) return true;
  return false;
}

function maxEditsFor(skeleton: string, cfg: DomainEngineConfig): number {
  if (skeleton.length >= cfg.fuzzy.distance2MinLength) return 2;
  if (skeleton.length >= cfg.fuzzy.distance1MinLength) return 1;
  return 0;
}

/**
 * @param prebuilt `use`: take the fuzzy indexes and automata from the prebuilt file when it was built
 *   from exactly these inputs (prebuilt-index.ts); `write`: build them and write that file (the build).
 */
export function buildBrandIndex(
  profiles: readonly BrandProfile[],
  vocabulary: Vocabulary,
  skeletons: SkeletonMap,
  cfg: DomainEngineConfig,
  prebuilt: 'use' | 'write' = 'use',
): BrandIndex {
  const tokens: BrandToken[] = [];
  const owners = new Map<string, BrandProfile>();
  const ownedLabels = new Map<string, BrandProfile>();
  for (const p of profiles) {
    for (const d of p.official) if (!owners.has(d)) owners.set(d, p);
    for (const l of p.officialAnySuffix) if (!ownedLabels.has(l)) ownedLabels.set(l, p);
    const generic = new Set(p.generic);
    const add = (token: string, role: BrandToken['role']): void => {
      const skeleton = skeletons.skeleton(token);
      tokens.push({
        token,
        skeleton,
        brand: p,
        role,
        cls: classifyToken(token, generic.has(token), cfg, vocabulary.commonWords),
        declaredGeneric: generic.has(token),
        maxEdits: maxEditsFor(skeleton, cfg),
      });
    };
    for (const t of p.tokens) add(t, 'brand');
    for (const t of p.products) add(t, 'product');
  }

  const bySkeleton = new Map<string, BrandToken[]>();
  const byToken = new Map<string, BrandToken[]>();
  let fuzzyMinLength = Number.POSITIVE_INFINITY;
  let fuzzyMaxLength = 0;
  let fuzzy2MinLength = Number.POSITIVE_INFINITY;
  let fuzzy2MaxLength = 0;
  for (const t of tokens) {
    const list = bySkeleton.get(t.skeleton);
    if (list) list.push(t);
    else bySkeleton.set(t.skeleton, [t]);
    const same = byToken.get(t.token);
    if (same) same.push(t);
    else byToken.set(t.token, [t]);
    if (t.maxEdits > 0) {
      fuzzyMinLength = Math.min(fuzzyMinLength, t.skeleton.length - t.maxEdits);
      fuzzyMaxLength = Math.max(fuzzyMaxLength, t.skeleton.length + t.maxEdits);
    }
    if (t.maxEdits >= 2) {
      fuzzy2MinLength = Math.min(fuzzy2MinLength, t.skeleton.length - 2);
      fuzzy2MaxLength = Math.max(fuzzy2MaxLength, t.skeleton.length + 2);
    }
  }

  const wordEntries: [string, WordHit][] = [];
  for (const t of tokens) wordEntries.push([t.token, { word: t.token, kind: 'brand', weight: 0, token: t }]);
  for (const [w, weight] of vocabulary.lure) wordEntries.push([w, { word: w, kind: 'lure', weight }]);
  for (const w of vocabulary.commonWords)
    if (!vocabulary.lure.has(w)) wordEntries.push([w, { word: w, kind: 'common', weight: 0 }]);
  // Misspellings read as the word they misspell, so `storrageloogin` splits into `storage` + `login`.
  const tokenTexts = new Set(tokens.map((t) => t.token));
  for (const [variant, w] of vocabulary.misspellings ?? []) {
    if (tokenTexts.has(variant)) continue;
    const weight = vocabulary.lure.get(w);
    wordEntries.push([
      variant,
      weight === undefined
        ? { word: w, kind: 'common', weight: 0, misspelt: variant }
        : { word: w, kind: 'lure', weight, misspelt: variant },
    ]);
  }

  const vocabularyWords: string[] = [];
  for (const w of new Set([...vocabulary.lure.keys(), ...vocabulary.commonWords]))
    if (w.length >= cfg.fuzzy.misspellingMinLength && /^[a-z]+$/.test(w)) vocabularyWords.push(w);
  const brandEntries = tokens.map((t) => [t.skeleton, t] as const);
  const inputs: IndexInputs = {
    tokens,
    brandEntries,
    brandFlags: tokens.map(brandFlag),
    wordEntries,
    wordFlags: wordEntries.map(([, w]) => wordFlag(w)),
    vocabularyWords,
    fuzzyPrefix: FUZZY_PREFIX,
  };
  let parts = prebuilt === 'use' ? readPrebuiltIndex(inputs) : undefined;
  if (parts === undefined) {
    parts = buildParts(inputs);
    if (prebuilt === 'write') writePrebuiltIndex(inputs, parts);
  }

  return {
    profiles,
    tokens,
    owners,
    ownerOf: (registrable, label) =>
      owners.get(registrable) ??
      (ownedLabels.size === 0
        ? undefined
        : ownedLabels.get(label ?? registrable.slice(0, registrable.indexOf('.')))),
    ownedLabels: [...ownedLabels.keys()],
    tokenPrefixes: tokenPrefixes(tokens),
    bySkeleton,
    byToken,
    tokenHashes: parts.tokenHashes,
    exact: parts.exact,
    fuzzy: parts.fuzzy,
    fuzzyMinLength,
    fuzzyMaxLength,
    fuzzy2MinLength,
    fuzzy2MaxLength,
    brandAutomaton: parts.brandAutomaton,
    words: parts.words,
    vocabularyFuzzy: parts.vocabularyFuzzy,
    vocabulary,
  };
}

const brandFlag = (t: BrandToken): number => ANY_TOKEN | (t.cls === 'distinctive' ? DISTINCTIVE_TOKEN : 0);
const wordFlag = (w: WordHit): number =>
  (w.kind === 'brand' ? BRAND_WORD : w.kind === 'lure' ? LURE_WORD : 0) |
  (w.misspelt === undefined ? 0 : MISSPELT_WORD);

/** The deletion indexes and the automata, built (what a prebuilt file holds). */
export function buildParts(inputs: IndexInputs): IndexParts {
  const exact = new DeletionIndex<BrandToken>(0);
  const tokenHashes = new DeletionIndex<BrandToken>(0);
  for (const t of inputs.tokens) {
    exact.add(t.skeleton, 0, t);
    tokenHashes.add(t.token, 0, t);
  }
  const fuzzy = new DeletionIndex<BrandToken>(2, inputs.fuzzyPrefix, true);
  for (const t of inputs.tokens) if (t.maxEdits > 0) fuzzy.add(t.skeleton, t.maxEdits, t);
  const vocabularyFuzzy = new DeletionIndex<string>(1, inputs.fuzzyPrefix, true);
  for (const w of inputs.vocabularyWords) vocabularyFuzzy.add(w, 1, w);
  const brandFlags = new Map(inputs.tokens.map((t, i) => [t, inputs.brandFlags[i] as number] as const));
  const wordFlags = new Map(
    inputs.wordEntries.map(([, w], i) => [w, inputs.wordFlags[i] as number] as const),
  );
  return {
    exact,
    tokenHashes,
    fuzzy,
    vocabularyFuzzy,
    brandAutomaton: new TokenAutomaton(inputs.brandEntries, (t) => brandFlags.get(t) as number),
    words: new TokenAutomaton(inputs.wordEntries, (w) => wordFlags.get(w) as number),
  };
}

/** Every proper prefix of every token as written, cut at UTF-16 offsets as labels are. */
function tokenPrefixes(tokens: readonly BrandToken[]): Set<string> {
  const prefixes = new Set<string>();
  for (const { token } of tokens)
    for (let end = 1; end < token.length; end++) prefixes.add(token.slice(0, end));
  return prefixes;
}
