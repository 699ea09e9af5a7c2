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

export function lureVocabulary(engine: Engine, view: NameView, segments: readonly Segment[]): Finding[] {
  const words = new Map<string, number>();
  for (const seg of segments) {
    const hits = seg.cover ?? seg.hits.filter((h) => h.value.word.length >= UNAMBIGUOUS_LURE);
    for (const h of hits) if (h.value.kind === 'lure') words.set(h.value.word, h.value.weight);
  }
  if (words.size === 0) return [];
  const sum = [...words.values()].reduce((a, b) => a + b, 0);
  const weight = Math.min(engine.config.weights.lureCap, sum);
  const list = [...words.keys()].map(quote).join(', ');
  return [
    finding(
      S.lureVocabulary,
      weight,
      `${quote(view.target)} uses lure word${words.size > 1 ? 's' : ''} ${list}`,
    ),
  ];
}

export function misspelledWords(engine: Engine, view: NameView, segments: readonly Segment[]): Finding[] {
  const { index, config: cfg } = engine;
  const out: Finding[] = [];
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
  return out;
}
