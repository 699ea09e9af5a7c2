/**
 * Lure vocabulary and misspelled words in the chosen label. Lures work without any brand
 * (`docdrive-remittance`, `voicemailfilerecordings`); misspellings (`clloud`, `admiin`) are how
 * phishers get a name that looks familiar and is still free to register.
 * @module
 */
import { osaDistance } from '../edit-distance.js';
import { matchLabel, mayMatchLabel } from './brand-match.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type LabelView, quote } from './context.js';
import type { WordHit } from '../brand-index.js';
import type { Segmentation } from './words.js';

/** Glued lure words at least this long are unambiguous even when the rest of the segment is not words. */
const UNAMBIGUOUS_LURE = 6;

export function lureVocabulary(engine: Engine, view: LabelView, words: Segmentation, out: Finding[]): void {
  // Distinct lure words in order of first occurrence, with the weight of the last one (as a `Map` set
  // would keep them).
  const found: string[] = [];
  const weights: number[] = [];
  for (let s = 0; s < words.segmentCount; s++) {
    const covered = words.covered(s);
    const list = covered ? words.covers : words.hits;
    const from = (covered ? words.coverFrom[s] : words.hitsFrom[s]) as number;
    const to = (covered ? words.coverFrom[s + 1] : words.hitsFrom[s + 1]) as number;
    for (let k = from; k < to; k++) {
      const v = words.matchHit[list[k] as number] as WordHit;
      if (v.kind !== 'lure' || (!covered && v.word.length < UNAMBIGUOUS_LURE)) continue;
      // Outside a complete split, every word found in the text is a hit: `payments` holds `payment`.
      // One stretch of text is one word, the longest lure word there (`codapayments` has one).
      if (!covered && insideLongerLure(words, list, from, to, k)) continue;
      const at = found.indexOf(v.word);
      if (at < 0) {
        found.push(v.word);
        weights.push(v.weight);
      } else weights[at] = v.weight;
    }
  }
  if (found.length === 0) return;
  let sum = 0;
  for (const w of weights) sum += w;
  const weight = Math.min(engine.config.weights.lureCap, sum);
  let list = '';
  for (let i = 0; i < found.length; i++)
    list += i === 0 ? quote(found[i] as string) : `, ${quote(found[i] as string)}`;
  out.push(
    finding(
      S.lureVocabulary,
      weight,
      `${quote(view.target)} uses lure word${found.length > 1 ? 's' : ''} ${list}`,
    ),
  );
}

/** Whether hit `k` of `list[from, to)` lies within a longer lure hit of the same list. */
function insideLongerLure(
  words: Segmentation,
  list: ArrayLike<number>,
  from: number,
  to: number,
  k: number,
): boolean {
  const h = list[k] as number;
  const a = words.matchStart[h] as number;
  const b = words.matchEnd[h] as number;
  for (let j = from; j < to; j++) {
    if (j === k) continue;
    const g = list[j] as number;
    const c = words.matchStart[g] as number;
    const d = words.matchEnd[g] as number;
    if (c <= a && b <= d && d - c > b - a && (words.matchHit[g] as WordHit).kind === 'lure') return true;
  }
  return false;
}

/**
 * Known misspellings of lure and vocabulary words in the label (`loogin`, `clloud`, `docss`): operators
 * stack them to get a name that reads familiar and is still free. One finding lists them all. Counted
 * where the segment splits completely into words, or where the misspelling is long enough to be
 * unambiguous inside other text.
 */
export function misspeltWords(engine: Engine, view: LabelView, words: Segmentation, out: Finding[]): boolean {
  let list = '';
  let n = 0;
  for (let s = 0; s < words.segmentCount; s++) {
    const covered = words.covered(s);
    const hits = covered ? words.covers : words.hits;
    const from = (covered ? words.coverFrom[s] : words.hitsFrom[s]) as number;
    const to = (covered ? words.coverFrom[s + 1] : words.hitsFrom[s + 1]) as number;
    for (let k = from; k < to; k++) {
      const h = hits[k] as number;
      const v = words.matchHit[h] as WordHit;
      if (v.misspelt === undefined || (!covered && v.misspelt.length < UNAMBIGUOUS_LURE)) continue;
      // Outside a complete split, the word spelt right overlapping its "misspelling" (`asos|services`
      // holds `sservices`) is the word; inside one, the split already chose the misspelling.
      if (!covered) {
        const at = words.matchStart[h] as number;
        if (words.label.slice(Math.max(0, at - 1), (words.matchEnd[h] as number) + 1).includes(v.word))
          continue;
      }
      const text = `${quote(v.misspelt)} for ${quote(v.word)}`;
      if (list.includes(text)) continue;
      list += n === 0 ? text : `, ${text}`;
      n++;
    }
  }
  if (n === 0) return false;
  out.push(
    finding(
      S.misspelledWord,
      n > 1 ? engine.config.weights.misspelledWords : engine.config.weights.misspelledWord,
      `${quote(view.target)} misspells ${n > 1 ? 'words' : 'a word'}: ${list}`,
    ),
  );
  return true;
}

const SCRATCH: Finding[] = [];
function readsAsBrand(engine: Engine, text: string): boolean {
  if (!mayMatchLabel(engine.index, text, 0, text.length, false)) return false;
  SCRATCH.length = 0;
  matchLabel(engine, text, 'label', SCRATCH);
  const any = SCRATCH.length > 0;
  SCRATCH.length = 0;
  return any;
}

