/**
 * Brand look-alikes in the label the registrant chose: exact token under a foreign suffix (TLD swap),
 * visual look-alikes (homoglyph), one or two edits (typos, named as dnstwist names its fuzzers),
 * hyphenation and dot insertion.
 * @module
 */
import type { BrandToken } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { classifyEdit, type EditKind, osaDistance } from '../edit-distance.js';
import { brandName, type Engine, type Finding, finding, type NameView, quote } from './context.js';

const ASCII = /^[\x00-\x7f]*$/;
// Reused across calls: matching is synchronous and single-threaded per engine.
const CANDIDATES = new Set<BrandToken>();

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

/** Matches one label (Unicode, hyphens removed) against the brand tokens. */
export function matchLabel(
  engine: Engine,
  label: string,
  mode: 'label' | 'hyphenated' | 'part',
  out: Finding[],
): boolean {
  const { index, skeletons, config: cfg } = engine;
  const skel = skeletons.skeleton(label);
  let found = false;
  for (const t of index.bySkeleton.get(skel) ?? []) {
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
            cfg.weights.tldSwap[t.cls],
            `${brandName(t)} under a suffix the brand does not own`,
            t,
          ),
        );
    } else if (t.token.length > 3 || !ASCII.test(label)) out.push(homoglyph(engine, label, t, 0));
  }
  if (found || skel.length < index.fuzzyMinLength || skel.length > index.fuzzyMaxLength) return found;
  // A real word one edit from a brand (`cloud` and `icloud`, `mail` and `gmail`) is a word, not a typo.
  if (index.vocabulary.commonWords.has(label) || index.vocabulary.lure.has(label)) return found;

  const depth = skel.length >= index.fuzzy2MinLength && skel.length <= index.fuzzy2MaxLength ? 2 : 1;
  CANDIDATES.clear();
  for (const t of index.fuzzy.candidates(skel, depth, CANDIDATES)) {
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
    } else if (!ASCII.test(label)) out.push(homoglyph(engine, label, t, d));
    else if (raw > d) {
      // ASCII look-alikes plus an edit only count for distinctive tokens: short words are one fold and
      // one edit away from too much of the dictionary.
      if (d === 1 && t.cls === 'distinctive') out.push(homoglyph(engine, label, t, d));
    }
    // Products are often brand plus word (`dhlexpress`); two edits there reach other brands' words.
    else if (t.role === 'brand')
      out.push(finding(S.edit2, cfg.weights.typo2, `${quote(label)} is two edits from ${brandName(t)}`, t));
  }
  return found;
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

/** The whole technique on a name: the chosen label, its hyphen-separated parts, and dot insertion. */
export function brandLookalikes(engine: Engine, view: NameView): Finding[] {
  const out: Finding[] = [];
  const hyphenated = view.target.includes('-');
  const whole = matchLabel(engine, view.bare, hyphenated ? 'hyphenated' : 'label', out);
  if (!whole && hyphenated) {
    // `microsft-login`: a typo of the brand inside a combination; the combosquat detector sees the rest.
    for (const part of view.target.split('-')) if (part.length >= 4) matchLabel(engine, part, 'part', out);
  }
  const left = view.subLabels[view.subLabels.length - 1];
  if (left !== undefined && !whole) {
    const joined = left.replace(/-/g, '') + view.bare;
    for (const t of engine.index.bySkeleton.get(engine.skeletons.skeleton(joined)) ?? []) {
      if (joined !== t.token) continue;
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
  return out;
}
