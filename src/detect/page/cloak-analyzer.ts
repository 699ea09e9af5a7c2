/**
 * Differential cloaking: a kit that shows a crawler one page and a browser arriving from webmail
 * another is hiding something. The views differ when they land on different sites, get different
 * status classes, only one of them asks for credentials, or their text barely overlaps.
 * @module
 */
import type { Analyzer } from './analyzer.js';
import { isAccountInput, isPasswordInput } from './capture-analyzer.js';
import { extractFacts, type PageFacts } from './html-facts.js';
import { hostOf, siteOf } from './url-util.js';

export interface CloakOptions {
  /** Below this word-set overlap (Jaccard, 0..1) two views count as different pages. */
  readonly minSimilarity: number;
}

export const DEFAULT_CLOAK_OPTIONS: CloakOptions = Object.freeze({ minSimilarity: 0.35 });

const words = (f: PageFacts): Set<string> =>
  new Set(
    `${f.title} ${f.text}`
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );

export function similarity(a: PageFacts, b: PageFacts): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 && wb.size === 0) return 1;
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  return inter / (wa.size + wb.size - inter);
}

const asksCredentials = (f: PageFacts): boolean =>
  f.inputs.some((i) => isPasswordInput(i) || isAccountInput(i));

export function createCloakAnalyzer(options: CloakOptions = DEFAULT_CLOAK_OPTIONS): Analyzer {
  return ({ snapshot, facts }) => {
    const crawler = snapshot.crawlerView;
    if (!crawler) return [];
    const other = extractFacts(crawler.html, crawler.finalUrl);
    const why: string[] = [];
    const siteA = siteOf(hostOf(snapshot.finalUrl));
    const siteB = siteOf(hostOf(crawler.finalUrl));
    if (siteA && siteB && siteA !== siteB) why.push(`the crawler ends on ${siteB}, the browser on ${siteA}`);
    const classA = Math.floor((snapshot.status ?? 200) / 100);
    const classB = Math.floor((crawler.status ?? 200) / 100);
    if (classA !== classB)
      why.push(`status ${crawler.status} for the crawler, ${snapshot.status} for the browser`);
    const credA = asksCredentials(facts);
    const credB = asksCredentials(other);
    if (credA !== credB) why.push(`only the ${credA ? 'browser' : 'crawler'} is asked for credentials`);
    const sim = similarity(facts, other);
    if (sim < options.minSimilarity) why.push(`the texts overlap ${Math.round(sim * 100)}%`);
    return why.length === 0
      ? []
      : [
          {
            id: 'page.cloak.differential',
            detail: `crawler and browser see different pages: ${why.join('; ')}`,
          },
        ];
  };
}
