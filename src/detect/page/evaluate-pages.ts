/**
 * Page evaluation over saved pages on disk: `DIR/phishing/…` should be flagged, `DIR/benign/…` should
 * not. A page is either a file (`<name>.html`) or a folder holding `index.html` or `html.txt` (the
 * PhishIntention layout) with an optional `url.txt` / `info.txt` giving the URL it was captured from;
 * otherwise the URL is `https://<name>/`. Saved pages carry no crawl record (no requests, no script
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

export interface ExplainedPage {
  readonly page: string;
  readonly url: string;
  readonly score: number;
  readonly verdict: string;
  readonly signals: readonly { readonly id: string; readonly weight: number; readonly detail: string }[];
}

export interface PageEvaluation {
  readonly overall: PageRates;
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

async function loadPage(dir: string, entry: string): Promise<SavedPage | string> {
  const path = join(dir, entry);
  const info = await stat(path);
  if (info.isFile()) {
    if (!/\.html?$/i.test(entry)) return `not an .html file`;
    return {
      page: path,
      html: await readFile(path, 'utf8'),
      url: `https://${entry.replace(/\.html?$/i, '')}/`,
    };
  }
  const html = (await readIf(join(path, 'index.html'))) ?? (await readIf(join(path, 'html.txt')));
  if (html === undefined) return 'no index.html or html.txt';
  const note = (await readIf(join(path, 'url.txt'))) ?? (await readIf(join(path, 'info.txt'))) ?? '';
  return { page: path, html, url: URL_LINE.exec(note)?.[0] ?? `https://${entry}/` };
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

export async function evaluatePages(dir: string, options: EvaluatePagesOptions): Promise<PageEvaluation> {
  const limit = options.worst ?? 20;
  const counts = { positives: 0, negatives: 0, truePositives: 0, falsePositives: 0 };
  const signals = new Map<string, { id: string; positives: number; negatives: number }>();
  const misses: ExplainedPage[] = [];
  const falseFlags: ExplainedPage[] = [];
  const rejected: { page: string; reason: string }[] = [];
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
    for (const entry of entries) {
      if (/^(SOURCE|LICENSE|README)/i.test(entry)) continue;
      const page = await loadPage(labelDir, entry);
      if (typeof page === 'string') {
        rejected.push({ page: join(labelDir, entry), reason: page });
        continue;
      }
      const analysis = options.analyzer.analyze(snapshotOf(page));
      const verdict = options.analyzer.judge(analysis, options.nameSignals?.(hostOf(page.url)) ?? []);
      if (positive) counts.positives++;
      else counts.negatives++;
      if (verdict.flagged) {
        if (positive) counts.truePositives++;
        else counts.falsePositives++;
      }
      for (const s of new Set(verdict.signals.map((x) => x.id))) {
        const t = signals.get(s) ?? { id: s, positives: 0, negatives: 0 };
        if (positive) t.positives++;
        else t.negatives++;
        signals.set(s, t);
      }
      const explained: ExplainedPage = {
        page: page.page,
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
    overall: {
      ...counts,
      recall: ratio(counts.truePositives, counts.positives),
      falsePositiveRate: ratio(counts.falsePositives, counts.negatives),
      precision: ratio(counts.truePositives, counts.truePositives + counts.falsePositives),
    },
    signals: [...signals.values()].sort((a, b) => b.positives + b.negatives - (a.positives + a.negatives)),
    worstMisses: misses.sort((a, b) => a.score - b.score).slice(0, limit),
    worstFalseFlags: falseFlags.sort((a, b) => b.score - a.score).slice(0, limit),
    rejected,
  };
}
