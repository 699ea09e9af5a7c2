/**
 * The domain engine as `precursor score` configures it, built from plain data so that a worker thread
 * builds the same engine as the main thread.
 * @module
 */
import { createDomainEngine, type DomainEngine, loadBrandProfiles } from '../../detect/domain/index.js';
import { aggregate, reweigh, type SignalWeights } from '../../detect/score.js';

/** Everything the engine is built from (structured-clonable: it is a worker's start-up data). */
export interface ScoreEngineSpec {
  /** Brand profiles: a YAML file or directory (the shipped one uses the prebuilt catalogue). */
  readonly brands: string;
  /** The flag threshold, when not the default. */
  readonly flag?: number;
  /** Learned signal weights (`--weights`), put in place of the detectors'. */
  readonly weights?: SignalWeights;
}

/**
 * Labels the engine remembers (`DomainEngineOptions.knownLabels`): four times the default, ~9 MiB more.
 * A list's names repeat their registrable labels far apart (a site's hosts, `www.` and the bare name
 * scattered through a popularity list): on the 305,614 names of bench/user-path.ts the default reaches
 * a label seen before in 106,000 of 305,614 names, this in 179,000 — ~15% less CPU for the run. The
 * results are the same either way, which is also what lets each worker thread keep its own.
 */
const SCORE_KNOWN_LABELS = 65536;

export function scoreEngine(spec: ScoreEngineSpec): DomainEngine {
  const engine = createDomainEngine({
    profiles: loadBrandProfiles(spec.brands),
    config: spec.flag === undefined ? {} : { thresholds: { flag: spec.flag } },
    knownLabels: SCORE_KNOWN_LABELS,
  });
  return spec.weights === undefined ? engine : withLearnedWeights(engine, spec.weights);
}

/** The engine's scores with learned weights put in place of the detectors' (same aggregation). */
function withLearnedWeights(engine: DomainEngine, weights: SignalWeights): DomainEngine {
  return {
    config: engine.config,
    index: engine.index,
    score(nameOrUrl, facts) {
      const r = engine.score(nameOrUrl, facts);
      if (!r.ok) return r;
      const signals = reweigh(r.signals, weights);
      const a = aggregate(signals, engine.config.thresholds);
      return {
        ...r,
        signals,
        score: a.score,
        flagged: a.flagged,
        verdict: a.verdict,
        contributions: a.contributions,
      };
    },
  };
}
