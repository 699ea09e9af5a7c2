/**
 * Reads a file line by line from a byte offset, reporting each line's end offset so that a
 * checkpoint can resume exactly after it. (node:readline hides byte offsets, hence this small reader.)
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { SourceRecord } from './source.js';

export interface Line {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line without its terminator (a trailing CR is dropped too). */
  readonly text: string;
  /** Byte offset just after this line's terminator. */
  readonly end: number;
  /** Set when the line's bytes are not valid UTF-8 (`text` then shows each bad byte as U+FFFD). */
  readonly badUtf8?: true;
}

export interface LineCursor {
  readonly offset: number;
  readonly line: number;
}

/** `offset:line`: cheaper to build and parse than JSON. */
export function encodeLineCursor(c: LineCursor): string {
  return `${c.offset}:${c.line}`;
}

/** Where a line sits in its file: what a record's position, cursor and encoding error are made of. */
export interface LinePlace {
  readonly number: number;
  readonly end: number;
  readonly badUtf8?: true;
}

/**
 * A record read from one line of a file. Position and cursor are getters: the runner reads them for
 * one record per batch (and for rejected lines), so most lines never build those two strings.
 * `cursorPrefix` names the file the offset belongs to (see file-checkpoint.ts).
 */
export abstract class LinePlacedRecord implements SourceRecord {
  abstract readonly raw: string;
  readonly #place: LinePlace;
  readonly #prefix: string;
  constructor(place: LinePlace, cursorPrefix: string) {
    this.#place = place;
    this.#prefix = cursorPrefix;
  }
  get position(): string {
    return `line ${this.#place.number}`;
  }
  get cursor(): string {
    return `${this.#prefix}${encodeLineCursor({ offset: this.#place.end, line: this.#place.number })}`;
  }
  get encodingError(): string | undefined {
    return this.#place.badUtf8
      ? 'the line is not valid UTF-8 (each bad byte is shown as U+FFFD in the raw text)'
      : undefined;
  }
}

/** A line as a source record, its text to be parsed by the runner. */
export class LineRecord extends LinePlacedRecord {
  readonly raw: string;
  readonly context: { header: true } | undefined;
  constructor(line: Line, context?: { header: true }, cursorPrefix = '') {
    super(line, cursorPrefix);
    this.raw = line.text;
    this.context = context;
  }
}

export function decodeLineCursor(s: string | undefined): LineCursor {
  if (s === undefined) return { offset: 0, line: 0 };
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(s);
  if (!m) throw new Error(`invalid line cursor '${s}'`);
  return { offset: Number(m[1]), line: Number(m[2]) };
}

/**
 * Lines in batches, one batch per read chunk: a consumer pays one await per 64 KiB (~1,500 short lines)
 * instead of one per line. Larger chunks were no faster and cost memory: 1 MiB chunks keep ~20,000
 * lines alive across several ingest batches, V8 promotes them to the old generation, and the heap grew
 * to ~120 MB of garbage between full collections (~50 MB with 64 KiB). `path` of `-` reads `stdin`
 * (default the process's; no resume: offsets are not meaningful there). A UTF-8 byte-order mark at the
 * start of the input is not part of the first line.
 */
export async function* readLineBatches(
  path: string,
  from: LineCursor,
  signal?: AbortSignal,
  stdin: NodeJS.ReadableStream = process.stdin,
): AsyncGenerator<Line[]> {
  const stream =
    path === '-' ? stdin : createReadStream(path, { start: from.offset, highWaterMark: 1 << 16 });
  // Absolute byte offset of the current chunk's first byte: line ends are computed from it, so a line
  // that spans chunks still reports its true end.
  let base = path === '-' ? 0 : from.offset;
  let number = path === '-' ? 0 : from.line;
  const atStart = base === 0;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let bad = false;
  // A newline byte never occurs inside a UTF-8 sequence, so each line decodes on its own. Decoding
  // replaces a bad byte by U+FFFD; only a line that shows one is checked (rarely), and flagged.
  const text = (buf: Buffer, a: number, b: number): string => {
    let start = a;
    if (
      atStart &&
      number === 1 &&
      b - a >= 3 &&
      buf[a] === 0xef &&
      buf[a + 1] === 0xbb &&
      buf[a + 2] === 0xbf
    )
      start += 3;
    const end = b > start && buf[b - 1] === 13 ? b - 1 : b;
    const s = buf.toString('utf8', start, end);
    bad = s.includes('\uFFFD') && !isUtf8(buf.subarray(start, end));
    return s;
  };
  const line = (n: number, t: string, end: number): Line =>
    bad ? { number: n, text: t, end, badUtf8: true } : { number: n, text: t, end };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) return;
    const out: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      number += 1;
      const end = base + nl + 1;
      if (carryLen > 0) {
        carry.push(chunk.subarray(start, nl));
        const joined = Buffer.concat(carry, carryLen + nl - start);
        carry = [];
        carryLen = 0;
        out.push(line(number, text(joined, 0, joined.length), end));
      } else {
        out.push(line(number, text(chunk, start, nl), end));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carryLen += chunk.length - start;
    }
    base += chunk.length;
    if (out.length > 0) yield out;
  }
  if (carryLen > 0) {
    const buf = Buffer.concat(carry, carryLen);
    number += 1;
    yield [line(number, text(buf, 0, buf.length), base)];
  }
}

export async function* readLines(
  path: string,
  from: LineCursor,
  signal?: AbortSignal,
  stdin?: NodeJS.ReadableStream,
): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(path, from, signal, stdin)) yield* batch;
}
