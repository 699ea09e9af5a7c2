/**
 * Combosquats: a brand token combined with other material (`microsoft-login`, `loginmicrosoft`,
 * `wwwmicrosoft`, `microsoftcom`). Short and generic tokens only count when the label clearly splits
 * there (hyphen, digit, or a complete split into known words), because glued they are how ordinary
 * words are built (`olive`, `livescore`, `groups`).
 * @module
 */
import type { BrandToken } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { brandName, type Engine, type Finding, finding, type NameView, quote } from './context.js';
import { homoglyph } from './brand-match.js';
import type { Segmentation } from './words.js';

/** Leftovers that make a label read like a URL typed into the name (`wwwmicrosoft`, `microsoftcom`). */
const URL_DEBRIS = new Set(['www', 'ww', 'wwww', 'http', 'https', 'com', 'net', 'org', 'co', 'html', 'php']);
const SEP = /[-_0-9]/;
const LOOKALIKE_MARK = /[01]|[^\x00-\x7f]/;

export function combosquats(engine: Engine, view: NameView, words: Segmentation, out: Finding[]): void {
  const { index, config: cfg } = engine;
  const { segments } = words;
  const bareSkeleton = view.skeleton.replace(/-/g, '');
  const seen = new Set<BrandToken>();
  // Skeleton offsets → label offsets, computed only when a look-alike occurrence needs them.
  let offsets: number[] | undefined;
  // Tokens as written first (positions exact), then look-alike occurrences found on the skeleton, where
  // letter-pair folds may shift positions.
  const occurrences: { t: BrandToken; start: number; end: number; literal: boolean }[] = [];
  for (const m of words.matches)
    if (m.value.token) occurrences.push({ t: m.value.token, start: m.start, end: m.end, literal: true });
  for (const m of index.brandAutomaton.matches(view.skeleton))
    occurrences.push({ t: m.value, start: m.start, end: m.end, literal: false });
  const label = view.target;
  for (const { t, start, end, literal } of occurrences) {
    if (seen.has(t) || t.skeleton === bareSkeleton || t.token === view.bare) continue;
    seen.add(t);
    const at = start;
    const text = literal ? label : view.skeleton;
    const bounded =
      (start === 0 || SEP.test(text[start - 1] ?? '')) && (end === text.length || SEP.test(text[end] ?? ''));
    const composed =
      literal && segments.some((s) => s.cover?.some((h) => h.value.token === t && h.start === at));
    // Glued inside a label that splits into other words (`daily|mail` around `ymail`) it is chance.
    if (
      !bounded &&
      !composed &&
      segments.some((s) => s.cover !== undefined && s.start <= start && start < s.start + s.text.length)
    )
      continue;
    // Letter-for-letter folds (`e`/`c`, `u`/`v`) inside a longer label are how words differ; inside a
    // combination only digits and non-ASCII look-alikes count.
    if (!literal && (t.cls !== 'distinctive' || !LOOKALIKE_MARK.test(label))) continue;
    // The rest is quoted as written (`login`, not its skeleton `logln`).
    let from = start;
    let to = end;
    if (!literal) {
      offsets ??= engine.skeletons.offsets(label);
      from = offsets[start] ?? 0;
      to = offsets[end] ?? label.length;
    }
    const rest = (label.slice(0, from) + '-' + label.slice(to)).split(/[-_0-9]+/).filter((w) => w !== '');
    const debris = rest.filter((w) => URL_DEBRIS.has(w));

    if (!literal) out.push(homoglyph(engine, label, t, 0));
    // For short and generic tokens the debris must be a separate word too (`alivenet` is not `live`+`net`).
    if (debris.length > 0 && (t.cls === 'distinctive' || bounded || composed)) {
      out.push(
        finding(
          S.urlMimic,
          cfg.weights.urlMimic,
          `${quote(label)} glues ${brandName(t)} to URL parts ${debris.map(quote).join(', ')}`,
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
    const how = bounded ? 'combined with' : composed ? 'glued to the words' : 'inside';
    const others = rest.length > 0 ? ` ${rest.map(quote).join(', ')}` : ' other text';
    out.push(finding(S.combosquat, weight, `${quote(label)} has ${brandName(t)} ${how}${others}`, t));
  }
}
