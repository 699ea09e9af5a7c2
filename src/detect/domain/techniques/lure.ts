/**
 * Lure vocabulary and misspelled words in the chosen label. Lures work without any brand
 * (`docdrive-remittance`, `voicemailfilerecordings`); misspellings (`clloud`, `admiin`) are how
 * phishers get a name that looks familiar and is still free to register.
 * @module
 */
import { osaDistance } from '../edit-distance.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type NameView, quote } from './context.js';
import type { Segment } from './words.js';

/** Glued lure words at least this long are unambiguous even when the rest of the segment is not words. */
const UNAMBIGUOUS_LURE = 6;

export function lureVocabulary(
  engine: Engine,
  view: NameView,
  segments: readonly Segment[],
  out: Finding[],
): void {
  const words = new Map<string, number>();
  for (const seg of segments) {
    const hits = seg.cover ?? seg.hits.filter((h) => h.value.word.length >= UNAMBIGUOUS_LURE);
    for (const h of hits) if (h.value.kind === 'lure') words.set(h.value.word, h.value.weight);
  }
  if (words.size === 0) return;
  const sum = [...words.values()].reduce((a, b) => a + b, 0);
  const weight = Math.min(engine.config.weights.lureCap, sum);
  const list = [...words.keys()].map(quote).join(', ');
  out.push(
    finding(
      S.lureVocabulary,
      weight,
      `${quote(view.target)} uses lure word${words.size > 1 ? 's' : ''} ${list}`,
    ),
  );
}

export function misspelledWords(
  engine: Engine,
  view: NameView,
  segments: readonly Segment[],
  out: Finding[],
): void {
  const { index, config: cfg } = engine;
  for (const seg of segments) {
    const text = seg.text;
    if (seg.cover || text.length < cfg.fuzzy.misspellingMinLength || !/^[a-z]+$/.test(text)) continue;
    for (const w of index.vocabularyFuzzy.candidates(text, 1)) {
      if (w === text || osaDistance(text, w, 1) !== 1) continue;
      // A misspelt brand word (`teams`) is the brand matcher's to explain, with the brand's caution.
      if (index.bySkeleton.has(engine.skeletons.skeleton(w))) continue;
      // `clouds`, `secured`: one letter appended is how words inflect, not a misspelling;
      // `qcloud`, `ucloud`: one letter prefixed is how brands are coined.
      if (text.length === w.length + 1 && (text.startsWith(w) || text.endsWith(w))) continue;
      out.push(
        finding(
          S.misspelledWord,
          cfg.weights.misspelledWord,
          `${quote(text)} in ${quote(view.target)} is a misspelling of ${quote(w)}`,
        ),
      );
      break;
    }
  }
}

/**
 * Whether `misspelledWords` could find anything in `label`: some separator-delimited run of at least
 * the minimum length, letters only, has a vocabulary word within one edit. The pre-filter's form,
 * without segmenting the label into words.
 */
export function mayHaveMisspelling(engine: Engine, label: string): boolean {
  const min = engine.config.fuzzy.misspellingMinLength;
  let start = 0;
  let letters = true;
  for (let i = 0; i <= label.length; i++) {
    const c = i < label.length ? label.charCodeAt(i) : SEPARATOR_END;
    if (c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39) || c === SEPARATOR_END) {
      if (letters && i - start >= min && engine.index.vocabularyFuzzy.hasAny(label, start, i, 1)) return true;
      start = i + 1;
      letters = true;
    } else if (c < 0x61 || c > 0x7a) letters = false;
  }
  return false;
}

const SEPARATOR_END = -1;
