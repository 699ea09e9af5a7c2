/**
 * The embedded pipeline: ingest → detect as function calls over one store. The CLI and the server
 * both drive it, so a name ingested by either is scored the same way.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import {
  type DetectProgress,
  type DetectStageOptions,
  detectSlice,
  holdObservations,
  runDetectStage,
} from '../detect/detect-stage.js';
import type { DetectorRegistry } from '../detect/registry.js';
import { type IngestOptions, type IngestSummary, runIngest } from '../ingest/run-ingest.js';
import type { Source } from '../ingest/source.js';
import { mentionedKeys } from '../ingest/extract.js';
import type { Aggregates, Enqueue, Store, StoredObservation } from '../store/store.js';
import type { Assessment, EntityKey, Observation, ObservationKind } from '../domain/index.js';
import { vocabulary } from '../correlate/correlate-stage.js';
import { hasDistinctiveShape } from '../correlate/naming-templates.js';
import type { DetectSubject } from '../detect/detector.js';
import { extractorFor, pivotModelFor } from './pivots-for.js';
import type { CorrelateSummary, FullRunState } from '../correlate/correlate-stage.js';
import type { LiveCorrelation, LiveSummary } from '../correlate/live-correlation.js';
import { correlate as runCorrelation, correlationBehind, liveCorrelation } from './campaigns-service.js';
import { type ReviewStageReport, runReviewStage } from '../review/review-stage.js';
import { learnedScoring } from '../review/weights-source.js';
import { DEFAULT_THRESHOLDS, learnedThresholds } from '../detect/score.js';
import {
  type CertificatePrejudge,
  certificatePrejudge,
  type PrejudgeScoring,
  prejudgeApplies,
  sameScoring,
} from './certificate-prejudge.js';
import { domainEngineSpec } from './detectors.js';

/** A correlate run: a full recluster (`mode: 'full'`) or an incremental update. */
export type CorrelationRun = (CorrelateSummary & { readonly mode: 'full' }) | LiveSummary;

export interface Pipeline {
  readonly store: Store;
  /**
   * Scale-out mode: `ingest` publishes to the work stream and returns once the stream has it; the
   * stages run in `precursor worker` processes, so an ingesting command runs none of them itself.
   */
  readonly streamed: boolean;
  /**
   * Where ingest writes observations: the store, or in the scale-out mode the work stream. Ingest
   * runners that bypass `ingest` (CT's per-log runner) write here, so they publish in that mode too.
   */
  readonly observations: Pick<Aggregates, 'observations'>;
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
      /**
       * Hold up to this many of the observations ingest stores for the detect stage after it, which
       * then takes them from memory instead of reading them back (`DetectStageOptions.fresh`).
       */
      holdForDetect?: number;
      /**
       * Judge the certificates in a worker thread while the input is read, for the detect stage after
       * it (certificate-prejudge.ts): for a large file replay.
       */
      prejudge?: boolean;
      /** The detect stage's `commitAfterMs` (one-shot commands: `BULK_COMMIT_AFTER_MS`). */
      commitAfterMs?: number;
    },
  ): Promise<{ ingest: IngestSummary; detect: DetectProgress | undefined; correlate?: CorrelationRun }>;
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
    /** Observations just stored, for the detect stage to take from memory (`DetectStageOptions.fresh`). */
    fresh?: readonly StoredObservation[];
    /** Certificates a worker judged while they were ingested, and the scoring it judged them with. */
    prejudged?: { readonly scoring: PrejudgeScoring; readonly judged: CertificatePrejudge };
    /** Slices that share a transaction (`DetectStageOptions.commitAfterMs`; default a commit per slice). */
    commitAfterMs?: number;
  }): Promise<DetectProgress & { correlate?: CorrelationRun }>;
  /**
   * Detects `observations` (already stored) as one slice of the detect stage, committing with
   * `finish` in one transaction; no stage cursor moves. A scale-out worker runs it on the partitions it
   * holds, so slices over different keys run side by side (no job lock: the caller's partition lock
   * keeps one key's slices in order).
   */
  detectSlice(
    observations: readonly Observation[],
    finish: (tx: Aggregates) => Promise<void>,
  ): Promise<{ readonly entities: number; readonly flagged: number }>;
  /**
   * `force`: a full recluster now (what `precursor correlate` runs). Otherwise, when detect has
   * processed observations correlation has not seen and `correlate.enabled` is set: an incremental
   * update over them (docs/correlation.md), or a full recluster when none has run in this process, the
   * incremental state turned stale or `correlate.fullEvery` minutes passed — inline, or in the
   * background after `fullInBackground()`. Runs are serialised; undefined when nothing ran.
   */
  correlate(options: { force: true }): Promise<CorrelateSummary & { readonly mode: 'full' }>;
  correlate(options?: { force?: boolean }): Promise<CorrelationRun | undefined>;
  /**
   * Long-running processes (the server, `run`): full reclusters happen in the background, so a request
   * waits at most for an incremental update, whose cost follows the batch, not the store.
   */
  fullInBackground(): void;
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

