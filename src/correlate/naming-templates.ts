/**
 * Naming templates: the shapes an operator's names share (`<lure>-<hex>-<word>.<cheap>`,
 * `<brand><lure>.<cheap>`, `<lure2>.<cheap>` for a lure word with a doubled letter). A template learned
 * from the flagged members of one campaign is a *medium* pivot: it ties a name only together with a
 * second medium pivot, never alone, and a shape common in honest names is never learned.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseDomain } from 'tldts';
import { packageFile } from './package-file.js';

export interface NamingVocabulary {
  readonly lures: ReadonlySet<string>;
  readonly brands: ReadonlySet<string>;
  readonly words: ReadonlySet<string>;
  /** TLDs that are cheap or over-represented in abuse (`<cheap>` in a shape). */
  readonly cheapTlds: ReadonlySet<string>;
}

const wordsOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().split(/\s+/)[0] ?? '')
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());

/** The vocabulary shipped in data/ and brands/ (the same lists the domain engine reads). */
export function loadNamingVocabulary(): NamingVocabulary {
  return {
    lures: new Set(wordsOf(packageFile('data', 'lure-vocabulary.txt'))),
    words: new Set(wordsOf(packageFile('data', 'common-words.txt'))),
    cheapTlds: new Set(wordsOf(packageFile('data', 'abused-tlds.txt'))),
    brands: new Set(
      readdirSync(packageFile('brands'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -5).toLowerCase()),
    ),
  };
}

