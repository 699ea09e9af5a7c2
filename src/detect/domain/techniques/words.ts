/**
 * Splits a label into known words (brand tokens, lure words, common words). Glued labels are how
 * combosquats and lures are written (`docdrive`, `loginmicrosoft`); a label that splits completely into
 * known words says more than one that merely contains a word somewhere (`olive` contains `live`).
 * @module
 */
import type { WordHit } from '../brand-index.js';
import type { AutomatonMatch } from '../token-automaton.js';
import type { Engine } from './context.js';

export interface Segment {
  readonly text: string;
  readonly start: number;
  /** The words covering the segment completely (fewest words), or undefined when it does not split. */
  readonly cover: readonly AutomatonMatch<WordHit>[] | undefined;
  /** Every word occurrence inside the segment. */
  readonly hits: readonly AutomatonMatch<WordHit>[];
}

export interface Segmentation {
  readonly segments: readonly Segment[];
  /** Every word occurrence in the whole label, also across hyphens and digits (`office365`). */
  readonly matches: readonly AutomatonMatch<WordHit>[];
}

const isSeparator = (c: number): boolean => c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39);

/** Splits at hyphens and digits, then covers each part with words when possible. */
export function segmentLabel(engine: Engine, label: string): Segmentation {
  const matches = engine.index.words.matches(label);
  const segments: Segment[] = [];
  // Matches come ordered by end offset, so each segment's hits are found by one forward scan.
  let first = 0;
  for (let start = 0; start < label.length; ) {
    if (isSeparator(label.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < label.length && !isSeparator(label.charCodeAt(end))) end++;
    while (first < matches.length && (matches[first] as AutomatonMatch<WordHit>).end <= start) first++;
    const hits: AutomatonMatch<WordHit>[] = [];
    for (let i = first; i < matches.length; i++) {
      const m = matches[i] as AutomatonMatch<WordHit>;
      if (m.end > end) break;
      if (m.start >= start) hits.push(m);
    }
    segments.push({ text: label.slice(start, end), start, hits, cover: cover(hits, start, end) });
    start = end;
  }
  return { segments, matches };
}

// Scratch for `cover`, grown on demand (labels are at most 63 characters).
let BEST = new Float64Array(64);
const VIA: (AutomatonMatch<WordHit> | undefined)[] = [];

/** Fewest-words cover of [start, end) by `hits`, by dynamic programming over end offsets. */
function cover(
  hits: readonly AutomatonMatch<WordHit>[],
  start: number,
  end: number,
): AutomatonMatch<WordHit>[] | undefined {
  const n = end - start;
  if (hits.length === 0) return undefined;
  if (BEST.length <= n) BEST = new Float64Array(n + 1);
  BEST.fill(Number.POSITIVE_INFINITY, 0, n + 1);
  VIA.fill(undefined, 0, n + 1);
  BEST[0] = 0;
  // Hits arrive ordered by end offset, so every prefix is final before it is extended.
  for (const h of hits) {
    const s = h.start - start;
    const e = h.end - start;
    const cand = (BEST[s] as number) + 1;
    if (cand < (BEST[e] as number)) {
      BEST[e] = cand;
      VIA[e] = h;
    }
  }
  if (!Number.isFinite(BEST[n] as number)) return undefined;
  const out: AutomatonMatch<WordHit>[] = [];
  for (let e = n; e > 0; ) {
    const h = VIA[e] as AutomatonMatch<WordHit>;
    out.push(h);
    e = h.start - start;
  }
  return out.reverse();
}
