/**
 * Brand look-alikes in the label the registrant chose: exact token under a foreign suffix (TLD swap),
 * visual look-alikes (homoglyph), one or two edits (typos, named as dnstwist names its fuzzers),
 * hyphenation and dot insertion.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BrandIndex, BrandToken } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { classifyEdit, type EditKind, osaDistance } from '../edit-distance.js';
import { dataPath } from '../package-paths.js';
import { ASCII_PAIRS, foldAsciiCodes } from '../skeleton.js';
import {
  brandName,
  type Engine,
  type Finding,
  finding,
  type LabelView,
  type NameView,
  quote,
} from './context.js';

const NO_TOKENS: readonly BrandToken[] = [];

const FOLDED = new Uint16Array(256);
const JOINED = new Uint16Array(512);

/** Whether `left` and `label` joined (hyphens dropped) could be a token as written: one hash probe. */
function mayBeJoinedToken(index: BrandIndex, left: string, label: string): boolean {
  let n = 0;
  for (let i = 0; i < left.length; i++) {
    const c = left.charCodeAt(i);
    if (c !== 0x2d) JOINED[n++] = c;
  }
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c !== 0x2d) JOINED[n++] = c;
  }
  return index.tokenHashes.hasAnyCodes(JOINED, n, 0);
}

const fuzzyDepth = (index: BrandIndex, length: number): number =>
  length >= index.fuzzy2MinLength && length <= index.fuzzy2MaxLength ? 2 : 1;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

const EDIT_SIGNAL: Record<EditKind, string> = {
  omission: S.omission,
  insertion: S.insertion,
  addition: S.addition,
  repetition: S.repetition,
  replacement: S.replacement,
  bitsquatting: S.bitsquatting,
  'vowel-swap': S.vowelSwap,
  transposition: S.transposition,
  substitution: S.substitution,
};

/**
 * Whether `text[start, end)` (hyphens dropped when `dropHyphens`) could match a brand token exactly, by
 * look-alike or within the fuzzy distance: `matchLabel`'s pre-filter. Most labels are near no token,
 * which this proves on folded character codes before any string is built.
 */
export function mayMatchLabel(
  index: BrandIndex,
  text: string,
  start: number,
  end: number,
  dropHyphens: boolean,
): boolean {
  const n = foldAsciiCodes(text, start, end, FOLDED, dropHyphens);
  if (n < 0 || index.exact.hasAnyCodes(FOLDED, n, 0)) return true;
  if (n < index.fuzzyMinLength || n > index.fuzzyMaxLength) return false;
  const depth = fuzzyDepth(index, n);
  if (!index.fuzzy.hasAnyCodes(FOLDED, n, depth)) return false;
  // The index matches on prefixes, so with many brands unrelated labels share a variant with some
  // token; a candidate only counts when its length is within its edit budget of the label's.
  const candidates: BrandToken[] = [];
  index.fuzzy.collectCodes(FOLDED, n, depth, candidates);
  for (let c = 0; c < candidates.length; c++) {
    const t = candidates[c] as BrandToken;
    if (Math.abs(t.skeleton.length - n) <= t.maxEdits) return true;
  }
  return false;
}

type MatchMode = 'label' | 'hyphenated' | 'part';

/** Tokens at least this long are read through ASCII look-alikes plus one edit. */
const LOOKALIKE_EDIT_MIN = 8;

/** A common, lure or English word near a brand token: text that is a word is not that brand misspelt. */
function isWord(index: BrandIndex, text: string): boolean {
  const v = index.vocabulary;
  return v.commonWords.has(text) || v.lure.has(text) || v.brandNearWords?.has(text) === true;
}

/**
 * Matches one label (Unicode, hyphens removed) against the brand tokens. `skel` is its skeleton and
 * `candidates` its fuzzy-index candidates, when the caller has them already.
 */
export function matchLabel(
  engine: Engine,
  label: string,
  mode: MatchMode,
  out: Finding[],
  skel: string = engine.skeletons.skeleton(label),
  candidates?: BrandToken[],
): boolean {
  const from = out.length;
  const found = matchLabelAll(engine, label, mode, out, skel, candidates);
  keepStrongestReading(out, from);
  return found;
}

/**
 * One label is at most one brand misspelt: when it reads as several (`idrive` is one edit from two
 * products' `gdrive` and `odrive`), those are alternative explanations, not evidence that adds up; the
 * strongest stays (the first of equals, as the engine picks the brand).
 */