const HEX = /^(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{4,}$/;

/** The class of one label token. */
function tokenClass(t: string, v: NamingVocabulary): string {
  if (HEX.test(t)) return '<hex>';
  if (/^\d+$/.test(t)) return '<num>';
  const single = singleClass(t, v);
  if (single) return single;
  // Glued pairs (`faxdocs`, `microsoftlogin`): the first split where both halves are known.
  for (let i = 2; i <= t.length - 2; i++) {
    const a = singleClass(t.slice(0, i), v);
    const b = a && singleClass(t.slice(i), v);
    if (a && b) return a + b;
  }
  return /\d/.test(t) ? '<alnum>' : '<str>';
}

function singleClass(t: string, v: NamingVocabulary): string | undefined {
  if (v.brands.has(t)) return '<brand>';
  if (v.lures.has(t)) return '<lure>';
  if (v.words.has(t)) return '<word>';
  // A lure word with one letter doubled (`seccure`, `account` excepted: it is a word as spelled).
  for (let i = 1; i < t.length; i++)
    if (t[i] === t[i - 1] && v.lures.has(t.slice(0, i) + t.slice(i + 1))) return '<lure2>';
  return undefined;
}

/**
 * The shape of a name: tokens of the registrable label (left of the public suffix, platform suffixes
 * such as `workers.dev` included) by class, separators kept, and the suffix as `<cheap>` or itself.
 */
export function nameShape(name: string, v: NamingVocabulary): string | undefined {
  const p = parseDomain(name.toLowerCase(), { allowPrivateDomains: true });
  if (!p.domainWithoutSuffix || !p.publicSuffix || p.isIp) return undefined;
  const suffix = v.cheapTlds.has(p.publicSuffix) ? '<cheap>' : p.publicSuffix;
  return `${labelShape(p.domainWithoutSuffix, v)}.${suffix}`;
}

/** Registrable labels recently shaped, per vocabulary: a certificate's names share one (www., mail. …). */
const shapes = new WeakMap<NamingVocabulary, Map<string, string>>();
const MAX_SHAPES = 65_536;

/** The tokens of a registrable label by class, separators kept (a pure function of label and vocabulary). */
function labelShape(label: string, v: NamingVocabulary): string {
  let memo = shapes.get(v);
  if (!memo) {
    memo = new Map();
    shapes.set(v, memo);
  }
  let shape = memo.get(label);
  if (shape === undefined) {
    const parts = label.split(/([-_])/);
    shape = parts.map((t, i) => (i % 2 ? t : t === '' ? '' : tokenClass(t, v))).join('');
    if (memo.size >= MAX_SHAPES) memo.clear();
    memo.set(label, shape);
  }
  return shape;
}

/** A shape says something about an operator only when it carries a lure, brand, hex slug or doubled lure. */
const DISTINCTIVE = /<(lure|lure2|brand|hex)>/;

/**
 * Whether a name's shape could be a learned template. The detect stage keeps such names in the graph
 * though they draw no signal (docs/model.md): templates are learned only from distinctive shapes,
 * and their background counts and the names they tie are then the same with or without the others.
 */
export function hasDistinctiveShape(name: string, v: NamingVocabulary): boolean {
  const s = nameShape(name, v);
  return s !== undefined && DISTINCTIVE.test(s);
}

/** Whether a shape (`nameShape`) carries a lure, brand, hex slug or doubled lure. */
export const isDistinctiveShape = (shape: string): boolean => DISTINCTIVE.test(shape);

export interface TemplateConfig {
  /** Flagged members that must share a shape before it is learned. */
  readonly minSupport: number;
  /** A shape seen in the background more than `maxBackgroundRatio` × its support is too common. */
  readonly maxBackgroundRatio: number;
}

export const DEFAULT_TEMPLATE_CONFIG: TemplateConfig = { minSupport: 3, maxBackgroundRatio: 5 };

export interface LearnedTemplate {
  readonly shape: string;
  /** Flagged names that share it. */
  readonly support: number;
  /** Names outside the campaign with the same shape (from `background`). */
  readonly background: number;
}

/**
 * Templates of one campaign, learned from its flagged members' names. `background` counts shapes over
 * all names in the store (or a sample), so a shape honest names share (`<word><word>.com`) is refused.
 */
export function learnTemplates(
  flaggedNames: readonly string[],
  v: NamingVocabulary,
  background: ReadonlyMap<string, number> = new Map(),
  config: TemplateConfig = DEFAULT_TEMPLATE_CONFIG,
): LearnedTemplate[] {
  const counts = new Map<string, number>();
  for (const n of flaggedNames) {
    const s = nameShape(n, v);
    if (s && DISTINCTIVE.test(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const out: LearnedTemplate[] = [];
  for (const [shape, support] of counts) {
    if (support < config.minSupport) continue;
    const bg = Math.max(0, (background.get(shape) ?? 0) - support);
    if (bg > config.maxBackgroundRatio * support) continue;
    out.push({ shape, support, background: bg });
  }
  return out.sort((a, b) => b.support - a.support || (a.shape < b.shape ? -1 : 1));
}

/** The medium-pivot value key of a campaign's template (what names of that shape link to). */
export const templateKey = (campaignId: string, shape: string) => `template:${campaignId}/${shape}`;

/**
 * Template pivots for the graph: every name (campaign member or not) whose shape is one of the
 * campaign's learned templates gets a medium link to `template:<campaign>/<shape>`. Names are shaped
 * once; the result is what the graph builder adds as medium edges.
 */
export function templatePivots(
  campaignId: string,
  templates: readonly LearnedTemplate[],
  names: Iterable<string>,
  v: NamingVocabulary,
): Array<{ readonly name: string; readonly value: string }> {
  if (templates.length === 0) return [];
  const shapes = new Set(templates.map((t) => t.shape));
  const out: Array<{ name: string; value: string }> = [];
  for (const name of names) {
    const s = nameShape(name, v);
    if (s !== undefined && shapes.has(s)) out.push({ name, value: templateKey(campaignId, s) });
  }
  return out;
}

/** Shape counts over a set of names: the background `learnTemplates` compares a template with. */
export function shapeCounts(names: Iterable<string>, v: NamingVocabulary): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) {
    const s = nameShape(n, v);
    if (s !== undefined) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}
