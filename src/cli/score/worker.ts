/**
 * A `precursor score` worker thread: builds the engine the main thread describes (`ScoreEngineSpec`,
 * the shipped catalogue loaded as on the main thread) and scores the blocks it is sent, answering each
 * with the finished output bytes (handed over, not copied). See pool.ts for the protocol.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DomainEngine } from '../../detect/domain/index.js';
import { BlockScorer } from './block.js';
import { scoreEngine } from './engine.js';
import type { ScoreReply, ScoreRequest, ScoreWorkerData } from './pool.js';

const port = parentPort;
if (port === null) throw new Error('the score worker must run in a worker thread');
const data = workerData as ScoreWorkerData;
const send = (r: ScoreReply, transfer?: ArrayBuffer[]): void => port.postMessage(r, transfer);
const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let engine: DomainEngine | undefined;
try {
  engine = scoreEngine(data.spec);
} catch (e) {
  send({ op: 'failed', id: -1, message: reason(e) });
}
if (engine !== undefined) {
  const scorer = new BlockScorer(engine, data.mode);
  port.on('message', (req: ScoreRequest) => {
    const r = scorer.score(req);
    // The main thread scores a failed block again itself, so the error is reported as on one thread.
    if (r.error !== undefined) {
      send({ op: 'failed', id: req.id, message: reason(r.error) });
      return;
    }
    const { bytes, stderr, names, flagged, rejected } = r;
    send(
      { op: 'scored', id: req.id, bytes, stderr, names, flagged, rejected },
      bytes.map((b) => b.buffer as ArrayBuffer),
    );
  });
}
