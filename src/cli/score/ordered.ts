/**
 * Scores blocks of input lines — on this thread, or on worker threads once the input is big enough to
 * pay for starting them — and writes their output strictly in input order, whichever finished first.
 * @module
 */
import type { DomainEngine } from '../../detect/domain/index.js';
import type { CliIo } from '../command.js';
import { type BlockResult, BlockScorer, type ScoreMode } from './block.js';
import type { ScoreEngineSpec } from './engine.js';
import type { LineBlock } from './lines.js';
import type { ScorePool, SpawnScoreWorker } from './pool.js';
import type { OutputWriter } from './writer.js';

export interface Parallelism {
  /** Threads that score, this one included (1: no workers). */
  readonly threads: number;
  /** Input bytes (known from the files' sizes, or read so far) from which workers start. */
  readonly minBytes: number;
  /** The input's size when known up front (files), else 0. */
  readonly knownBytes: number;
  /** Starts a worker (tests); default worker.ts. */
  readonly spawn?: SpawnScoreWorker;
}

export interface Tally {
  names: number;
  flagged: number;
  rejected: number;
}

interface Job {
  result?: BlockResult;
  readonly done: Promise<void>;
}

export class OrderedScoring {
  readonly tally: Tally = { names: 0, flagged: 0, rejected: 0 };
  /** Blocks not written yet, in input order. */
  readonly #queue: Job[] = [];
  #writing: Promise<void> = Promise.resolve();
  #pool: ScorePool | undefined;
  #poolStarting: Promise<void> | undefined;
  #bytesRead = 0;
  #failure: { readonly error: unknown } | undefined;
  readonly #scorer: BlockScorer;
  readonly #fallback = (block: LineBlock): BlockResult => this.#scorer.score(block);

  constructor(
    engine: DomainEngine,
    private readonly spec: ScoreEngineSpec,
    private readonly mode: ScoreMode,
    private readonly out: OutputWriter,
    private readonly io: CliIo,
    private readonly parallel: Parallelism,
  ) {
    this.#scorer = new BlockScorer(engine, mode);
  }

  /** An error thrown while scoring (a bug), once every line before it is written. */
  get failure(): { readonly error: unknown } | undefined {
    return this.#failure;
  }

  /** False once nothing more is wanted: the reader went away, or scoring failed. */
  get wanted(): boolean {
    return this.#failure === undefined && !this.out.closed;
  }

  /** Writes `text` after everything added so far. */
  text(text: string): void {
    this.#enqueue({ bytes: [Buffer.from(text)], stderr: '', names: 0, flagged: 0, rejected: 0 });
  }

  /**
   * Scores a block (`bytes`: the input bytes it came from, which decide when workers start). Resolves
   * when the caller may read on: output waiting to be written is bounded.
   */
  async add(block: LineBlock, bytes: number): Promise<void> {
    this.#bytesRead += bytes;
    if (!this.wanted) return;
    await this.#maybeStartPool();
    if (block.text !== '') {
      const offered = this.#pool?.offer(block, this.#fallback);
      if (offered === undefined) this.#enqueue(this.#fallback(block));
      else {
        const job: Job = {
          done: offered.then((r) => {
            job.result = r;
            this.#schedule();
          }),
        };
        this.#queue.push(job);
      }
    }
    // One thread: each block is written before the next is read. Workers: enough blocks in hand to keep
    // every thread busy while the slowest answers.
    const limit = this.parallel.threads === 1 ? 1 : this.parallel.threads * 4;
    while (this.#queue.length > limit && this.wanted) {
      await this.#queue[0]?.done;
      await this.#writing;
    }
  }

  /** Writes everything added (unless the reader went away or scoring failed) and stops the workers. */
  async finish(): Promise<void> {
    while (this.#queue.length > 0 && this.wanted) {
      await this.#queue[0]?.done;
      await this.#writing;
    }
    await this.#writing;
    this.#pool?.close();
  }

  #enqueue(result: BlockResult): void {
    this.#queue.push({ result, done: Promise.resolve() });
    this.#schedule();
  }

  #schedule(): void {
    this.#writing = this.#writing.then(() => this.#writeReady());
  }

  /** Writes the blocks at the head of the queue that are finished. */
  async #writeReady(): Promise<void> {
    for (let head = this.#queue[0]; head?.result !== undefined && this.wanted; head = this.#queue[0]) {
      this.#queue.shift();
      const r = head.result;
      this.tally.names += r.names;
      this.tally.flagged += r.flagged;
      this.tally.rejected += r.rejected;
      if (r.stderr !== '') this.io.stderr.write(r.stderr);
      await this.out.write(r.bytes);
      if (r.error !== undefined) this.#failure = { error: r.error };
    }
  }

  async #maybeStartPool(): Promise<void> {
    const p = this.parallel;
    if (this.#poolStarting !== undefined || p.threads < 2) return;
    if (Math.max(p.knownBytes, this.#bytesRead) < p.minBytes) return;
    this.#poolStarting = import('./pool.js').then(({ ScorePool }) => {
      this.#pool = new ScorePool(p.threads - 1, { spec: this.spec, mode: this.mode }, p.spawn);
    });
    await this.#poolStarting;
  }
}
