/**
 * Judging a replay's certificates in a worker thread while the input is still being read. With
 * `detect.materialise: signalled` the detect stage writes a certificate into the graph only when one
 * of its names matters (a score above 0, or a distinctive naming shape; detect-stage.ts) — most do
 * not — and it judged every name on the main thread, where the store's writes also run. Here a worker
 * builds the same domain engine (`domainEngineSpec`) and, for each committed batch, says which of its
 * certificates matter to nothing; the detect stage then leaves those as observations without
 * extracting them or scoring their names (`DetectStageOptions.idle`). Whether a certificate matters is
 * its own names' business alone, so the worker's answer is the stage's own and everything written is
 * the same as without it; a certificate the worker did not answer for (it failed, or the input was
 * small) is judged on the main thread as before. The store is never touched off the main thread: what
 * is committed, and in what order, is unchanged.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../lib/module-worker.js';
import { vocabulary } from '../correlate/correlate-stage.js';
import { hasDistinctiveShape } from '../correlate/naming-templates.js';
import { createDomainDetector } from '../detect/domain/detector.js';
import type { DetectContext } from '../detect/detector.js';
import type { DetectorRegistry } from '../detect/registry.js';
import { assess, type ScoreThresholds, type SignalWeights } from '../detect/score.js';
import type { EntityKey, Observation, ObservationPayloads } from '../domain/index.js';
import { canonicalHost } from '../ingest/canonical-host.js';
import type { IngestBatchResult } from '../store/store.js';
import { type DomainEngineSpec, domainEngineOf } from './detectors.js';

/** What a certificate's names are weighed with: the detect stage's thresholds and learned weights. */
export interface PrejudgeScoring {
  readonly thresholds: ScoreThresholds;
  readonly weights?: SignalWeights;
}

/** What the worker is started with. */
export interface PrejudgeWorkerData {
  readonly engine: DomainEngineSpec;
  readonly scoring: PrejudgeScoring;
}

/** One batch's certificates: their raw names, one after another, and how many each has. */
export interface PrejudgeRequest {
  readonly names: readonly string[];
  readonly counts: Uint32Array;
}

/** Per certificate of the request, in order: 1 when it matters to nothing, else 0. */
export interface PrejudgeReply {
  readonly idle: Uint8Array;
}

/**
 * Whether a certificate with these raw names matters to nothing, as the detect stage decides it
 * (detect-stage.ts `matters`, with the pipeline's `keep`): each canonical name is judged by the domain
 * detector alone (a certificate brings no registration date, so the event time plays no part), and a
 * name matters when its signals score above 0 or its shape is distinctive. The domain detector derives
 * no links. Each name's verdict is remembered (up to `memo` names, then forgotten at once).
 */
export function certificateJudge(
  data: PrejudgeWorkerData,
  memo = 1_000_000,
): (names: readonly string[]) => boolean {
  // The name alone: a name that ownership evidence on its certificate would clear still matters (the
  // signal cites the certificate), so the verdict is the stage's.
  const detector = createDomainDetector(domainEngineOf(data.engine), { certificates: false });
  const { thresholds, weights } = data.scoring;
  const ctx: DetectContext = {
    now: '',
    config: () => undefined,
    entity: () => Promise.resolve(undefined),
    links: () => Promise.resolve([]),
    signals: () => Promise.resolve([]),
  };
  const verdicts = new Map<string, boolean>();
  const matters = (name: string): boolean => {
    let v = verdicts.get(name);
    if (v !== undefined) return v;
    const key = `domain:${name}` as EntityKey;
    const signals = detector.detect({ key, type: 'domain', display: name, attrs: {} }, ctx);
    if (!Array.isArray(signals)) throw new Error('the domain detector is synchronous');
    v =
      (signals.length > 0 && assess(key, signals, '', thresholds, weights).score > 0) ||
      hasDistinctiveShape(name, vocabulary());
    if (verdicts.size >= memo) verdicts.clear();
    verdicts.set(name, v);
    return v;
  };
  return (names) => {
    for (const raw of names) {
      const h = canonicalHost(raw);
      if (h.ok && matters(h.ascii)) return false;
    }
    return true;
  };
}

/** Whether two scorings weigh alike (the worker's answers hold only for the one it was given). */
export const sameScoring = (a: PrejudgeScoring, b: PrejudgeScoring): boolean =>
  a.thresholds.flag === b.thresholds.flag &&
  a.thresholds.malicious === b.thresholds.malicious &&
  JSON.stringify(a.weights ?? null) === JSON.stringify(b.weights ?? null);

/**
 * Whether the registry judges a certificate's entities as the worker does: its names by the domain
 * detector alone, which derives no links, and the certificate itself by no detector.
 */
