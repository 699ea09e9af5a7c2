/**
 * Visual skeletons: two labels that look alike get the same skeleton. Built from UTS #39
 * confusables (the standard's prototype mapping), extended in three ways because phishers aim at the
 * eye, not the standard: diacritics are dropped (`é` reads as `e` in an address bar), Latin letters with
 * hooks and small capitals map to their base letter (`data/unicode/latin-letter-variants.txt`), and
 * ASCII look-alikes fold together (`rn`→`m`, `vv`→`w`, `0`→`o`, `1`/`i`→`l`…).
 * @module
 */
import { readFileSync } from 'node:fs';
import { dataPath } from './package-paths.js';

const MARKS = /\p{M}/gu;

/**
 * Single ASCII characters that read as another at a glance. Applied to brand tokens and candidate labels
 * alike, so a merge only matters when a whole label collides with a brand.
 */
const ASCII_SINGLE: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'l',
  i: 'l',
  '|': 'l',
  u: 'v',
  e: 'c',
  q: 'g',
};
/** Pairs that render as one letter in most sans-serif fonts; checked after the single folds. */
export const ASCII_PAIRS: Readonly<Record<string, string>> = { rn: 'm', nn: 'm', rr: 'm', vv: 'w', cl: 'd' };

export interface SkeletonMap {
  /** Skeleton of a label (Unicode form, lower case). */
  skeleton(label: string): string;
  /** Characters of `label` that the confusable tables changed, for explanations. */
  confusedChars(label: string): string[];
  /**
   * For each position of `skeleton(label)`, the offset in `label` it came from, plus `label.length` at
   * the end: explanations quote the text as written, not its skeleton.
   */
  offsets(label: string): number[];
}

/** Parses UTS #39 `confusables.txt` and the Latin-variants table into one code point → prototype map. */
export function loadConfusables(
  confusablesPath = dataPath('unicode', 'confusables.txt'),
  variantsPath = dataPath('unicode', 'latin-letter-variants.txt'),
): Map<number, string> {
  const map = new Map<number, string>();
  for (const line of readFileSync(confusablesPath, 'utf8').split('\n')) {
    const m = /^([0-9A-F]{4,6})\s*;\s*([0-9A-F ]+?)\s*;/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const target = m[2]
      .split(' ')
      .map((h) => String.fromCodePoint(Number.parseInt(h, 16)))
      .join('');
    map.set(Number.parseInt(m[1], 16), target);
  }
  for (const line of readFileSync(variantsPath, 'utf8').split('\n')) {
    const m = /^([0-9A-F]{4,6}) ; ([a-z]) ;/.exec(line);
    if (m?.[1] && m[2]) map.set(Number.parseInt(m[1], 16), m[2]);
  }
  return map;
}

/**
 * @param prototypes the confusables map, or a function loading it: by default the shipped tables are
 *   read on the first non-ASCII character, so runs over ASCII names never parse them (start-up).
 */
export function createSkeletonMap(
  prototypes: ReadonlyMap<number, string> | (() => ReadonlyMap<number, string>) = () => loadConfusables(),
): SkeletonMap {
  // Per code point results are cached: the alphabet seen in a feed is small.
  const cache = new Map<number, string>();
  let table = typeof prototypes === 'function' ? undefined : prototypes;
  const foldChar = (cp: number): string => {
    const hit = cache.get(cp);
    if (hit !== undefined) return hit;
    if (table === undefined) table = (prototypes as () => ReadonlyMap<number, string>)();
    let out = '';
    for (const ch of String.fromCodePoint(cp).normalize('NFD').replace(MARKS, '')) {
      const proto = table.get(ch.codePointAt(0) ?? 0) ?? ch;
      // Prototypes may themselves carry overlays (`ɇ` → `e` + U+0338); drop them like diacritics.
      out += proto.normalize('NFD').replace(MARKS, '').toLowerCase();
    }
    cache.set(cp, out);
    return out;
  };
  const toAsciiish = (label: string): string => {
    let ascii = true;
    for (let i = 0; i < label.length && ascii; i++) if (label.charCodeAt(i) > 127) ascii = false;
    if (ascii) return label;
    // By code point, as `for…of` would step (a lone surrogate is one step), without a string per step.
    let out = '';
    for (let i = 0; i < label.length; ) {
      const cp = label.codePointAt(i) as number;
      out += foldChar(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return out;
  };
  return {
    // `foldAscii(toAsciiish(label))`, with the folded characters written as codes rather than joined
    // into a string that `foldAscii` would read back.
    skeleton: (label) => {
      let ascii = true;
      for (let i = 0; i < label.length && ascii; i++) if (label.charCodeAt(i) > 127) ascii = false;
      if (ascii) return foldAscii(label);
      let codes = UNICODE_SCRATCH;
      let k = 0;
      for (let i = 0; i < label.length; ) {
        const cp = label.codePointAt(i) as number;
        const folded = foldChar(cp);
        if (k + folded.length > codes.length) {
          const bigger = new Uint16Array(2 * (k + folded.length));
          bigger.set(codes.subarray(0, k));
          codes = UNICODE_SCRATCH = bigger;
        }
        for (let j = 0; j < folded.length; j++) codes[k++] = folded.charCodeAt(j);
        i += cp > 0xffff ? 2 : 1;
      }
      return foldCodes(codes, k);
    },
    offsets: (label) => {
      const codes: number[] = [];
      const from: number[] = [];
      // Mirrors `toAsciiish` then `foldAscii`, recording where each output character came from.
      const ascii = toAsciiish(label) === label;
      for (let i = 0; i < label.length; ) {
        const cp = label.codePointAt(i) ?? 0;
        const width = cp > 0xffff ? 2 : 1;
        const folded = ascii ? String.fromCharCode(cp) : foldChar(cp);
        for (let k = 0; k < folded.length; k++) {
          const c = folded.charCodeAt(k);
          codes.push(c < 128 ? (SINGLE_CODES[c] as number) : c);
          from.push(i);
        }
        i += width;
      }
      const out: number[] = [];
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i] as number;
        out.push(from[i] as number);
        const next = i + 1 < codes.length ? (codes[i + 1] as number) : 128;
        if (c < 128 && next < 128 && PAIR_TABLE[(c << 7) | next] !== 0) i++;
      }
      out.push(label.length);
      return out;
    },
    confusedChars: (label) => {
      const out: string[] = [];
      for (const ch of label) {
        const cp = ch.codePointAt(0) ?? 0;
        const folded = cp < 128 ? (ASCII_SINGLE[ch] ?? ch) : foldChar(cp);
        if (folded !== ch && !out.includes(ch)) out.push(ch);
      }
      return out;
    },
  };
}

