/**
 * The ingest contract. A source reads raw records from somewhere (a file, a CT log, a socket) and
 * parses each one at the edge into typed observations or a rejection. It never writes: the runner
 * owns batching, transactions, checkpoints and dead letters, so every source gets them for free.
 * @module
 */
import type { Observation, Rejection } from '../domain/index.js';

export interface SourceRecord {
  /** Human-meaningful position for errors and dead letters: `line 42`, `index 1234567`. */
  readonly position: string;
  /** The raw text of the record as read (the runner truncates it when dead-lettering). */
  readonly raw: string;
  /**
   * Opaque resume token: reading again from this cursor yields the records *after* this one.
   * The runner stores the cursor of the last record of each committed batch, and reads `position` and
   * `cursor` only there and for rejected records, so a source may compute them lazily (getters).
   */
  readonly cursor: string;
  /** Anything the source wants to hand its own `parse` (e.g. an already-decoded object). */
  readonly context?: unknown;
  /**
   * Set when the record's bytes could not be decoded (invalid UTF-8): the runner dead-letters it as a
   * PARSE_ERROR without calling `parse`, instead of letting U+FFFD replacements pass as data.
   */
  readonly encodingError?: string | undefined;
}

/** What a source tells the runner while reading. */
export interface ReadHooks {
  /**
   * The stored cursor does not apply to the input as it is now, so reading starts from the beginning.
   * `reason` says why (a replaced or rewritten file); undefined means the input can never resume
   * (standard input) and there is nothing to tell.
   */
  checkpointReset?(reason: string | undefined): void;
}

export type ParseResult =
  | { readonly ok: true; readonly observations: readonly Observation[] }
  | { readonly ok: false; readonly rejection: Rejection };

export interface Source {
  /** Stable instance id; checkpoints and dead letters are keyed by it (`list:feeds/new.txt`). */
  readonly id: string;
  /**
   * Records after `cursor` (undefined = from the start), in order. Honour `signal` to stop early. A
   * source may yield records in arrays (e.g. one per read chunk): the runner then pays one await per
   * array instead of one per record.
   */
  read(
    cursor: string | undefined,
    signal: AbortSignal,
    hooks?: ReadHooks,
  ): AsyncIterable<SourceRecord | readonly SourceRecord[]>;
  /** Pure and synchronous: validation at the edge; never throws for bad input. */
  parse(record: SourceRecord): ParseResult;
}

export const ok = (observations: readonly Observation[]): ParseResult => ({ ok: true, observations });
export const reject = (code: Rejection['code'], reason: string, path?: string): ParseResult => ({
  ok: false,
  rejection: path === undefined ? { code, reason } : { code, reason, path },
});
