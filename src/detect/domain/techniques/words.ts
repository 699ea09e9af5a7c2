/**
 * Splits a label into known words (brand tokens, lure words, common words). Glued labels are how
 * combosquats and lures are written (`docdrive`, `loginmicrosoft`); a label that splits completely into
 * known words says more than one that merely contains a word somewhere (`olive` contains `live`).
 *
 * The result lives in typed buffers reused from one label to the next (scoring is synchronous): it is
 * valid until the next `segmentLabel` call, and building it allocates nothing once the buffers are big
 * enough.
 * @module
 */
import { BRAND_WORD, LURE_WORD, MISSPELT_WORD, type WordHit } from '../brand-index.js';
import type { Engine } from './context.js';

/**
 * Word occurrences and the label's segments (maximal runs without hyphens, underscores and digits),
 * each with the occurrences inside it and, when it splits completely into words, its fewest-words cover.
 */
export class Segmentation {
  label = '';
  /** `scanWords` has filled the matches of `label`; `segmentLabel` then only adds the segments. */
  scanned = false;
  /** Every word occurrence in the whole label (also across hyphens and digits: `office365`), by end. */
  matchCount = 0;
  matchStart = new Int32Array(64);
  matchEnd = new Int32Array(64);
  readonly matchHit: WordHit[] = [];
  segmentCount = 0;
  segmentStart = new Int32Array(32);
  segmentEnd = new Int32Array(32);
  /** Segment s's occurrences are the match indices `hits[hitsFrom[s], hitsFrom[s + 1])`. */
  hitsFrom = new Int32Array(33);
  hits = new Int32Array(64);
  /** Segment s's cover is `covers[coverFrom[s], coverFrom[s + 1])`, empty when it does not split. */
  coverFrom = new Int32Array(33);
  covers = new Int32Array(64);

  /** Whether segment `s` splits completely into words. */
  covered(s: number): boolean {
    return (this.coverFrom[s + 1] as number) > (this.coverFrom[s] as number);
  }
}

const SEGMENTATION = new Segmentation();

const isSeparator = (c: number): boolean => c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39);

/**
 * Finds every word occurrence in `label`, the first half of `segmentLabel` (which then reuses them),
 * and returns which kinds occur: `BRAND_WORD`, `LURE_WORD` (what `index.words.flags` answers).
 */
export function scanWords(engine: Engine, label: string): number {
  const w = SEGMENTATION;
  w.label = label;
  w.scanned = true;
  const automaton = engine.index.words;
  let count = automaton.scan(label, w.matchStart, w.matchEnd, w.matchHit);
  if (count > w.matchStart.length) {
    w.matchStart = new Int32Array(count * 2);
    w.matchEnd = new Int32Array(count * 2);
    count = automaton.scan(label, w.matchStart, w.matchEnd, w.matchHit);
  }
  w.matchCount = count;
  let flags = 0;
  for (let k = 0; k < count; k++) {
    const hit = w.matchHit[k] as WordHit;
    if (hit.kind === 'brand') flags |= BRAND_WORD;
    else if (hit.kind === 'lure') flags |= LURE_WORD;
    if (hit.misspelt !== undefined) flags |= MISSPELT_WORD;
  }
  return flags;
}

/** Splits at hyphens and digits, then covers each part with words when possible. */
export function segmentLabel(engine: Engine, label: string): Segmentation {
  const w = SEGMENTATION;
  if (!w.scanned || w.label !== label) scanWords(engine, label);
  w.scanned = false;
  const count = w.matchCount;
  if (w.hits.length < count) w.hits = new Int32Array(count * 2);
  if (w.covers.length < count) w.covers = new Int32Array(count * 2);
  if (w.segmentStart.length < label.length) {
    w.segmentStart = new Int32Array(label.length);
    w.segmentEnd = new Int32Array(label.length);
    w.hitsFrom = new Int32Array(label.length + 1);
    w.coverFrom = new Int32Array(label.length + 1);
  }
  const starts = w.matchStart;
  const ends = w.matchEnd;
  let segments = 0;
  let hits = 0;
  let covers = 0;
  // Matches come ordered by end offset, so each segment's hits are found by one forward scan.
  let first = 0;
  for (let start = 0; start < label.length; ) {
    if (isSeparator(label.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < label.length && !isSeparator(label.charCodeAt(end))) end++;
    while (first < count && (ends[first] as number) <= start) first++;
    const segmentHits = hits;
    for (let i = first; i < count; i++) {
      if ((ends[i] as number) > end) break;
      if ((starts[i] as number) >= start) w.hits[hits++] = i;
    }
    w.segmentStart[segments] = start;
    w.segmentEnd[segments] = end;
    w.hitsFrom[segments] = segmentHits;
    w.coverFrom[segments] = covers;
    covers += cover(w, segmentHits, hits, start, end, covers);
    segments++;
    start = end;
  }
  w.segmentCount = segments;
  w.hitsFrom[segments] = hits;
  w.coverFrom[segments] = covers;
  return w;
}

// Scratch for `cover`, grown on demand (labels are at most 63 characters).
let BEST = new Int32Array(64);
let VIA = new Int32Array(64);
const NONE = 0x7fffffff;

/**
 * Fewest-words cover of [start, end) by the hits `w.hits[from, to)`, by dynamic programming over end
 * offsets: writes the match indices of the cover, in order, at `w.covers[at…]` and returns how many
 * (0 when the segment does not split into words).
 */
function cover(w: Segmentation, from: number, to: number, start: number, end: number, at: number): number {
  const n = end - start;
  if (from === to) return 0;
  if (BEST.length <= n) {
    BEST = new Int32Array(n + 1);
    VIA = new Int32Array(n + 1);
  }
  BEST.fill(NONE, 0, n + 1);
  BEST[0] = 0;
  // Hits arrive ordered by end offset, so every prefix is final before it is extended.
  for (let k = from; k < to; k++) {
    const h = w.hits[k] as number;
    const s = (w.matchStart[h] as number) - start;
    const e = (w.matchEnd[h] as number) - start;
    const best = BEST[s] as number;
    if (best === NONE) continue;
    if (best + 1 < (BEST[e] as number)) {
      BEST[e] = best + 1;
      VIA[e] = h;
    }
  }
  const words = BEST[n] as number;
  if (words === NONE) return 0;
  // Backtrack from the end, writing the cover right to left.
  for (let e = n, k = at + words - 1; e > 0; k--) {
    const h = VIA[e] as number;
    w.covers[k] = h;
    e = (w.matchStart[h] as number) - start;
  }
  return words;
}