/**
 * Observations materialised only when they matter (`detect.materialise: signalled`): certificates,
 * nearly all of whose names are honest and draw nothing (docs/model.md, "What the graph holds").
 */
const DEFERRED_KINDS: ReadonlySet<ObservationKind> = new Set(['certificate']);

/**
 * Names whose shape a campaign's naming template could be learned from stay in the graph (the
 * prejudging worker keeps the same ones: `certificateJudge`).
 */
const distinctiveName = (key: EntityKey): boolean =>
  key.startsWith('domain:') && hasDistinctiveShape(key.slice('domain:'.length), vocabulary());

/** What the detect stage weighs signals with. */
const scoringOf = (o: DetectStageOptions): PrejudgeScoring => ({
  thresholds: o.thresholds ?? DEFAULT_THRESHOLDS,
  ...(o.weights ? { weights: o.weights } : {}),
});

/** The jobs that must never run twice at once across the processes sharing a store. */
export type PipelineJob = 'detect' | 'correlate' | 'review';

export interface PipelineOptions {
  /**
   * Runs a job so that no other process sharing the store runs the same one meanwhile (PostgreSQL
   * advisory locks); within a process the pipeline already runs each job one at a time.
   */
  readonly exclusive?: <T>(job: PipelineJob, fn: () => Promise<T>) => Promise<T>;
  /**
   * Where `ingest` writes what it reads instead of the store: the scale-out mode's work stream, which
   * acknowledges observations once durably published (checkpoints and dead letters still go to the
   * store). Detection then runs in the workers, not after `ingest`.
   */
  readonly sink?: Pick<Aggregates, 'observations'>;
}

