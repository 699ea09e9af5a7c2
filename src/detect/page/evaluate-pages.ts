/**
 * Page evaluation over saved pages on disk: `DIR/phishing/…` should be flagged, `DIR/benign/…` should
 * not. A page is either a file (`<name>.html`) or a folder holding `index.html` or `html.txt` (the
 * PhishIntention layout) with an optional `url.txt` / `info.txt` giving the URL it was captured from;
 * otherwise the URL is `https://<name>/`. A folder under a label that is not a page itself (no
 * `index.html`, `html.txt`) is a class: `DIR/phishing/<class>/<page>` is reported per class as well.
 * Saved pages carry no crawl record (no requests, no script
 * bodies), so the verdict rests on the markup alone, which is exactly what a saved or inlined kit offers.
 * Name signals for the page's host come from a look-up the caller provides (the domain engine), so this
 * module imports nothing from it.
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Signal } from '../../domain/index.js';
import type { PageAnalyzer } from './analyze-page.js';
import type { PageSnapshot } from '../../domain/index.js';
import { hostOf } from './url-util.js';

export const PAGE_LABELS = { phishing: true, benign: false } as const;

export interface EvaluatePagesOptions {
  readonly analyzer: PageAnalyzer;
  readonly nameSignals?: (host: string) => readonly Signal[];
  readonly worst?: number;
}

export interface PageRates {
  readonly positives: number;
  readonly negatives: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly recall: number | null;
  readonly falsePositiveRate: number | null;
  readonly precision: number | null;
}

export interface ClassRates extends PageRates {
  /** `<label>/<class>`, or the label alone for pages directly under it. */
  readonly class: string;
}

export interface ExplainedPage {
  readonly page: string;
  readonly class: string;
  readonly url: string;
  readonly score: number;
  readonly verdict: string;
  readonly signals: readonly { readonly id: string; readonly weight: number; readonly detail: string }[];
}

export interface PageEvaluation {
  readonly overall: PageRates;
  readonly classes: readonly ClassRates[];
  readonly signals: readonly {
    readonly id: string;
    readonly positives: number;
    readonly negatives: number;
  }[];
  readonly worstMisses: readonly ExplainedPage[];
  readonly worstFalseFlags: readonly ExplainedPage[];
  readonly rejected: readonly { readonly page: string; readonly reason: string }[];
}

interface SavedPage {
  readonly page: string;
  readonly class: string;
  readonly html: string;
  readonly url: string;
}

const URL_LINE = /https?:\/\/\S+/;

