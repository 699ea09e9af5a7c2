/**
 * Reading and parsing a certstream replay file in a worker thread, ahead of the ingest runner: on a
 * large replay the main thread, which also runs every store write and the stages after ingest, spent
 * about a quarter of the ingest phase reading lines and parsing their JSON. The worker runs the same
 * line reader and the same pure `parseCertstreamMessage` over the same bytes, so the records, their
 * positions and cursors and their parse results are what the main thread would have made; the runner
 * still batches, commits and checkpoints them on the main thread, in input order, so what is committed
 * (and `kill -9` safety) is unchanged. The worker runs at most a few batches ahead (bounded memory).
 * Should it fail, reading goes on in the main thread from the line after the last one it delivered.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../../lib/module-worker.js';
import { LinePlacedRecord, type LineCursor, readLineBatches } from '../../line-reader.js';
import type { ParseResult, SourceRecord } from '../../source.js';

/** What the worker is started with. */
export interface ParseAheadData {
  readonly path: string;
  readonly from: LineCursor;
  /** The source id the observations carry. */
  readonly source: string;
  /** Lines per message to the main thread. */
  readonly lines: number;
}

/** One non-blank line, parsed. */
export interface ParsedLine {
  readonly number: number;
  /** Byte offset just after the line's terminator. */
  readonly end: number;
  /** The line's text: only when it was rejected or is not UTF-8 (a dead letter keeps it). */
  readonly raw?: string;
  /** Set when the line's bytes are not UTF-8: it is not parsed (the runner dead-letters it). */
  readonly badUtf8?: true;
  readonly result?: ParseResult;
}

/** Worker → main thread. */
export type ParseAheadMessage =
  | { readonly op: 'lines'; readonly lines: readonly ParsedLine[] }
  | { readonly op: 'done' }
  | { readonly op: 'failed'; readonly message: string };

/** Main thread → worker: one more batch may be sent. */
export type ParseAheadCredit = { readonly op: 'more' };

/**
 * Batches the worker may have sent and the runner not yet taken (the worker module starts with this
 * much credit).
 */
export const PARSE_AHEAD_BATCHES = 4;

/** A line the worker parsed: position and cursor are built only when the runner asks (getters). */
export class ParsedLineRecord extends LinePlacedRecord {
  readonly raw: string;
  readonly parsed: ParseResult | undefined;
  constructor(line: ParsedLine, cursorPrefix: string) {
    super(line, cursorPrefix);
    // The runner reads `raw` only to dead-letter a record; an accepted line's text is not sent back.
    this.raw = line.raw ?? '';
    this.parsed = line.result;
  }
}

/**
 * The worker's side: reads `data.path` from `data.from` and sends its non-blank lines parsed by
 * `parse`, `data.lines` at a time, whenever `credit` allows one more message.
 */
export async function parseAheadLines(
  data: ParseAheadData,
  parse: (raw: string) => ParseResult,
  send: (m: ParseAheadMessage) => void,
  credit: () => Promise<void>,
): Promise<void> {
  let out: ParsedLine[] = [];
  const flush = async () => {
    await credit();
    send({ op: 'lines', lines: out });
    out = [];
  };
  for await (const lines of readLineBatches(data.path, data.from)) {
    for (const line of lines) {
      if (line.text.trim() === '') continue;
      if (line.badUtf8) {
        out.push({ number: line.number, end: line.end, raw: line.text, badUtf8: true });
        continue;
      }
      const result = parse(line.text);
      out.push(
        result.ok
          ? { number: line.number, end: line.end, result }
          : { number: line.number, end: line.end, raw: line.text, result },
      );
    }
    if (out.length >= data.lines) await flush();
  }
  if (out.length > 0) await flush();
  send({ op: 'done' });
}

/**
 * The main thread's side: the records of `path` from `from`, parsed by a worker thread running the
 * module `workerName` (beside this one), in batches. `fallback` reads on in the main thread from a
 * line cursor, should the worker fail.
 */
export async function* readParsedAhead(
  data: ParseAheadData,
  workerName: string,
  cursorPrefix: string,
  signal: AbortSignal,
  fallback: (from: LineCursor) => AsyncIterable<SourceRecord[]>,
): AsyncGenerator<SourceRecord[]> {
  const worker: Worker = moduleWorker(import.meta.url, workerName, { workerData: data });
  const queue: ParseAheadMessage[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const push = (m: ParseAheadMessage) => {
    queue.push(m);
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: ParseAheadMessage) => push(m));
  worker.on('error', (e: Error) => push({ op: 'failed', message: e.message }));
  worker.on('exit', () => {
    if (!ended) push({ op: 'failed', message: 'the parsing worker exited' });
  });
  const onAbort = () => push({ op: 'failed', message: 'aborted' });
  signal.addEventListener('abort', onAbort, { once: true });
  let at = data.from;
  try {
    for (;;) {
      let m = queue.shift();
      while (m === undefined) {
        await new Promise<void>((r) => {
          wake = r;
        });
        m = queue.shift();
      }
      if (m.op === 'done') {
        ended = true;
        return;
      }
      if (m.op === 'failed') break;
      worker.postMessage({ op: 'more' } satisfies ParseAheadCredit);
      const last = m.lines[m.lines.length - 1];
      if (last === undefined) continue;
      at = { offset: last.end, line: last.number };
      yield m.lines.map((l) => new ParsedLineRecord(l, cursorPrefix));
    }
    ended = true;
    void worker.terminate();
    if (signal.aborted) return;
    // The worker failed: the main thread reads on from the line after the last one delivered.
    yield* fallback(at);
  } finally {
    ended = true;
    signal.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}
