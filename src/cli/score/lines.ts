/**
 * Input of `precursor score`, cut into blocks of whole lines: a block can be scored anywhere (this
 * thread or a worker) knowing only the file and the number of lines before it.
 *
 * Lines are split as `readline` splits them (`\n`, `\r\n` and a lone `\r` end a line; no empty last line
 * after a final line break). Written here because `readline` costs one promise per line, more than
 * scoring a remembered name.
 * @module
 */

/** Whole lines of one input and where they start. */
export interface LineBlock {
  readonly file: string;
  /** Lines of `file` before this block (the first line of the block is `startLine + 1`). */
  readonly startLine: number;
  /** One or more lines, each with its line break except possibly the input's last. */
  readonly text: string;
}

/**
 * Blocks of whole lines of a stream, one per chunk read (a chunk that ends inside a line gives the
 * part before that line; the rest starts the next block), with the byte count that chunk read.
 */
export async function* readBlocks(
  stream: NodeJS.ReadableStream,
): AsyncGenerator<{ readonly text: string; readonly bytes: number }> {
  // As readline decodes: invalid bytes become U+FFFD, a byte-order mark stays part of the first line.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let rest = '';
  for await (const chunk of stream) {
    const decoded = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    const bytes = typeof chunk === 'string' ? chunk.length : (chunk as Uint8Array).byteLength;
    let text = rest + decoded;
    // A final `\r` may be the first half of `\r\n`: wait for the next chunk.
    let hold = '';
    if (text.endsWith('\r')) {
      hold = '\r';
      text = text.slice(0, -1);
    }
    const cut = Math.max(text.lastIndexOf('\n'), text.includes('\r') ? text.lastIndexOf('\r') : -1);
    rest = text.slice(cut + 1) + hold;
    yield { text: cut < 0 ? '' : text.slice(0, cut + 1), bytes };
  }
  const tail = rest + decoder.decode();
  if (tail !== '') yield { text: tail, bytes: 0 };
}

const LINE_END = /\r\n|\n|\r/;

/** The lines of a block, without their line breaks. */
export function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.includes('\r') ? text.split(LINE_END) : text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** How many lines `linesOf(text)` gives, without splitting. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  if (text.includes('\r')) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) n++;
    }
  } else {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 0x0a || last === 0x0d ? n : n + 1;
}

/**
 * A bare host name that `extractHosts` returns as it is: `/^[a-z0-9][a-z0-9._-]*$/`, not `hxxp…`.
 * Checked by code, as the engine's own plain-name pass does, rather than by a regular expression per line.
 */
export function isPlainName(line: string): boolean {
  const n = line.length;
  if (n === 0) return false;
  const first = line.charCodeAt(0);
  if (!((first >= 0x61 && first <= 0x7a) || (first >= 0x30 && first <= 0x39))) return false;
  for (let i = 1; i < n; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x2d))
      return false;
  }
  return !(first === 0x68 && line.startsWith('hxxp'));
}
