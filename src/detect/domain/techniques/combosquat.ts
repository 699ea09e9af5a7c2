/**
 * Combosquats: a brand token combined with other material (`microsoft-login`, `loginmicrosoft`,
 * `wwwmicrosoft`, `microsoftcom`). Short and generic tokens only count when the label clearly splits
 * there (hyphen, digit, or a complete split into known words), because glued they are how ordinary
 * words are built (`olive`, `livescore`, `groups`).
 * @module
 */
import type { BrandToken, WordHit } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { brandName, type Engine, type Finding, finding, type LabelView, quote } from './context.js';
import { homoglyph } from './brand-match.js';
import type { Segmentation } from './words.js';

/** Leftovers that make a label read like a URL typed into the name (`wwwmicrosoft`, `microsoftcom`). */
const URL_DEBRIS = new Set(['www', 'ww', 'wwww', 'http', 'https', 'com', 'net', 'org', 'co', 'html', 'php']);

/** `-`, `_` or a digit: what `/[-_0-9]/` matched. */
const isSep = (c: number): boolean => c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39);

/** Whether `label` holds a digit look-alike or a non-ASCII character: what `/[01]|[^\x00-\x7f]/` matched. */
function hasLookalikeMark(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x30 || c === 0x31 || c > 0x7f) return true;
  }
  return false;
}

