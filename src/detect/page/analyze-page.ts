/**
 * Page analysis as named steps: parse the page once → run the analyzers → weigh findings into
 * signals → combine with the name's signals through the rules → score. Pure: the same snapshot and
 * configuration always give the same verdict.
 * @module
 */
import type { EntityKey, EvidenceRef, Signal, PageSnapshot } from '../../domain/index.js';
import { aggregate, type ScoreResult } from '../score.js';
import type { Analyzer, AnalyzerInput, Finding } from './analyzer.js';
import { createBrandAnalyzer } from './brand-analyzer.js';
import { type BrandCatalog, EMPTY_CATALOG } from './brand-catalog.js';
import { captureAnalyzer } from './capture-analyzer.js';
import { createCloakAnalyzer } from './cloak-analyzer.js';
import { exfilAnalyzer } from './exfil-analyzer.js';
import { gateAnalyzer } from './gate-analyzer.js';
import { decodeHiddenMarkup } from './decode-markup.js';
import { extractFacts, mergeFacts, type PageFacts } from './html-facts.js';
import { createKitAnalyzer, type KitRule } from './kit-rules.js';
import { DEFAULT_PAGE_CONFIG, type PageAnalysisConfig } from './page-config.js';
import { isPageSignalId, PAGE_SIGNALS } from './page-signals.js';
import { applyComboRules } from './page-rules.js';
import { pretextAnalyzer } from './pretext-analyzer.js';
import { shapeAnalyzer } from './shape-analyzer.js';
import { hostOf, siteOf } from './url-util.js';

export const PAGE_DETECTOR_ID = 'page';

/**
 * Caps on the script text the pattern analyzers read (`AnalyzerInput.js`). Regular expressions cost
 * time per byte, and a cloned page can carry megabytes of the brand's own library (the real Google
 * clone in the corpus has a 1.1 MB inline script). Of each script the first `SCRIPT_HEAD` and the last
 * `SCRIPT_TAIL` characters are read — a kit's own code sits at one end of a bundle — and at most
 * `JS_CAP` characters in all. Scans that must see everything (sign-in markers, bot tokens, base64
 * blobs) read `markup`, which is uncapped and linear-time.
 */
export const SCRIPT_HEAD = 256 * 1024;
export const SCRIPT_TAIL = 64 * 1024;
export const JS_CAP = 1024 * 1024;
/** External script bodies kept in `markup` (the renderer caps each body as well). */
const EXTRA_CAP = 4_000_000;
const URL_CAP = 5_000;

const headTail = (s: string): string =>
  s.length <= SCRIPT_HEAD + SCRIPT_TAIL
    ? s
    : `${s.slice(0, SCRIPT_HEAD)}\n;\n${s.slice(s.length - SCRIPT_TAIL)}`;

export interface PageAnalyzerOptions {
  readonly brands?: BrandCatalog;
  readonly kitRules?: readonly KitRule[];
  readonly config?: PageAnalysisConfig;
}

export interface PageAnalysis {
  /** The page's own signals, weighted (before combination rules). */
  readonly signals: readonly Signal[];
  /** Entities the page names: `kit:…`, `telegram-bot:…`, exfiltration `url:…`. */
  readonly entities: readonly EntityKey[];
  readonly facts: PageFacts;
}

export interface PageVerdict extends ScoreResult {
  /** Every signal that was scored, combos and name signals included, after scaling. */
  readonly signals: readonly Signal[];
}

export interface PageAnalyzer {
  analyze(snapshot: PageSnapshot, snapshotSha256?: string): PageAnalysis;
  /** Scores page signals together with the domain engine's signals for the page's name. */
  judge(analysis: Pick<PageAnalysis, 'signals'>, nameSignals?: readonly Signal[]): PageVerdict;
}