export function prejudgeApplies(registry: DetectorRegistry): boolean {
  const names = registry.for('domain');
  return (
    names.length === 1 &&
    names[0]?.id === 'domain' &&
    names[0].derivesLinks !== true &&
    registry.for('cert').length === 0
  );
}

export interface CertificatePrejudge {
  /** Sends a committed batch's new certificates to the worker (started at `minCertificates`). */
  add(observations: readonly Observation[], stored: IngestBatchResult): void;
  /** Resolves once every batch sent is answered (or the worker failed), and stops the worker. */
  settle(): Promise<void>;
  /** True when the worker found that the observation stored under `seq` matters to nothing. */
  idle(seq: number): boolean;
  /** Stops the worker. */
  close(): void;
}

export interface PrejudgeOptions {
  /**
   * New certificates to hold back before starting the worker (default 20,000): building a second
   * engine costs the worker about a second, which a small input would wait for instead of saving.
   */
  readonly minCertificates?: number;
  /** Sequence numbers answered for at most (default 50,000,000: 50 MB). */
  readonly maxSpan?: number;
}

export function certificatePrejudge(
  data: PrejudgeWorkerData,
  options: PrejudgeOptions = {},
): CertificatePrejudge {
  const minCertificates = options.minCertificates ?? 20_000;
  const maxSpan = options.maxSpan ?? 50_000_000;
  // 1 at `seq - base`: the observation stored under `seq` matters to nothing.
  let idle = new Uint8Array(0);
  let base = -1;
  let worker: Worker | undefined;
  let failed = false;
  // The sequence numbers of each request sent and not yet answered, in order (replies come in order).
  const sent: (readonly (number | undefined)[])[] = [];
  let held: { observations: readonly Observation[]; seqs: readonly (number | undefined)[] }[] = [];
  let heldCertificates = 0;
  let waiters: (() => void)[] = [];
  const wake = () => {
    if (sent.length > 0 && !failed) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const stop = () => {
    const w = worker;
    worker = undefined;
    sent.length = 0;
    // The worker holds nothing of the store's: ending it mid-reply loses only answers.
    void w?.terminate();
    wake();
  };
  const mark = (seqs: readonly (number | undefined)[], reply: PrejudgeReply) => {
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs[i];
      if (seq === undefined || reply.idle[i] !== 1) continue;
      if (base < 0) base = seq;
      const at = seq - base;
      if (at < 0 || at >= maxSpan) continue;
      if (at >= idle.length) {
        const grown = new Uint8Array(Math.min(maxSpan, Math.max(at + 1, idle.length * 2, 65_536)));
        grown.set(idle);
        idle = grown;
      }
      idle[at] = 1;
    }
  };
  const start = (): Worker => {
    const w = spawnPrejudgeWorker(data);
    w.on('message', (r: PrejudgeReply) => {
      const seqs = sent.shift();
      if (seqs) mark(seqs, r);
      wake();
    });
    // The worker only saves time: should it fail, the detect stage judges the certificates itself.
    const fail = () => {
      if (worker !== w) return;
      failed = true;
      stop();
    };
    w.on('error', fail);
    w.on('exit', fail);
    return w;
  };
  const send = (observations: readonly Observation[], seqs: readonly (number | undefined)[]) => {
    const names: string[] = [];
    const counts = new Uint32Array(observations.length);
    const certSeqs: (number | undefined)[] = [];
    let n = 0;
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i] as Observation;
      // Duplicates (no sequence number) are not asked about: the store had them already.
      if (o.kind !== 'certificate' || seqs[i] === undefined) continue;
      const list = (o.payload as ObservationPayloads['certificate']).names;
      for (const name of list) names.push(name);
      counts[n++] = list.length;
      certSeqs.push(seqs[i]);
    }
    if (n === 0) return;
    worker ??= start();
    sent.push(certSeqs);
    worker.postMessage({ names, counts: counts.subarray(0, n) } satisfies PrejudgeRequest);
  };
  return {
    add(observations, stored) {
      const seqs = stored.insertedSeqs;
      if (failed || !seqs) return;
      if (worker) return send(observations, seqs);
      held.push({ observations, seqs });
      for (let i = 0; i < observations.length; i++)
        if ((observations[i] as Observation).kind === 'certificate' && seqs[i] !== undefined)
          heldCertificates += 1;
      if (heldCertificates < minCertificates) return;
      const all = held;
      held = [];
      for (const h of all) send(h.observations, h.seqs);
    },
    settle() {
      held = [];
      if (!worker || sent.length === 0) {
        stop();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push(resolve)).then(stop);
    },
    idle(seq) {
      return base >= 0 && idle[seq - base] === 1;
    },
    close() {
      held = [];
      stop();
    },
  };
}

function spawnPrejudgeWorker(data: PrejudgeWorkerData): Worker {
  return moduleWorker(import.meta.url, 'certificate-prejudge-worker', { workerData: data });
}
