/**
 * Reads a file line by line from a byte offset, reporting each line's end offset so that a
 * checkpoint can resume exactly after it. (node:readline hides byte offsets, hence this small reader.)
 * @module
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

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

/** `offset:line` — built once per line, so it is kept cheaper than JSON. */
export function encodeLineCursor(c: LineCursor): string {
  return `${c.offset}:${c.line}`;
}

export function decodeLineCursor(s: string | undefined): LineCursor {
  if (s === undefined) return { offset: 0, line: 0 };
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(s);
  if (!m) throw new Error(`invalid line cursor '${s}'`);
  return { offset: Number(m[1]), line: Number(m[2]) };
}

/** `path` of `-` reads standard input (no resume: offsets are not meaningful there). */
export async function* readLines(path: string, from: LineCursor, signal?: AbortSignal): AsyncGenerator<Line> {
  const stream =
    path === '-' ? process.stdin : createReadStream(path, { start: from.offset, highWaterMark: 1 << 20 });
  let offset = path === '-' ? 0 : from.offset;
  let number = path === '-' ? 0 : from.line;
  let carry: Buffer[] = [];
  let carryLen = 0;
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      let buf = chunk.subarray(start, nl);
      if (carryLen > 0) {
        carry.push(buf);
        buf = Buffer.concat(carry, carryLen + buf.length);
        carry = [];
        carryLen = 0;
      }
      offset += nl - start + 1;
      start = nl + 1;
      number += 1;
      let text = decoder.write(buf) + decoder.end();
      if (text.endsWith('\r')) text = text.slice(0, -1);
      yield { number, text, end: offset };
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carryLen += chunk.length - start;
    }
  }
  if (carryLen > 0) {
    const buf = Buffer.concat(carry, carryLen);
    offset += carryLen;
    number += 1;
    let text = decoder.write(buf) + decoder.end();
    if (text.endsWith('\r')) text = text.slice(0, -1);
    yield { number, text, end: offset };
  }
}