function keepStrongestReading(out: Finding[], from: number): void {
  if (out.length - from < 2) return;
  let best = from;
  for (let i = from + 1; i < out.length; i++)
    if ((out[i] as Finding).signal.weight > (out[best] as Finding).signal.weight) best = i;
  const keep = out[best] as Finding;
  const brand = keep.token?.brand;
  // Readings of the same brand (a product and the brand itself) stay: they name one impersonation.
  let k = from;
  for (let i = from; i < out.length; i++) {
    const f = out[i] as Finding;
    if (f === keep || f.token?.brand === brand) out[k++] = f;
  }
  out.length = k;
}

function matchLabelAll(
  engine: Engine,
  label: string,
  mode: MatchMode,
  out: Finding[],
  skel: string,
  candidates: BrandToken[] | undefined,
): boolean {
  const { index, config: cfg } = engine;
  const ascii = isAscii(label);
  let found = false;
  for (const t of index.bySkeleton.get(skel) ?? NO_TOKENS) {
    found = true;
    if (label === t.token) {
      // A part that is exactly a token is a combination, which the combosquat technique explains.
      if (mode === 'part') continue;
      if (mode === 'hyphenated')
        out.push(
          finding(S.hyphenation, cfg.weights.hyphenation[t.cls], `${brandName(t)} split by hyphens`, t),
        );
      else
        out.push(
          finding(
            S.tldSwap,
            // Three letters are an acronym many organisations share under their own suffixes (`dnb.no`,
            // `dnb.de`): alone that is not enough, with an abused TLD or a lure it is.
            t.token.length <= 3
              ? Math.min(cfg.weights.tldSwap[t.cls], cfg.weights.tldSwapAcronym)
              : cfg.weights.tldSwap[t.cls],
            `${brandName(t)} under a suffix the brand does not own`,
            t,
          ),
        );
    } else if (t.token.length > 3 || !ascii) out.push(homoglyph(engine, label, t, 0));
  }
  if (found || skel.length < index.fuzzyMinLength || skel.length > index.fuzzyMaxLength) return found;
  // A real word one edit from a brand (`cloud` and `icloud`, `mail` and `gmail`, `telecom` and
  // `telekom`) is a word, not a typo.
  if (isWord(index, label)) return found;

  if (candidates === undefined) {
    candidates = [];
    index.fuzzy.collect(skel, 0, skel.length, fuzzyDepth(index, skel.length), candidates);
  }
  for (let c = 0; c < candidates.length; c++) {
    const t = candidates[c] as BrandToken;
    const d = osaDistance(skel, t.skeleton, t.maxEdits);
    if (d === 0 || d > t.maxEdits) continue;
    found = true;
    const raw = osaDistance(label, t.token, 2);
    if (raw === 1) {
      const edit = classifyEdit(t.token, label);
      const weight =
        t.declaredGeneric && t.token.length >= 6 ? cfg.weights.typo1LongWord : cfg.weights.typo1[t.cls];
      out.push(
        finding(EDIT_SIGNAL[edit.kind], weight, `${quote(label)} is ${brandName(t)} with ${edit.what}`, t),
      );
    } else if (!ascii) out.push(homoglyph(engine, label, t, d));
    else if (raw > d) {
      // ASCII look-alikes plus an edit only count for long distinctive tokens: short words, and names of
      // six or seven letters (`llama` for `klarna`, `aramco` for `aramex`), are one fold and one edit
      // away from too much of the dictionary and of other companies' names.
      if (
        d === 1 &&
        t.cls === 'distinctive' &&
        t.token.length >= LOOKALIKE_EDIT_MIN &&
        !pairInWord(label, t.token)
      )
        out.push(homoglyph(engine, label, t, d));
    }
    // Products are often brand plus word (`dhlexpress`); two edits there reach other brands' words, as
    // they do from a brand made of everyday words (`interbank`: `interlink`, `interpark`).
    else if (t.role === 'brand' && t.cls === 'distinctive' && !otherCompound(index, label, t.token))
      out.push(finding(S.edit2, cfg.weights.typo2, `${quote(label)} is two edits from ${brandName(t)}`, t));
  }
  return found;
}

let pairWords: ReadonlySet<string> | undefined;

/**
 * Whether a letter pair the skeleton folds as one letter (`rn` as `m`) stands, in `label`, inside an
 * English word of five letters or more (data/pair-words.txt): `baycorner` holds `corner`, whose `rn` is
 * its own spelling, so reading it as `bancomer` (`m` from `rn`, plus an edit) is a coincidence, not a
 * disguise. Pairs the token itself holds are left alone. Read on first use: few labels get this far.
 */
function pairInWord(label: string, token: string): boolean {
  for (const pair of PAIRS) {
    if (token.includes(pair)) continue;
    for (let i = label.indexOf(pair); i >= 0; i = label.indexOf(pair, i + 1)) {
      pairWords ??= new Set(
        readFileSync(dataPath('pair-words.txt'), 'utf8')
          .split('\n')
          .filter((w) => w !== '' && !w.startsWith('#')),
      );
      for (let start = Math.max(0, i - 10); start <= i; start++)
        for (let end = Math.max(i + 2, start + 5); end <= Math.min(label.length, start + 12); end++)
          if (pairWords.has(label.slice(start, end))) return true;
    }
  }
  return false;
}