/** Folds ASCII look-alikes: single characters first, then pairs, left to right. */
export function foldAscii(label: string): string {
  const n = label.length;
  const codes = n <= SCRATCH.length ? SCRATCH : new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = label.charCodeAt(i);
  return foldCodes(codes, n, label);
}

/**
 * `foldAscii` of the text `codes[0, n)`, folded in place; `text`, when given, is that text as a
 * string, returned when nothing folds.
 */
function foldCodes(codes: Uint16Array, n: number, text?: string): string {
  let changed = false;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    const f = c < 128 ? (SINGLE_CODES[c] as number) : c;
    if (f !== c) changed = true;
    codes[k++] = f;
  }
  // Pairs, on the folded codes (`rn`, `vv`…); a pair folds to one code, so the output only shrinks.
  let out = 0;
  for (let i = 0; i < k; i++) {
    const c = codes[i] as number;
    const next = i + 1 < k ? (codes[i + 1] as number) : 128;
    const pair = c < 128 && next < 128 ? (PAIR_TABLE[(c << 7) | next] as number) : 0;
    if (pair !== 0) {
      codes[out++] = pair;
      changed = true;
      i++;
    } else codes[out++] = c;
  }
  if (!changed && text !== undefined) return text;
  const chars: number[] = new Array(out);
  for (let i = 0; i < out; i++) chars[i] = codes[i] as number;
  return String.fromCharCode.apply(null, chars);
}

/**
 * `foldAscii(label.slice(start, end))` written as character codes into `out` from `at` on, for
 * pre-filters that hash the skeleton without building it; with `dropHyphens`, of the range with its
 * hyphens removed first. Returns the end offset in `out`, or -1 when the range holds non-ASCII
 * characters (whose skeleton needs the confusables table).
 */
export function foldAsciiCodes(
  label: string,
  start: number,
  end: number,
  out: Uint16Array,
  dropHyphens = false,
  at = 0,
): number {
  // One pass: each folded character waits until the next one shows whether the two form a pair
  // (greedy, left to right, as `foldAscii` folds them).
  let k = at;
  let pending = -1;
  for (let i = start; i < end; i++) {
    const c = label.charCodeAt(i);
    if (c > 0x7f) return -1;
    if (c === HYPHEN && dropHyphens) continue;
    const f = SINGLE_CODES[c] as number;
    if (pending < 0) pending = f;
    else {
      const pair = PAIR_TABLE[(pending << 7) | f] as number;
      if (pair !== 0) {
        out[k++] = pair;
        pending = -1;
      } else {
        out[k++] = pending;
        pending = f;
      }
    }
  }
  if (pending >= 0) out[k++] = pending;
  return k;
}

const HYPHEN = 0x2d;

// Lookup tables for foldAscii: one array read per character instead of an object lookup.
const SCRATCH = new Uint16Array(256);
// The folded characters of a non-ASCII label (`skeleton`), grown when a label needs more.
let UNICODE_SCRATCH = new Uint16Array(256);
const SINGLE_CODES = new Uint16Array(128).map((_, c) =>
  (ASCII_SINGLE[String.fromCharCode(c)] ?? String.fromCharCode(c)).charCodeAt(0),
);
const PAIR_TABLE = new Uint16Array(128 * 128);
for (const [pair, to] of Object.entries(ASCII_PAIRS))
  PAIR_TABLE[(pair.charCodeAt(0) << 7) | pair.charCodeAt(1)] = to.charCodeAt(0);