function isLowerAlpha(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

export function misspelledWords(engine: Engine, view: LabelView, words: Segmentation, out: Finding[]): void {
  const cfg = engine.config;
  for (let s = 0; s < words.segmentCount; s++) {
    const start = words.segmentStart[s] as number;
    const end = words.segmentEnd[s] as number;
    if (words.covered(s) || end - start < cfg.fuzzy.misspellingMinLength) continue;
    const text = words.label.slice(start, end);
    const w = misspellingOf(engine, text);
    if (w === undefined) continue;
    out.push(
      finding(
        S.misspelledWord,
        cfg.weights.misspelledWord,
        `${quote(text)} in ${quote(view.target)} is a misspelling of ${quote(w)}`,
      ),
    );
  }
}

/** The vocabulary word `text` (one uncovered stretch of a label) misspells, if it reads as one. */
function misspellingOf(engine: Engine, text: string): string | undefined {
  const { index } = engine;
  // A real English word near a vocabulary word (`stone` near `store`) is that word, not a misspelling.
  if (!isLowerAlpha(text) || index.vocabulary.nearWords?.has(text)) return undefined;
  // Text that reads as a brand misspelt (`kmail`: `gmail`) is the brand matcher's to explain; two
  // readings of one word are alternatives, not evidence that adds up.
  if (readsAsBrand(engine, text)) return undefined;
  for (const w of index.vocabularyFuzzy.candidates(text, 1)) {
    if (w === text || osaDistance(text, w, 1) !== 1) continue;
    // A misspelt brand word (`teams`) is the brand matcher's to explain, with the brand's caution.
    if (index.bySkeleton.has(engine.skeletons.skeleton(w))) continue;
    // `clouds`, `secured`: one letter appended is how words inflect, not a misspelling;
    // `qcloud`, `ucloud`: one letter prefixed is how brands are coined.
    if (text.length === w.length + 1 && (text.startsWith(w) || text.endsWith(w))) continue;
    return w;
  }
  return undefined;
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

/** Address parts that are no organisation's name (as `URL_DEBRIS` in combosquat.ts). */
const URL_PARTS = new Set([
  'www',
  'ww',
  'wwww',
  'http',
  'https',
  'com',
  'net',
  'org',
  'html',
  'htm',
  'php',
  'asp',
  'aspx',
  'cgi',
]);

/** Unknown names framed by lure words are this long (`dnb`, `bancolombia`). */
const FRAME_MIN = 3;
const FRAME_MAX = 12;

function isLetters(label: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = label.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

/**
 * Brand-agnostic: a short unknown name framed by lure words (`<bank>-secure`, `auth<bank>`,
 * `<wallet>-connect-app`) is how operators imitate the thousands of banks, wallets and services no
 * profile covers. Alone it does not flag (a company's own `acme-support` reads the same); with a second
 * lure word or an abused top-level domain it does. Call after `lureVocabulary` found a lure word.
 */
export function lureFrame(engine: Engine, view: LabelView, words: Segmentation, out: Finding[]): void {
  const label = words.label;
  const n = words.segmentCount;
  if (n > 3) return;
  let unknown = -1;
  let lureElsewhere = false;
  for (let s = 0; s < n; s++) {
    if (words.covered(s)) {
      for (let k = words.coverFrom[s] as number; k < (words.coverFrom[s + 1] as number); k++) {
        const v = words.matchHit[words.covers[k] as number] as WordHit;
        // Spelt right: a misspelling is its own signal, and framing on one would count it twice.
        if (v.kind === 'lure' && v.misspelt === undefined) lureElsewhere = true;
      }
    } else if (unknown >= 0) return;
    else unknown = s;
  }
  if (unknown < 0) return;
  const start = words.segmentStart[unknown] as number;
  const end = words.segmentEnd[unknown] as number;
  if (!isLetters(label, start, end)) return;
  let name = '';
  if (lureElsewhere && end - start >= FRAME_MIN && end - start <= FRAME_MAX) name = label.slice(start, end);
  else if (n === 1) {
    // Glued: a lure word of four letters or more at one end, the unknown name the rest.
    for (let k = words.hitsFrom[0] as number; k < (words.hitsFrom[1] as number) && name === ''; k++) {
      const h = words.hits[k] as number;
      const v = words.matchHit[h] as WordHit;
      const a = words.matchStart[h] as number;
      const b = words.matchEnd[h] as number;
      if (v.kind !== 'lure' || v.misspelt !== undefined || b - a < 4) continue;
      const rest = a === start ? end - b : b === end ? a - start : -1;
      if (rest >= FRAME_MIN && rest <= FRAME_MAX)
        name = a === start ? label.slice(b, end) : label.slice(start, a);
    }
  }
  if (name === '') return;
  // Not a name: parts of an address (`php-myadmin`, `www-secure`), and a misspelt vocabulary word
  // (`ibanking-services`: `ibanking` for `ebanking`), which the misspelling signal explains; framing it
  // as an unknown name too would count one stretch of text twice.
  if (URL_PARTS.has(name)) return;
  if (name.length >= engine.config.fuzzy.misspellingMinLength && misspellingOf(engine, name) !== undefined)
    return;
  out.push(
    finding(
      S.lureFrame,
      engine.config.weights.lureFrame,
      `${quote(view.target)} frames the unknown name ${quote(name)} with lure words, as imitations of unprofiled banks, wallets and services do`,
    ),
  );
}