const PAIRS = Object.keys(ASCII_PAIRS);

/**
 * Whether `label` keeps one part of `token` and puts a common word in place of the rest (`mediapost`
 * and `indiapost`, `coinpost` and `chinapost`): two edits apart, but another compound, not the brand
 * misspelt twice.
 */
function otherCompound(index: BrandIndex, label: string, token: string): boolean {
  const words = index.vocabulary.commonWords;
  for (let k = 3; k <= label.length - 3; k++) {
    const head = label.slice(0, k);
    const tail = label.slice(k);
    if (token.endsWith(tail) && !token.startsWith(head) && words.has(head)) return true;
    if (token.startsWith(head) && !token.endsWith(tail) && words.has(tail)) return true;
  }
  return false;
}

export function homoglyph(engine: Engine, label: string, t: BrandToken, edits: number): Finding {
  const w = engine.config.weights;
  const chars = engine.skeletons.confusedChars(label).filter((c) => !t.token.includes(c));
  const unicode = chars.some((c) => c.charCodeAt(0) > 127);
  const base = unicode ? w.homoglyphUnicode : w.homoglyphAscii[t.cls];
  // Each extra edit beyond the look-alikes weakens the resemblance a little.
  const weight = edits === 0 ? base : Math.min(base - 10 * edits, Math.max(w.typo1[t.cls], w.typo2));
  const what =
    chars.length > 0
      ? ` (look-alike characters ${chars.map(quote).join(', ')})`
      : ' (look-alike letter pairs)';
  const extra = edits > 0 ? ` plus ${edits} edit${edits > 1 ? 's' : ''}` : '';
  return finding(S.homoglyph, weight, `${quote(label)} reads as ${brandName(t)}${what}${extra}`, t);
}

/** The string of `codes[from, from + n)`. */
function codesToString(codes: Uint16Array, from: number, n: number): string {
  const chars: number[] = new Array(n);
  for (let i = 0; i < n; i++) chars[i] = codes[from + i] as number;
  return String.fromCharCode.apply(null, chars);
}

/**
 * `mayMatchLabel` then `matchLabel` for an ASCII text whose skeleton is `codes[from, from + n)`: the
 * pre-filter's probes and candidates are reused, and the text (`view.target`, `view.bare` in
 * `hyphenated` mode, `view.target[start, end)` in `part` mode) and its skeleton string are only built
 * when the pre-filter passes.
 */
function matchFolded(
  engine: Engine,
  codes: Uint16Array,
  from: number,
  n: number,
  view: LabelView,
  mode: MatchMode,
  start: number,
  end: number,
  out: Finding[],
): boolean {
  const { index } = engine;
  let candidates: BrandToken[] | undefined;
  let text: string | undefined;
  if (!index.exact.hasAnyCodes(codes, n, 0, from)) {
    if (n < index.fuzzyMinLength || n > index.fuzzyMaxLength) return false;
    const depth = fuzzyDepth(index, n);
    if (!index.fuzzy.hasAnyCodes(codes, n, depth, from)) return false;
    // No token has this skeleton, so a real word is no match at all (see `matchLabel`).
    text = textOf(view, mode, start, end);
    if (isWord(index, text)) return false;
    candidates = [];
    index.fuzzy.collectCodes(codes, n, depth, candidates, from);
    // See `mayMatchLabel`: a candidate only counts when its length is within its edit budget.
    let near = false;
    for (let c = 0; c < candidates.length && !near; c++) {
      const t = candidates[c] as BrandToken;
      near = Math.abs(t.skeleton.length - n) <= t.maxEdits;
    }
    if (!near) return false;
  }
  text ??= textOf(view, mode, start, end);
  return matchLabel(engine, text, mode, out, codesToString(codes, from, n), candidates);
}

const textOf = (view: LabelView, mode: MatchMode, start: number, end: number): string =>
  mode === 'label' ? view.target : mode === 'hyphenated' ? view.bare : view.target.slice(start, end);

/**
 * The technique on the chosen label and its hyphen-separated parts. Returns whether the label matched
 * as a whole (then dot insertion, `dotInsertion`, is not looked for). `folded[0, foldedLength)` is the
 * label's skeleton with hyphens kept when it is ASCII (`foldAsciiCodes`), and `foldedLength` -1 when not.
 */
