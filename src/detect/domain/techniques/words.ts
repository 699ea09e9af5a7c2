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

const SEPARATOR = /[-_0-9]+/g;

export interface Segmentation {
  readonly segments: readonly Segment[];
  /** Every word occurrence in the whole label, also across hyphens and digits (`office365`). */
  readonly matches: readonly AutomatonMatch<WordHit>[];
}

/** Splits at hyphens and digits, then covers each part with words when possible. */
export function segmentLabel(engine: Engine, label: string): Segmentation {
  const matches = engine.index.words.matches(label);
  const segments: Segment[] = [];
  let last = 0;
  const push = (start: number, end: number): void => {
    if (end <= start) return;
    const hits = matches.filter((m) => m.start >= start && m.end <= end);
    segments.push({ text: label.slice(start, end), start, hits, cover: cover(hits, start, end) });
  };
  for (const m of label.matchAll(SEPARATOR)) {
    push(last, m.index);
    last = m.index + m[0].length;
  }
  push(last, label.length);
  return { segments, matches };
}

/** Fewest-words cover of [start, end) by `hits`, by dynamic programming over end offsets. */
function cover(
  hits: readonly AutomatonMatch<WordHit>[],
  start: number,
  end: number,
): AutomatonMatch<WordHit>[] | undefined {
  const n = end - start;
  const best = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const via = new Array<AutomatonMatch<WordHit> | undefined>(n + 1);
  best[0] = 0;
  // Hits arrive ordered by end offset, so every prefix is final before it is extended.
  for (const h of hits) {
    const s = h.start - start;
    const e = h.end - start;
    const cand = (best[s] as number) + 1;
    if (cand < (best[e] as number)) {
      best[e] = cand;
      via[e] = h;
    }
  }
  if (!Number.isFinite(best[n] as number)) return undefined;
  const out: AutomatonMatch<WordHit>[] = [];
  for (let e = n; e > 0; ) {
    const h = via[e] as AutomatonMatch<WordHit>;
    out.push(h);
    e = h.start - start;
  }
  return out.reverse();
}