async function readIf(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

const isPageDir = async (path: string): Promise<boolean> =>
  (await readIf(join(path, 'index.html'))) !== undefined ||
  (await readIf(join(path, 'html.txt'))) !== undefined;

async function loadPage(dir: string, entry: string, cls: string): Promise<SavedPage | string> {
  const path = join(dir, entry);
  const info = await stat(path);
  if (info.isFile()) {
    if (!/\.html?$/i.test(entry)) return `not an .html file`;
    return {
      page: path,
      class: cls,
      html: await readFile(path, 'utf8'),
      url: `https://${entry.replace(/\.html?$/i, '')}/`,
    };
  }
  const html = (await readIf(join(path, 'index.html'))) ?? (await readIf(join(path, 'html.txt')));
  if (html === undefined) return 'no index.html or html.txt';
  const note = (await readIf(join(path, 'url.txt'))) ?? (await readIf(join(path, 'info.txt'))) ?? '';
  return { page: path, class: cls, html, url: URL_LINE.exec(note)?.[0] ?? `https://${entry}/` };
}

const snapshotOf = (p: SavedPage): PageSnapshot => ({
  url: p.url,
  finalUrl: p.url,
  fetchedAt: '1970-01-01T00:00:00.000Z',
  mode: 'fetch',
  headers: {},
  redirectChain: [],
  html: p.html,
  scripts: [],
  requests: [],
  console: [],
});

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

const rates = (c: Omit<PageRates, 'recall' | 'falsePositiveRate' | 'precision'>): PageRates => ({
  ...c,
  recall: ratio(c.truePositives, c.positives),
  falsePositiveRate: ratio(c.falsePositives, c.negatives),
  precision: ratio(c.truePositives, c.truePositives + c.falsePositives),
});

export async function evaluatePages(dir: string, options: EvaluatePagesOptions): Promise<PageEvaluation> {
  const limit = options.worst ?? 20;
  const counts = { positives: 0, negatives: 0, truePositives: 0, falsePositives: 0 };
  const signals = new Map<string, { id: string; positives: number; negatives: number }>();
  const misses: ExplainedPage[] = [];
  const falseFlags: ExplainedPage[] = [];
  const rejected: { page: string; reason: string }[] = [];
  const byClass = new Map<string, typeof counts>();
  let labelled = 0;
  for (const [label, positive] of Object.entries(PAGE_LABELS)) {
    const labelDir = join(dir, label);
    let entries: string[];
    try {
      entries = (await readdir(labelDir)).filter((e) => !e.startsWith('.')).sort();
    } catch {
      continue;
    }
    labelled++;
    // Pages directly under the label, then each class folder's pages (one level).
    const work: { dir: string; entry: string; cls: string }[] = [];
    for (const entry of entries) {
      if (/^(SOURCE|LICENSE|README)/i.test(entry)) continue;
      const path = join(labelDir, entry);
      if ((await stat(path)).isDirectory() && !(await isPageDir(path))) {
        const inner = (await readdir(path)).filter((e) => !e.startsWith('.')).sort();
        for (const e of inner) work.push({ dir: path, entry: e, cls: `${label}/${entry}` });
      } else work.push({ dir: labelDir, entry, cls: label });
    }
    for (const { dir: pageDir, entry, cls } of work) {
      if (/^(SOURCE|LICENSE|README)/i.test(entry)) continue;
      const page = await loadPage(pageDir, entry, cls);
      if (typeof page === 'string') {
        rejected.push({ page: join(pageDir, entry), reason: page });
        continue;
      }
      const analysis = options.analyzer.analyze(snapshotOf(page));
      const verdict = options.analyzer.judge(analysis, options.nameSignals?.(hostOf(page.url)) ?? []);
      const perClass = byClass.get(cls) ?? {
        positives: 0,
        negatives: 0,
        truePositives: 0,
        falsePositives: 0,
      };
      byClass.set(cls, perClass);
      for (const c of [counts, perClass]) {
        if (positive) c.positives++;
        else c.negatives++;
        if (verdict.flagged) {
          if (positive) c.truePositives++;
          else c.falsePositives++;
        }
      }
      for (const s of new Set(verdict.signals.map((x) => x.id))) {
        const t = signals.get(s) ?? { id: s, positives: 0, negatives: 0 };
        if (positive) t.positives++;
        else t.negatives++;
        signals.set(s, t);
      }
      const explained: ExplainedPage = {
        page: page.page,
        class: page.class,
        url: page.url,
        score: verdict.score,
        verdict: verdict.verdict,
        signals: [...verdict.signals]
          .sort((a, b) => b.weight - a.weight)
          .map((s) => ({ id: s.id, weight: s.weight, detail: s.detail })),
      };
      if (positive && !verdict.flagged) misses.push(explained);
      if (!positive && verdict.flagged) falseFlags.push(explained);
    }
  }
  if (labelled === 0) throw new Error(`${dir} has neither a phishing/ nor a benign/ folder`);
  return {
    overall: rates(counts),
    classes: [...byClass].map(([c, n]) => ({ class: c, ...rates(n) })),
    signals: [...signals.values()].sort((a, b) => b.positives + b.negatives - (a.positives + a.negatives)),
    worstMisses: misses.sort((a, b) => a.score - b.score).slice(0, limit),
    worstFalseFlags: falseFlags.sort((a, b) => b.score - a.score).slice(0, limit),
    rejected,
  };
}