export function createPipeline(
  store: Store,
  buildRegistry: () => Promise<DetectorRegistry>,
  config: Config,
  options: PipelineOptions = {},
): Pipeline {
  const exclusive = options.exclusive ?? (<T>(_job: PipelineJob, fn: () => Promise<T>) => fn());
  const sink = options.sink;
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
  // One correlate run at a time per process: a full run reads the whole graph and rewrites the
  // campaigns; an incremental one continues from the state the last full run ended in.
  let correlating: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = correlating.then(() => exclusive('correlate', fn));
    correlating = next.catch(() => {});
    return next;
  };
  // The incremental state is built from a full run's on first use: a one-shot command never needs it.
  let seed: FullRunState | undefined;
  let liveBuilt: LiveCorrelation | undefined;
  const liveState = (): LiveCorrelation | undefined => {
    if (seed) {
      liveBuilt = liveCorrelation(seed, config);
      seed = undefined;
    }
    return liveBuilt;
  };
  let lastFull = 0;
  let background = false;
  let backgroundRun: Promise<unknown> | undefined;
  const full = async (): Promise<CorrelateSummary & { mode: 'full' }> => {
    const summary = await runCorrelation(store, config, (state) => {
      liveBuilt = undefined;
      seed = config.correlate.incremental ? state : undefined;
    });
    lastFull = Date.now();
    return { mode: 'full', ...summary };
  };
  const due = (live: LiveCorrelation | undefined) =>
    !live || live.stale !== undefined || Date.now() - lastFull > config.correlate.fullEvery * 60_000;
  const incremental = async (): Promise<CorrelationRun | undefined> => {
    if (!(config.correlate.enabled && (await correlationBehind(store)))) return undefined;
    const live = liveState();
    if (live && !due(live)) return live.update(store, await store.stages.cursor('detect'));
    if (!background) return full();
    startBackground();
    // Until the full run is done, the state it replaces still takes arrivals in.
    return live ? live.update(store, await store.stages.cursor('detect')) : undefined;
  };
  const startBackground = () => {
    if (backgroundRun) return;
    backgroundRun = serial(full)
      // Whatever arrived while it ran is taken in at once, not at the next request.
      .then(() => serial(incremental))
      .catch(() => {
        // The next arrival tries again; the stage's cursor has not moved past anything.
      })
      .finally(() => {
        backgroundRun = undefined;
      });
  };
  const correlate = ((options: { force?: boolean } = {}) => {
    if (options.force) return serial(full);
    // While a full run is under way in the background, requests do not wait for it: it, and the
    // catch-up after it, cover what they brought.
    if (backgroundRun) return Promise.resolve(undefined);
    return serial(incremental);
  }) as Pipeline['correlate'];
  const detectOptions = async (): Promise<DetectStageOptions> => {
    // Read per run: a weights file applied meanwhile (`precursor tune --apply`) counts from the next run.
    const learned = await learnedScoring(store);
    return {
      extract: extractorFor(config),
      pivots: pivotModelFor(config),
      thresholds: learnedThresholds(config.scoring, learned),
      ...(learned ? { weights: learned.weights } : {}),
      detectorConfig: config.detectors,
      ...(config.crawl.queueFlagged ? { followUp: crawlFlaggedDomains } : {}),
      ...(config.detect.materialise === 'signalled'
        ? { deferKinds: DEFERRED_KINDS, keep: distinctiveName, mentions: mentionedKeys }
        : {}),
    };
  };
  // One detect run at a time per process: two would race on the same stage cursor.
  let running: Promise<unknown> = Promise.resolve();
  const detectOnly = (options: Parameters<Pipeline['detect']>[0] = {}) => {
    const next = running.then(async () => {
      const built = await registry();
      const base = await detectOptions();
      // The worker's answers hold only for the scoring it was given and for the domain detector alone
      // judging the names (a learned weights file applied meanwhile, or another detector: judge here).
      const p = options.prejudged;
      const idle =
        p && base.deferKinds && sameScoring(p.scoring, scoringOf(base)) && prejudgeApplies(built)
          ? (seq: number) => p.judged.idle(seq)
          : undefined;
      return exclusive('detect', async () =>
        runDetectStage(store, built, {
          ...base,
          ...(idle ? { idle } : {}),
          batchSize: config.detect.batchSize,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.fresh ? { fresh: options.fresh } : {}),
          ...(options.commitAfterMs !== undefined ? { commitAfterMs: options.commitAfterMs } : {}),
        }),
      );
    });
    running = next.catch(() => {});
    return next;
  };
  // One review run at a time per process, for the same reason.
  let reviewing: Promise<unknown> = Promise.resolve();
  const review: Pipeline['review'] = (options = {}) => {
    const next = reviewing.then(() =>
      exclusive('review', () =>
        runReviewStage(store, {
          policyFile: config.review.policy,
          provider: config.review.provider,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      ),
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
    streamed: sink !== undefined,
    observations: sink ?? store,
    registry,
    config,
    detect,
    async detectSlice(observations, finish) {
      return detectSlice(store, await registry(), await detectOptions(), observations, finish);
    },
    correlate,
    fullInBackground() {
      background = true;
    },
    review,
    async ingest(source, options = {}) {
      const { holdForDetect, prejudge, commitAfterMs, ...ingestOptions } = options;
      const detecting = options.detect !== false && sink === undefined;
      const held = holdForDetect && detecting ? holdObservations(holdForDetect) : undefined;
      let prejudged: { scoring: PrejudgeScoring; judged: CertificatePrejudge } | undefined;
      if (prejudge && detecting && config.detect.materialise === 'signalled') {
        const scoring = scoringOf(await detectOptions());
        prejudged = { scoring, judged: certificatePrejudge({ engine: domainEngineSpec(config), scoring }) };
      }
      const judged = prejudged?.judged;
      const onCommitted: IngestOptions['onCommitted'] =
        held || judged
          ? async (batch, stored) => {
              // Sent before anything else is done with the batch: the worker judges while we go on.
              judged?.add(batch, stored);
              held?.add(batch, stored);
              await options.onCommitted?.(batch, stored);
            }
          : options.onCommitted;
      try {
        const summary = await runIngest(source, sink ?? store, {
          batchSize: config.ingest.batchSize,
          maxRawChars: config.ingest.maxRawChars,
          ...ingestOptions,
          ...(held || judged ? { wantSeqs: true } : {}),
          ...(onCommitted ? { onCommitted } : {}),
        });
        await judged?.settle();
        const d = !detecting
          ? undefined
          : await detect({
              ...(held ? { fresh: held.observations } : {}),
              ...(prejudged ? { prejudged } : {}),
              ...(options.signal ? { signal: options.signal } : {}),
              ...(options.onDetectProgress ? { onProgress: options.onDetectProgress } : {}),
              ...(options.correlate === false ? { correlate: false } : {}),
              ...(options.review === false ? { review: false } : {}),
              ...(commitAfterMs !== undefined ? { commitAfterMs } : {}),
            });
        if (!d?.correlate) return { ingest: summary, detect: d };
        const { correlate: c, ...progress } = d;
        return { ingest: summary, detect: progress, correlate: c };
      } finally {
        judged?.close();
      }
    },
  };
}