/** The words of `text` between runs of separators: `text.split(/[-_0-9]+/).filter((w) => w !== '')`. */
function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    if (isSep(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && !isSep(text.charCodeAt(end))) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

function joinQuoted(words: readonly string[]): string {
  let s = '';
  for (let i = 0; i < words.length; i++)
    s += i === 0 ? quote(words[i] as string) : `, ${quote(words[i] as string)}`;
  return s;
}

/**
 * Token occurrences as parallel arrays: tokens as written first (positions exact; their count is
 * returned), then look-alike occurrences found on the skeleton.
 */
function collectOccurrences(
  engine: Engine,
  view: LabelView,
  words: Segmentation,
  tokens: BrandToken[],
  starts: number[],
  ends: number[],
): number {
  for (let k = 0; k < words.matchCount; k++) {
    const token = (words.matchHit[k] as WordHit).token;
    if (token) {
      tokens.push(token);
      starts.push(words.matchStart[k] as number);
      ends.push(words.matchEnd[k] as number);
    }
  }
  const literalCount = tokens.length;
  engine.index.brandAutomaton.collect(view.skeleton, tokens, starts, ends);
  return literalCount;
}

/** Whether a segment's word cover uses token `t` at offset `at`. */
function inCover(words: Segmentation, t: BrandToken, at: number): boolean {
  for (let k = 0, e = words.coverFrom[words.segmentCount] as number; k < e; k++) {
    const h = words.covers[k] as number;
    if ((words.matchHit[h] as WordHit).token === t && words.matchStart[h] === at) return true;
  }
  return false;
}

/** Whether offset `at` falls inside a segment that splits completely into words. */
function inCoveredSegment(words: Segmentation, at: number): boolean {
  for (let s = 0; s < words.segmentCount; s++)
    if (words.covered(s) && (words.segmentStart[s] as number) <= at && at < (words.segmentEnd[s] as number))
      return true;
  return false;
}

/** Every word of `rest` names infrastructure (`api`, `cdn`): the brand's own secondary domain shape. */
function allInfrastructure(engine: Engine, rest: readonly string[]): boolean {
  const infra = engine.index.vocabulary.infrastructureWords;
  if (infra === undefined || infra.size === 0) return false;
  for (const w of rest) if (!infra.has(w)) return false;
  return true;
}

/** Whether a lure word, spelt right or misspelt, lies in the label outside `[from, to)` (the token). */
function lureOutside(words: Segmentation, from: number, to: number): boolean {
  for (let k = 0; k < words.matchCount; k++) {
    const v = words.matchHit[k] as WordHit;
    if (v.kind !== 'lure' && v.misspelt === undefined) continue;
    if ((words.matchEnd[k] as number) <= from || (words.matchStart[k] as number) >= to) return true;
  }
  return false;
}

/** Whether `label[start, end)`, the token as written, lies inside an English word that holds it. */
function insideWord(engine: Engine, label: string, token: string, start: number, end: number): boolean {
  const around = engine.index.vocabulary.wordsAroundToken?.get(token);
  if (around === undefined) return false;
  for (const w of around) {
    const lead = w.indexOf(token);
    // The word may hold the token more than once; each placement is tried.
    for (let at = lead; at >= 0; at = w.indexOf(token, at + 1)) {
      const from = start - at;
      if (from >= 0 && from + w.length >= end && label.startsWith(w, from)) return true;
    }
  }
  return false;
}

export function combosquats(engine: Engine, view: LabelView, words: Segmentation, out: Finding[]): void {
  const cfg = engine.config;
  const skeleton = view.skeleton;
  const bareSkeleton = skeleton.includes('-') ? skeleton.replaceAll('-', '') : skeleton;
  const occTokens: BrandToken[] = [];
  const occStarts: number[] = [];
  const occEnds: number[] = [];
  const literalCount = collectOccurrences(engine, view, words, occTokens, occStarts, occEnds);
  const seen: BrandToken[] = [];
  // Skeleton offsets → label offsets, computed only when a look-alike occurrence needs them.
  let offsets: number[] | undefined;
  let mark: boolean | undefined;
  const label = view.target;
  const count = occTokens.length;
  for (let k = 0; k < count; k++) {
    const t = occTokens[k] as BrandToken;
    const start = occStarts[k] as number;
    const end = occEnds[k] as number;
    const literal = k < literalCount;
    if (seen.includes(t) || t.skeleton === bareSkeleton || t.token === view.bare) continue;
    seen.push(t);
    const text = literal ? label : skeleton;
    const bounded =
      (start === 0 || isSep(text.charCodeAt(start - 1))) &&
      (end === text.length || isSep(text.charCodeAt(end)));
    const composed = literal && inCover(words, t, start);
    // Glued inside a label that splits into other words (`daily|mail` around `ymail`) it is chance.
    if (!bounded && !composed && inCoveredSegment(words, start)) continue;
    // Glued inside an English word that holds it (`interac` in `interactive`), it is that word.
    if (literal && !bounded && insideWord(engine, label, t.token, start, end)) continue;
    // Letter-for-letter folds (`e`/`c`, `u`/`v`) inside a longer label are how words differ; inside a
    // combination only digits and non-ASCII look-alikes count.
    if (!literal) {
      if (t.cls !== 'distinctive') continue;
      mark ??= hasLookalikeMark(label);
      if (!mark) continue;
    }
    // The rest is quoted as written (`login`, not its skeleton `logln`).
    let from = start;
    let to = end;
    if (!literal) {
      offsets ??= engine.skeletons.offsets(label);
      from = offsets[start] ?? 0;
      to = offsets[end] ?? label.length;
    }
    const rest = wordsOf(`${label.slice(0, from)}-${label.slice(to)}`);
    let debris: string[] | undefined;
    for (const w of rest)
      if (URL_DEBRIS.has(w)) {
        debris ??= [];
        debris.push(w);
      }

    if (!literal) out.push(homoglyph(engine, label, t, 0));
    // For short and generic tokens the debris must be a separate word too (`alivenet` is not `live`+`net`).
    if (debris !== undefined && (t.cls === 'distinctive' || bounded || composed)) {
      out.push(
        finding(
          S.urlMimic,
          cfg.weights.urlMimic,
          `${quote(label)} glues ${brandName(t)} to URL parts ${joinQuoted(debris)}`,
          t,
        ),
      );
      continue;
    }
    let weight: number;
    if (t.cls === 'distinctive') weight = cfg.weights.combosquat.distinctive;
    else if (bounded || composed) weight = cfg.weights.combosquat[t.cls];
    else if (t.token.length > 3) weight = cfg.weights.combosquatGlued;
    else continue;
    if (rest.length > 0 && allInfrastructure(engine, rest))
      weight = Math.min(weight, cfg.weights.combosquatInfrastructure);
    // A brand beside words that ask nothing of a victim (`<bank>-insurance`, `<telco>dsl`) is as often
    // the brand's own subsidiary or a fan site as a phish: alone it does not flag; a lure word, a slug
    // or an abused TLD beside it does.
    const lure = lureOutside(words, from, to);
    if (!lure) weight = Math.min(weight, cfg.weights.combosquatWithoutLure);
    const how = bounded ? 'combined with' : composed ? 'glued to the words' : 'inside';
    const others = rest.length > 0 ? ` ${joinQuoted(rest)}` : ' other text';
    const none = lure || rest.length === 0 ? '' : ' (no lure word)';
    out.push(finding(S.combosquat, weight, `${quote(label)} has ${brandName(t)} ${how}${others}${none}`, t));
  }
}
