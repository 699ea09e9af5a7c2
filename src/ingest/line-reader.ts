/**
 * Reads a file line by line from a byte offset, reporting each line's end offset so that a
 * checkpoint can resume exactly after it. (node:readline hides byte offsets, hence this small reader.)
 * @module
 */
import { createReadStream } from 'node:fs';
import type { SourceRecord } from './source.js';

export interface Line {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line without its terminator (a trailing CR is dropped too). */
  readonly text: string;
  /** Byte offset just after this line's terminator. */
  readonly end: number;
}

export interface LineCursor {
  readonly offset: number;
  readonly line: number;
}

/** `offset:line`: cheaper to build and parse than JSON. */
export function encodeLineCursor(c: LineCursor): string {
  return `${c.offset}:${c.line}`;
}

/**
 * A line as a source record. Position and cursor are getters: the runner reads them for one record per
 * batch (and for rejected lines), so most lines never build those two strings.
 */
export class LineRecord implements SourceRecord {
  readonly raw: string;
  readonly context: { header: true } | undefined;
  readonly #line: Line;
  constructor(line: Line, context?: { header: true }) {
    this.raw = line.text;
    this.context = context;
    this.#line = line;
  }
  get position(): string {
    return `line ${this.#line.number}`;
  }
  get cursor(): string {
    return encodeLineCursor({ offset: this.#line.end, line: this.#line.number });
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
 * to ~120 MB of garbage between full collections (~50 MB with 64 KiB). `path` of `-` reads standard
 * input (no resume: offsets are not meaningful there).
 */
export async function* readLineBatches(
  path: string,
  from: LineCursor,
  signal?: AbortSignal,
): AsyncGenerator<Line[]> {
  const stream =
    path === '-' ? process.stdin : createReadStream(path, { start: from.offset, highWaterMark: 1 << 16 });
  // Absolute byte offset of the current chunk's first byte: line ends are computed from it, so a line
  // that spans chunks still reports its true end.
  let base = path === '-' ? 0 : from.offset;
  let number = path === '-' ? 0 : from.line;
  let carry: Buffer[] = [];
  let carryLen = 0;
  // A newline byte never occurs inside a UTF-8 sequence, so each line decodes on its own.
  const text = (buf: Buffer, a: number, b: number): string => {
    const end = b > a && buf[b - 1] === 13 ? b - 1 : b;
    return buf.toString('utf8', a, end);
  };
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
        out.push({ number, text: text(joined, 0, joined.length), end });
      } else {
        out.push({ number, text: text(chunk, start, nl), end });
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
    yield [{ number, text: text(buf, 0, buf.length), end: base }];
  }
}

export async function* readLines(path: string, from: LineCursor, signal?: AbortSignal): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(path, from, signal)) yield* batch;
}
