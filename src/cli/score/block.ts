/**
 * Scores one block of lines into the bytes `precursor score` writes for it. The same function runs on
 * the main thread and in worker threads, so the output does not depend on where a block was scored.
 * @module
 */
import type { DomainEngine } from '../../detect/domain/index.js';
import { extractHosts } from '../../detect/domain/index.js';
import { errorLine, jsonLine, tableRow, truncate } from './format.js';
import { isPlainName, type LineBlock, linesOf } from './lines.js';

export interface ScoreMode {
  /** JSON lines (else table rows, with rejected lines on stderr). */
  readonly json: boolean;
  readonly onlyFlagged: boolean;
}

/** What a block gives: its stdout bytes (in pieces), its stderr text (table mode's rejections), its counts. */
export interface BlockResult {
  readonly bytes: readonly Uint8Array[];
  readonly stderr: string;
  readonly names: number;
  readonly flagged: number;
  readonly rejected: number;
  /**
   * Thrown while scoring (a bug: the engine answers bad input with an error result). The output
   * holds the lines before the one that threw, as a run on one thread wrote them before it stopped.
   */
  readonly error?: unknown;
}

/**
 * Scores blocks with one engine. One per thread, made once: the per-name steps are methods of a
 * long-lived object rather than closures made again for every block, which the optimising compiler
 * handles less well (a one-thread run took ~5% more CPU that way).
 */
export class BlockScorer {
  readonly #engine: DomainEngine;
  readonly #mode: ScoreMode;
  // The block being scored.
  #out = new ByteSink();
  #stderr = '';
  #names = 0;
  #flagged = 0;
  #rejected = 0;
  #file = '';
  #lineNo = 0;

  constructor(engine: DomainEngine, mode: ScoreMode) {
    this.#engine = engine;
    this.#mode = mode;
  }

  score(block: LineBlock): BlockResult {
    const lines = linesOf(block.text);
    this.#out = new ByteSink();
    this.#stderr = '';
    this.#names = 0;
    this.#flagged = 0;
    this.#rejected = 0;
    this.#file = block.file;
    this.#lineNo = block.startLine;
    let error: unknown;
    try {
      for (const line of lines) {
        this.#lineNo++;
        // Most lines are bare lower-case host names, which `extractHosts` would return unchanged.
        if (isPlainName(line)) {
          this.#host(line);
          continue;
        }
        const hosts = extractHosts(line);
        if (!hosts.ok) {
          this.#reject(line, hosts.code, hosts.reason);
          continue;
        }
        for (const host of hosts.hosts) this.#host(host);
      }
    } catch (e) {
      error = e;
    }
    const result = {
      bytes: this.#out.pieces(),
      stderr: this.#stderr,
      names: this.#names,
      flagged: this.#flagged,
      rejected: this.#rejected,
    };
    return error === undefined ? result : { ...result, error };
  }

  #host(host: string): void {
    const r = this.#engine.score(host);
    if (!r.ok) {
      this.#reject(host, r.code, r.reason);
      return;
    }
    this.#names++;
    if (r.flagged) this.#flagged++;
    if (this.#mode.onlyFlagged && !r.flagged) return;
    this.#out.push(this.#mode.json ? jsonLine(r) : tableRow(r));
  }

  #reject(input: string, code: string, reason: string): void {
    this.#rejected++;
    if (this.#mode.json) this.#out.push(errorLine(input, this.#file, this.#lineNo, code, reason));
    else
      this.#stderr += `precursor: ${code}: ${this.#file}:${this.#lineNo}: ${reason} (${truncate(input, 80)})\n`;
  }
}

/**
 * Lines encoded into byte buffers as they are made: joining them into one string first and encoding
 * that cost more than a third of the output time (the joined string is a tree of pieces that must be
 * flattened, and one non-Latin-1 character widens all of it). The buffers are pieces of 64 KiB rather
 * than one per block: a block's ~2.5 MB in one fresh buffer cost ~5% more CPU for the run (page faults
 * and collector work), where pieces of this size are reused by the allocator. None is from Node's shared
 * pool, so a worker can hand them over (transfer) instead of copying them.
 */
class ByteSink {
  readonly #done: Uint8Array[] = [];
  #buf = Buffer.allocUnsafeSlow(PIECE_BYTES);
  #at = 0;
  push(s: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit (a pair's four bytes are two units' six).
    const room = 3 * s.length;
    if (this.#at + room > this.#buf.length) {
      if (this.#at > 0) this.#done.push(this.#buf.subarray(0, this.#at));
      this.#buf = Buffer.allocUnsafeSlow(Math.max(PIECE_BYTES, room));
      this.#at = 0;
    }
    // As `stream.write(s)` would encode it (a lone surrogate becomes U+FFFD).
    this.#at += this.#buf.write(s, this.#at);
  }
  pieces(): Uint8Array[] {
    if (this.#at > 0) this.#done.push(this.#buf.subarray(0, this.#at));
    this.#at = 0;
    return this.#done;
  }
}

const PIECE_BYTES = 64 * 1024;
