/**
 * The embedded pipeline: ingest → detect as function calls over one store. The CLI and the server
 * both drive it, so a name ingested by either is scored the same way.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { type DetectProgress, runDetectStage } from '../detect/detect-stage.js';
import type { DetectorRegistry } from '../detect/registry.js';
import { type IngestOptions, type IngestSummary, runIngest } from '../ingest/run-ingest.js';
import type { Source } from '../ingest/source.js';
import type { Enqueue, Store } from '../store/store.js';
import type { Assessment } from '../domain/index.js';
import type { DetectSubject } from '../detect/detector.js';
import { extractorFor, pivotModelFor } from './pivots-for.js';
import type { CorrelateSummary } from '../correlate/correlate-stage.js';
import { correlate as runCorrelation, correlationBehind } from './campaigns-service.js';
import { type ReviewStageReport, runReviewStage } from '../review/review-stage.js';
import { learnedScoring } from '../review/weights-source.js';
import { learnedThresholds } from '../detect/score.js';

export interface Pipeline {
  readonly store: Store;
  /**
   * The detectors, built on first use: building the domain engine's indexes and reading the brand and
   * kit catalogues costs a moment and ~100 MB, which an `ingest --no-detect` or `keys` never needs.
   */
  registry(): Promise<DetectorRegistry>;
  readonly config: Config;
  /**
   * Ingests a source to its end, then runs the detect stage over what is new, then (when
   * `correlate.enabled` and unless `correlate: false`) the correlate stage.
   */
  ingest(
    source: Source,
    options?: IngestOptions & {
      detect?: boolean;
      correlate?: boolean;
      /** Run the review stage after detection and correlation (default true). */
      review?: boolean;
      onDetectProgress?: (p: DetectProgress) => void;
    },
  ): Promise<{ ingest: IngestSummary; detect: DetectProgress | undefined; correlate?: CorrelateSummary }>;
  /**
   * Runs the review stage: the live policy over campaigns and lone flagged entities, opening or
   * updating their cases. `detect` (and so `ingest`) runs it after correlation.
   */
  review(options?: { signal?: AbortSignal }): Promise<ReviewStageReport>;
  /**
   * Runs the detect stage over every observation not yet processed, then the correlate stage when it
   * found something new (as `ingest`), then the review stage.
   */
  detect(options?: {
    signal?: AbortSignal;
    onProgress?: (p: DetectProgress) => void;
    correlate?: boolean;
    review?: boolean;
  }): Promise<DetectProgress & { correlate?: CorrelateSummary }>;
  /**
   * Runs the correlate stage now (`force`), or when detect has processed observations it has not seen
   * and `correlate.enabled` is set. Runs are serialised; undefined when nothing ran.
   */
  correlate(options?: { force?: boolean }): Promise<CorrelateSummary | undefined>;
}

/** The crawl queue is fed by flagged names: their page is what shows whether a gate is being readied. */
export const CRAWL_QUEUE = 'crawl';

function crawlFlaggedDomains(a: Assessment, subject: DetectSubject): Enqueue | undefined {
  if (!a.flagged || subject.type !== 'domain') return undefined;
  const name = subject.key.slice('domain:'.length);
  return {
    queue: CRAWL_QUEUE,
    key: subject.key,
    payload: { url: `https://${name}/`, score: a.score, reason: a.contributions[0]?.id ?? '' },
  };
}

export function createPipeline(
  store: Store,
  buildRegistry: () => Promise<DetectorRegistry>,
  config: Config,
): Pipeline {
  let built: Promise<DetectorRegistry> | undefined;
  const registry = (): Promise<DetectorRegistry> => {
    if (!built) {
      built = buildRegistry();
      // A failed build (a bad brand profile) is reported each time it is asked for, not cached.
      built.catch(() => {
        built = undefined;
      });
    }
    return built;
  };
  // One correlate run at a time per process: each reads the whole graph and rewrites the campaigns.
  let correlating: Promise<unknown> = Promise.resolve();
  const correlate: Pipeline['correlate'] = (options = {}) => {
    const next = correlating.then(async () => {
      if (!options.force && !(config.correlate.enabled && (await correlationBehind(store)))) return undefined;
      return runCorrelation(store, config);
    });
    correlating = next.catch(() => {});
    return next;
  };
  // One detect run at a time per process: two would race on the same stage cursor.
  let running: Promise<unknown> = Promise.resolve();
  const detectOnly = (options: Parameters<Pipeline['detect']>[0] = {}) => {
    const next = running.then(async () => {
      // Read per run: a weights file applied meanwhile (`precursor tune --apply`) counts from the next run.
      const learned = await learnedScoring(store);
      return runDetectStage(store, await registry(), {
        extract: extractorFor(config),
        pivots: pivotModelFor(config),
        batchSize: config.detect.batchSize,
        thresholds: learnedThresholds(config.scoring, learned),
        ...(learned ? { weights: learned.weights } : {}),
        detectorConfig: config.detectors,
        ...(config.crawl.queueFlagged ? { followUp: crawlFlaggedDomains } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    });
    running = next.catch(() => {});
    return next;
  };
  // One review run at a time per process, for the same reason.
  let reviewing: Promise<unknown> = Promise.resolve();
  const review: Pipeline['review'] = (options = {}) => {
    const next = reviewing.then(() =>
      runReviewStage(store, {
        policyFile: config.review.policy,
        provider: config.review.provider,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    reviewing = next.catch(() => {});
    return next;
  };
  const detect: Pipeline['detect'] = async (options = {}) => {
    const progress = await detectOnly(options);
    if (options.signal?.aborted) return progress;
    const summary = options.correlate === false ? undefined : await correlate();
    if (options.review !== false && (progress.observations > 0 || summary !== undefined))
      await review(options.signal ? { signal: options.signal } : {});
    return summary ? { ...progress, correlate: summary } : progress;
  };
  return {
    store,
    registry,
    config,
    detect,
    correlate,
    review,
    async ingest(source, options = {}) {
      const summary = await runIngest(source, store, {
        batchSize: config.ingest.batchSize,
        maxRawChars: config.ingest.maxRawChars,
        ...options,
      });
      const d =
        options.detect === false
          ? undefined
          : await detect({
              ...(options.signal ? { signal: options.signal } : {}),
              ...(options.onDetectProgress ? { onProgress: options.onDetectProgress } : {}),
              ...(options.correlate === false ? { correlate: false } : {}),
              ...(options.review === false ? { review: false } : {}),
            });
      if (!d?.correlate) return { ingest: summary, detect: d };
      const { correlate: c, ...progress } = d;
      return { ingest: summary, detect: progress, correlate: c };
    },
  };
}
