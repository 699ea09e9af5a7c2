/**
 * The page detector: for a `snapshot:sha256:<hash>` entity, reads the stored snapshot through a
 * `SnapshotReader` and returns its page signals plus the combination signals, and the links to what
 * the page names (kit, exfiltration endpoints), derived from the snapshot with the current rules. Name signals for the
 * page's host are the ones stored for its domain (`DetectContext.signals`: the domain engine's latest),
 * so this module imports nothing from the domain engine.
 * @module
 */
import type { EntityKey, SnapshotReader } from '../../domain/index.js';
import type { DerivedLink, LinkingDetector } from '../detector.js';
import { createPageAnalyzer, PAGE_DETECTOR_ID, type PageAnalyzerOptions } from './analyze-page.js';
import { resolvePageConfig } from './page-config.js';
import { hostOf } from './url-util.js';

export interface PageDetectorOptions extends Omit<PageAnalyzerOptions, 'config'> {
  readonly reader: SnapshotReader;
}

const SNAPSHOT_KEY = /^snapshot:(?:sha256:)?([0-9a-f]{64})$/;

/**
 * What a page's findings name, as links from its snapshot: a kit fingerprint (`same-kit`) or an
 * exfiltration endpoint — a Telegram bot, a webhook URL (`exfil-to`). Shared by two pages, either is a
 * strong campaign pivot.
 */
export function pageLinks(entities: readonly EntityKey[]): DerivedLink[] {
  return entities.map((to) => ({ to, pivot: to.startsWith('kit:') ? 'same-kit' : 'exfil-to' }));
}

const NOTHING = Object.freeze({ signals: Object.freeze([]), links: Object.freeze([]) });

export function createPageDetector(options: PageDetectorOptions): LinkingDetector {
  return {
    id: PAGE_DETECTOR_ID,
    entityTypes: ['snapshot'],
    derivesLinks: true,
    async detect(subject, ctx) {
      const hash = SNAPSHOT_KEY.exec(subject.key)?.[1];
      if (!hash) return NOTHING;
      // The stored snapshot is the fact; what it names is derived again on every analysis.
      const snapshot = await options.reader.read(hash, { images: 'unhashed' });
      if (!snapshot) return NOTHING;
      const analyzer = createPageAnalyzer({
        ...options,
        config: resolvePageConfig(ctx.config(PAGE_DETECTOR_ID)),
      });
      const analysis = analyzer.analyze(snapshot, hash);
      const names = await ctx.signals(`domain:${hostOf(snapshot.finalUrl)}` as EntityKey);
      const verdict = analyzer.judge(analysis, names);
      // Name signals belong to the domain detector; return only what this detector adds.
      const own = new Set(names);
      return { signals: verdict.signals.filter((s) => !own.has(s)), links: pageLinks(analysis.entities) };
    },
  };
}