function analyzerInput(snapshot: PageSnapshot, brands: BrandCatalog): AnalyzerInput {
  const pageUrl = snapshot.finalUrl || snapshot.url;
  const own = extractFacts(snapshot.html, pageUrl);
  // Markup the page's scripts would write (encoded literals, `data:` and `srcdoc` frames), read as part
  // of the page: a saved or fetched shell shows what a browser would.
  // `<iframe srcdoc>` documents are markup already, only quoted into an attribute.
  const decoded = [
    ...own.srcdocs,
    ...decodeHiddenMarkup([
      snapshot.html,
      ...snapshot.scripts.map((s) => s.body),
      ...own.handlers,
      ...own.srcdocs,
    ]),
  ];
  const facts = decoded.length ? mergeFacts(own, extractFacts(decoded.join('\n'), pageUrl)) : own;
  // One string of every script the page runs, so each analyzer scans it once.
  const parts: string[] = [];
  let size = 0;
  const push = (s: string) => {
    if (size >= JS_CAP) return;
    const piece = s.slice(0, JS_CAP - size);
    parts.push(piece);
    size += piece.length;
  };
  for (const s of facts.scripts) if (s.inline) push(headTail(s.inline));
  for (const s of snapshot.scripts) push(headTail(s.body));
  for (const h of facts.handlers) push(h);
  // Inline scripts are verbatim in the HTML (script text is never entity-decoded), so only what is
  // not in it is added.
  const markup: string[] = [snapshot.html];
  let extra = 0;
  for (const s of snapshot.scripts) {
    if (extra >= EXTRA_CAP) break;
    const piece = s.body.slice(0, EXTRA_CAP - extra);
    markup.push(piece);
    extra += piece.length;
  }
  if (facts.handlers.length) markup.push(facts.handlers.join('\n'));
  markup.push(...decoded);
  const urls = new Set<string>();
  const addUrl = (u: string | undefined) => {
    if (u && urls.size < URL_CAP) urls.add(u);
  };
  facts.urls.forEach(addUrl);
  for (const s of facts.scripts) addUrl(s.src);
  for (const l of facts.links) addUrl(l.href);
  for (const i of facts.images) addUrl(i.src);
  facts.iframes.forEach(addUrl);
  for (const r of snapshot.requests) addUrl(r.url);
  for (const s of snapshot.scripts) addUrl(s.url);
  const host = hostOf(snapshot.finalUrl || snapshot.url);
  return {
    snapshot,
    facts,
    js: parts.join('\n;\n'),
    markup,
    decoded,
    host,
    site: siteOf(host),
    brands,
    allUrls: [...urls],
  };
}

export function createPageAnalyzer(options: PageAnalyzerOptions = {}): PageAnalyzer {
  const config = options.config ?? DEFAULT_PAGE_CONFIG;
  const brands = options.brands ?? EMPTY_CATALOG;
  // Order matters only for `pretextAnalyzer` and `shapeAnalyzer`, which reason about what the others
  // found.
  const analyzers: readonly Analyzer[] = [
    captureAnalyzer,
    exfilAnalyzer,
    createBrandAnalyzer(config.brand),
    gateAnalyzer,
    createCloakAnalyzer(config.cloak),
    createKitAnalyzer(options.kitRules ?? []),
    pretextAnalyzer,
    shapeAnalyzer,
  ];
  const weightOf = (f: Finding): number =>
    config.weights[f.id] ?? f.weight ?? (isPageSignalId(f.id) ? PAGE_SIGNALS[f.id].weight : 0);

  return {
    analyze(snapshot, sha256) {
      // Step 1: parse once.
      const input = analyzerInput(snapshot, brands);
      // Step 2: every analyzer sees the page and what the earlier ones found.
      const findings: Finding[] = [];
      for (const a of analyzers) findings.push(...a(input, findings));
      // Step 3: findings become weighted, explained signals with their evidence.
      const entities = new Set<EntityKey>();
      const signals = findings.map((f): Signal => {
        const evidence: EvidenceRef[] = [];
        if (sha256) evidence.push({ kind: 'snapshot', sha256 });
        if (f.excerpt) evidence.push({ kind: 'text', value: f.excerpt });
        for (const e of f.entities ?? []) {
          entities.add(e);
          evidence.push({ kind: 'entity', key: e });
        }
        return { id: f.id, detector: PAGE_DETECTOR_ID, weight: weightOf(f), detail: f.detail, evidence };
      });
      return { signals, entities: [...entities], facts: input.facts };
    },
    judge(analysis, nameSignals = []) {
      // Step 4: combination rules read page and name signals together; step 5: noisy-OR score.
      const combined = applyComboRules([...analysis.signals, ...nameSignals], config.rules);
      return { ...aggregate(combined, config.thresholds), signals: combined };
    },
  };
}