export function brandLookalikes(
  engine: Engine,
  view: LabelView,
  folded: Uint16Array,
  foldedLength: number,
  out: Finding[],
): boolean {
  const label = view.target;
  const hyphenated = label.includes('-');
  if (foldedLength < 0) return brandLookalikesUnicode(engine, view, hyphenated, out);
  let whole: boolean;
  if (!hyphenated) whole = matchFolded(engine, folded, 0, foldedLength, view, 'label', 0, 0, out);
  else {
    // Hyphens are dropped before folding (`r-n` reads as `m`), so this skeleton is folded anew.
    const n = foldAsciiCodes(label, 0, label.length, FOLDED, true);
    whole = matchFolded(engine, FOLDED, 0, n, view, 'hyphenated', 0, 0, out);
  }
  if (!whole && hyphenated) {
    // `microsft-login`: a typo of the brand inside a combination; the combosquat detector sees the rest.
    // A part's skeleton is the run of the label's skeleton between the same hyphens (no fold spans one).
    for (let start = 0, f = 0; start <= label.length; ) {
      let end = label.indexOf('-', start);
      if (end < 0) end = label.length;
      let fe = f;
      while (fe < foldedLength && folded[fe] !== 0x2d) fe++;
      if (end - start >= 4) matchFolded(engine, folded, f, fe - f, view, 'part', start, end, out);
      start = end + 1;
      f = fe + 1;
    }
  }
  return whole;
}

/** `brandLookalikes` for a label with non-ASCII characters (its skeleton needs the confusables table). */
function brandLookalikesUnicode(
  engine: Engine,
  view: LabelView,
  hyphenated: boolean,
  out: Finding[],
): boolean {
  const { index } = engine;
  const label = view.target;
  // Without hyphens the text is the label itself, whose skeleton the view keeps for the automaton pass
  // that follows (`analyzeLabel`): computed once.
  const whole =
    mayMatchLabel(index, label, 0, label.length, true) &&
    (hyphenated
      ? matchLabel(engine, view.bare, 'hyphenated', out)
      : matchLabel(engine, label, 'label', out, view.skeleton));
  if (!whole && hyphenated) {
    // `microsft-login`: a typo of the brand inside a combination; the combosquat detector sees the rest.
    for (let start = 0; start <= label.length; ) {
      let end = label.indexOf('-', start);
      if (end < 0) end = label.length;
      if (end - start >= 4 && mayMatchLabel(index, label, start, end, false))
        matchLabel(engine, label.slice(start, end), 'part', out);
      start = end + 1;
    }
  }
  return whole;
}

/**
 * `index.tokenPrefixes.has(label)`, first rejecting (by one table read) the labels whose first two
 * characters start no token: most subdomain labels (`www`, `cdn`), which then skip hashing the string.
 */
function isTokenPrefix(index: BrandIndex, label: string): boolean {
  if (label.length >= 2) {
    // The table of the index last asked about, checked by identity: a WeakMap look-up per name cost
    // more than the hashing it saves.
    if (pairsOf !== index) {
      pairs = TOKEN_PAIRS.get(index);
      if (pairs === undefined) {
        pairs = new Uint8Array(1 << 16);
        for (const token of index.byToken.keys()) if (token.length >= 2) pairs[pairKey(token)] = 1;
        TOKEN_PAIRS.set(index, pairs);
      }
      pairsOf = index;
    }
    if ((pairs as Uint8Array)[pairKey(label)] === 0) return false;
  }
  return index.tokenPrefixes.has(label);
}

let pairsOf: BrandIndex | undefined;
let pairs: Uint8Array | undefined;

/** The first two characters of a string of two or more, as a 16-bit key (distinct for ASCII). */
const pairKey = (s: string): number => ((s.charCodeAt(0) & 0xff) << 8) | (s.charCodeAt(1) & 0xff);

/** Per brand index, the `pairKey`s of its tokens (`isTokenPrefix`). */
const TOKEN_PAIRS = new WeakMap<BrandIndex, Uint8Array>();

/** Dot insertion (`micro.soft.com`): the label left of the chosen one joined to it spells a token. */
export function dotInsertion(engine: Engine, view: NameView, out: Finding[]): void {
  const { index } = engine;
  const label = view.target;
  const left = view.subLabels[view.subLabels.length - 1];
  if (left === undefined || (!isTokenPrefix(index, left) && !left.includes('-'))) return;
  if (mayBeJoinedToken(index, left, label)) {
    // Only a label that is exactly a token once joined counts, so the lookup is by the token as written.
    const joined = (left.includes('-') ? left.replaceAll('-', '') : left) + view.bare;
    for (const t of index.byToken.get(joined) ?? NO_TOKENS) {
      out.push(
        finding(
          S.dotInsertion,
          engine.config.weights.hyphenation[t.cls],
          `${quote(`${left}.${view.target}`)} is ${brandName(t)} split by a dot`,
          t,
        ),
      );
    }
  }
}
