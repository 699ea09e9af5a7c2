/**
 * Worker threads for `precursor score` on big inputs. Each worker builds its own engine (worker.ts)
 * and answers every block it is sent with the finished output, or says the block failed; a worker that
 * fails as a whole (does not start, throws, exits) is dropped and its unanswered blocks go back to the
 * caller's fallback — scoring them on the main thread — so no line is lost and none moves.
 *
 * Protocol: the worker's start-up data is `ScoreWorkerData`; each request is a block with an id; each
 * reply is `scored` (the bytes handed over) or `failed` (id -1: the worker could not start).
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../lib/module-worker.js';
import type { BlockResult, ScoreMode } from './block.js';
import type { ScoreEngineSpec } from './engine.js';
import type { LineBlock } from './lines.js';

export interface ScoreWorkerData {
  readonly spec: ScoreEngineSpec;
  readonly mode: ScoreMode;
}

export interface ScoreRequest extends LineBlock {
  readonly id: number;
}

export type ScoreReply =
  | ({ readonly op: 'scored'; readonly id: number } & Omit<BlockResult, 'error'>)
  | { readonly op: 'failed'; readonly id: number; readonly message: string };

/** Starts one worker thread running worker.ts (tests pass their own). */
export type SpawnScoreWorker = (data: ScoreWorkerData) => Worker;

/**
 * Blocks a worker holds at once: the one it scores and the next ones, so that it never waits while
 * the main thread is busy scoring a block of its own.
 */
const IN_FLIGHT = 3;

interface Job {
  readonly block: ScoreRequest;
  readonly done: (r: BlockResult) => void;
  readonly fallback: (block: LineBlock) => BlockResult;
}

interface Slot {
  readonly worker: Worker;
  /** Blocks sent and not answered, by id (in the order sent). */
  readonly jobs: Map<number, Job>;
  dead: boolean;
}

export class ScorePool {
  readonly #slots: Slot[] = [];
  #nextId = 0;

  constructor(size: number, data: ScoreWorkerData, spawn: SpawnScoreWorker = spawnScoreWorker) {
    for (let i = 0; i < size; i++) {
      let worker: Worker;
      try {
        worker = spawn(data);
      } catch {
        continue; // No worker: the main thread scores more itself.
      }
      const slot: Slot = { worker, jobs: new Map(), dead: false };
      worker.on('message', (r: ScoreReply) => this.#reply(slot, r));
      worker.on('error', () => this.#drop(slot));
      worker.on('messageerror', () => this.#drop(slot));
      worker.on('exit', () => this.#drop(slot));
      this.#slots.push(slot);
    }
  }

  /**
   * Sends `block` to the least busy worker, or returns undefined when every worker is full or gone
   * (the caller scores it). The promise never rejects: a block the worker cannot answer is given to
   * `fallback`.
   */
  offer(block: LineBlock, fallback: (block: LineBlock) => BlockResult): Promise<BlockResult> | undefined {
    let best: Slot | undefined;
    for (const s of this.#slots)
      if (!s.dead && s.jobs.size < IN_FLIGHT && (best === undefined || s.jobs.size < best.jobs.size))
        best = s;
    if (best === undefined) return undefined;
    const slot = best;
    const req: ScoreRequest = {
      id: this.#nextId++,
      file: block.file,
      startLine: block.startLine,
      text: block.text,
    };
    return new Promise<BlockResult>((done) => {
      slot.jobs.set(req.id, { block: req, done, fallback });
      try {
        slot.worker.postMessage(req);
      } catch {
        this.#drop(slot);
      }
    });
  }

  /** Stops every worker; blocks still unanswered stay so (the caller no longer waits for them). */
  close(): void {
    for (const s of this.#slots) {
      s.dead = true;
      s.jobs.clear();
      void s.worker.terminate();
    }
  }

  #reply(slot: Slot, r: ScoreReply): void {
    if (r.op === 'failed' && r.id === -1) {
      this.#drop(slot);
      return;
    }
    const job = slot.jobs.get(r.id);
    if (job === undefined) return;
    slot.jobs.delete(r.id);
    if (r.op === 'failed') job.done(job.fallback(job.block));
    else
      job.done({
        bytes: r.bytes,
        stderr: r.stderr,
        names: r.names,
        flagged: r.flagged,
        rejected: r.rejected,
      });
  }

  /** A worker that can no longer answer: its blocks are scored by the fallback, in the order sent. */
  #drop(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of jobs) job.done(job.fallback(job.block));
    void slot.worker.terminate();
  }
}

function spawnScoreWorker(data: ScoreWorkerData): Worker {
  return moduleWorker(import.meta.url, 'worker', { workerData: data });
}
