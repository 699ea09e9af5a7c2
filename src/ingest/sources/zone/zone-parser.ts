/**
 * A streaming parser for RFC 1035 §5 master files (zone files), hand-written on purpose: the npm
 * zone-file packages (`dns-zonefile`, `zone-file`) parse a whole string into memory, which cannot work
 * for a 20 GB `.com` zone, and none streams. This one reads chunks, keeps only the current logical
 * entry in memory, and has a fast path for the common line (no parentheses, quotes, comments or
 * escapes) that is just a whitespace split. It handles `$ORIGIN`, `$TTL`, `@`, relative names, blank
 * owners (previous owner), optional TTL/class in either order, `;` comments, quoted strings and
 * multi-line `( … )` entries. `$INCLUDE` and `$GENERATE` are reported as errors (a zone from a
 * registry never uses them, and following includes from untrusted input is unsafe).
 * Malformed entries are yielded as `{ error }` items with their line number, never thrown.
 * @module
 */
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';

export interface ZoneRecord {
  /** Absolute owner name, lower case, with the trailing dot (`example.com.`). */
  readonly owner: string;
  readonly ttl: number | undefined;
  /** Upper case (`NS`, `A`, `TYPE65`). */
  readonly type: string;
  /** RDATA fields as written (domain-name fields of NS/CNAME/MX… are not made absolute here). */
  readonly rdata: readonly string[];
  readonly line: number;
  /** The `$ORIGIN` in force, to make relative names in RDATA absolute (`absoluteName(rdata[0], origin)`). */
  readonly origin: string;
}

export interface ZoneParseError {
  readonly error: string;
  readonly line: number;
}

export type ZoneItem = ZoneRecord | ZoneParseError;

export interface ZoneParseOptions {
  /** Initial `$ORIGIN` (absolute, e.g. `com.`); default `.`. */
  readonly origin?: string;
  /** Only records of these types are yielded (others are still validated cheaply); default all. */
  readonly types?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);
const TTL_RE = /^\d+$|^(\d+[smhdw])+$/i;
const TTL_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function parseTtl(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!TTL_RE.test(s)) return undefined;
  let total = 0;
  for (const m of s.toLowerCase().matchAll(/(\d+)([smhdw])/g))
    total += Number(m[1]) * (TTL_UNIT[m[2] as string] as number);
  return total;
}

/** Makes `name` absolute against `origin` and lower-cases it. */
export function absoluteName(name: string, origin: string): string {
  if (name === '@') return origin;
  const lower = name.toLowerCase();
  if (lower.endsWith('.') && !lower.endsWith('\\.')) return lower;
  return origin === '.' ? `${lower}.` : `${lower}.${origin}`;
}

/**
 * Tokenises one logical entry that may contain quotes, comments, escapes or parentheses.
 * Returns the tokens and the parenthesis depth left open at the end (to continue on the next line).
 */
function tokenize(text: string, depth: number, out: string[]): number {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
    } else if (c === 59) {
      break; // ';' comment to end of line
    } else if (c === 40) {
      depth++;
      i++;
    } else if (c === 41) {
      depth--;
      i++;
    } else if (c === 34) {
      let j = i + 1;
      let s = '';
      while (j < n && text.charCodeAt(j) !== 34) {
        if (text.charCodeAt(j) === 92 && j + 1 < n) {
          s += text[j] as string;
          j++;
        }
        s += text[j] as string;
        j++;
      }
      out.push(`"${s}"`);
      i = j + 1;
    } else {
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 32 || d === 9 || d === 13 || d === 59 || d === 40 || d === 41 || d === 34) break;
        j += d === 92 ? 2 : 1; // keep escaped characters inside the token
      }
      out.push(text.slice(i, Math.min(j, n)));
      i = j;
    }
  }
  return depth;
}

const SIMPLE = /[();"\\]/;

/**
 * The line-level state machine. Feed it lines in order; it returns at most one item per call.
 * Synchronous, so a hot loop (the zone diff) pays no promise per record.
 */
export class ZoneParser {
  #origin: string;
  #originBytes: Buffer;
  #defaultTtl: number | undefined;
  // The previous owner, as a string (string path) and/or as bytes (byte path); each made from the
  // other only when the other path needs it.
  #lastOwnerStr: string | undefined;
  #lastOwnerBytes: Buffer = Buffer.allocUnsafe(256);
  #lastOwnerLen = -1; // -1: no bytes form (none yet, or only the string form is current)
  #lastTtl: number | undefined;
  readonly #types: ReadonlySet<string> | undefined;
  #lineNo = 0;
  #pending: string[] | undefined; // tokens of an entry open across lines
  #pendingDepth = 0;
  #pendingLine = 0;
  #pendingBlankOwner = false;

  readonly #wantNs: boolean;
  // Scratch for the byte path: token bounds and the target being built.
  readonly #tok = new Int32Array(16);
  #target: Buffer = Buffer.allocUnsafe(256);

  constructor(options: ZoneParseOptions = {}) {
    this.#origin = options.origin ?? '.';
    this.#originBytes = Buffer.from(this.#origin, 'latin1');
    this.#types = options.types;
    this.#wantNs = options.types === undefined || options.types.has('NS');
  }

  get #lastOwner(): string | undefined {
    if (this.#lastOwnerStr === undefined && this.#lastOwnerLen >= 0)
      this.#lastOwnerStr = this.#lastOwnerBytes.toString('latin1', 0, this.#lastOwnerLen);
    return this.#lastOwnerStr;
  }

  set #lastOwner(owner: string) {
    this.#lastOwnerStr = owner;
    this.#lastOwnerLen = -1;
  }

  #setOrigin(origin: string): void {
    this.#origin = origin;
    this.#originBytes = Buffer.from(origin, 'latin1');
  }

  /** The line number of the last line fed. */
  get lineNumber(): number {
    return this.#lineNo;
  }

  line(text: string): ZoneItem | undefined {
    this.#lineNo++;
    if (this.#pending !== undefined) {
      this.#pendingDepth = tokenize(text, this.#pendingDepth, this.#pending);
      if (this.#pendingDepth > 0) return undefined;
      const tokens = this.#pending;
      this.#pending = undefined;
      if (this.#pendingDepth < 0) return { error: "unbalanced ')'", line: this.#pendingLine };
      return this.#entry(tokens, this.#pendingBlankOwner, this.#pendingLine);
    }
    if (text.length === 0) return undefined;
    const blankOwner = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9;
    if (!SIMPLE.test(text)) {
      // Fast path: the overwhelmingly common `owner ttl class type rdata` line.
      const tokens = text.split(/[ \t\r]+/);
      if (tokens[0] === '') tokens.shift();
      if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
      return this.#entry(tokens, blankOwner, this.#lineNo);
    }
    const tokens: string[] = [];
    const depth = tokenize(text, 0, tokens);
    if (depth > 0) {
      this.#pending = tokens;
      this.#pendingDepth = depth;
      this.#pendingLine = this.#lineNo;
      this.#pendingBlankOwner = blankOwner;
      return undefined;
    }
    if (depth < 0) return { error: "unbalanced ')'", line: this.#lineNo };
    return this.#entry(tokens, blankOwner, this.#lineNo);
  }

  /** Call once at the end of input. */
  end(): ZoneItem | undefined {
    if (this.#pending === undefined) return undefined;
    this.#pending = undefined;
    return { error: "unclosed '(' at end of file", line: this.#pendingLine };
  }

  /**
   * The byte path (used by the zone diff): one line as bytes `b[s, e)`, without its newline. The
   * common entry (`owner [ttl] [class] TYPE rdata`: ASCII, no quotes, parentheses, comments or escapes,
   * a plain-number TTL) is read from the bytes without making strings: an NS record goes to `onNs` as
   * its absolute lower-case owner and target (scratch buffers, valid only during the call), and a record
   * of a type not asked for only updates the state. Everything else (directives, other wanted types
   * such as SOA, errors, multi-line entries, TTLs with units) goes through `line()` and comes back as an
   * item. Both paths give the same answers (`zone-parser.test.ts`).
   */
  lineBytes(b: Buffer, s: number, e: number, onNs: NsCallback): ZoneItem | undefined {
    if (this.#pending === undefined && this.#fastLine(b, s, e, onNs)) return undefined;
    return this.line(b.toString('latin1', s, e));
  }

  /** Returns false, having changed nothing, when the line needs the string path. */
  #fastLine(b: Buffer, s: number, e: number, onNs: NsCallback): boolean {
    const tok = this.#tok;
    let n = 0;
    let i = s;
    while (i < e) {
      const c = b[i] as number;
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      const start = i;
      for (; i < e; i++) {
        const d = b[i] as number;
        if (d === 32 || d === 9 || d === 13) break;
        // ( ) ; " \ and non-ASCII: the string path (latin1 case mapping, quoting, escapes, comments)
        if (d >= 0x80 || d === 40 || d === 41 || d === 59 || d === 34 || d === 92) return false;
      }
      if (n < 8) {
        tok[2 * n] = start;
        tok[2 * n + 1] = i;
      }
      n++;
    }
    if (n === 0) {
      this.#lineNo++;
      return true;
    }
    const blankOwner = b[s] === 32 || b[s] === 9;
    let t = 0;
    if (!blankOwner) {
      if (b[tok[0] as number] === 36) return false; // $ directive
      t = 1;
    } else if (this.#lastOwnerStr === undefined && this.#lastOwnerLen < 0) return false; // error: no owner
    let ttl: number | undefined;
    for (let k = 0; k < 2 && t < n; k++) {
      const ts = tok[2 * t] as number;
      const te = tok[2 * t + 1] as number;
      if (te - ts === 2 && isClass(b[ts] as number, b[ts + 1] as number)) t++;
      else if (ttl === undefined && (b[ts] as number) >= 48 && (b[ts] as number) <= 57) {
        if (te - ts > 15) return false;
        let v = 0;
        for (let j = ts; j < te; j++) {
          const d = (b[j] as number) - 48;
          if (d < 0 || d > 9) return false; // units (1h) or an invalid TTL: the string path
          v = v * 10 + d;
        }
        ttl = v;
        t++;
      } else break;
    }
    if (t >= n) return false; // no type: error
    const ys = tok[2 * t] as number;
    const ye = tok[2 * t + 1] as number;
    if (!isAlpha(b[ys] as number)) return false;
    for (let j = ys + 1; j < ye; j++) {
      const c = b[j] as number;
      if (!isAlpha(c) && !(c >= 48 && c <= 57) && c !== 45) return false; // invalid type: error
    }
    const isNs =
      ye - ys === 2 && ((b[ys] as number) | 0x20) === 110 && ((b[ys + 1] as number) | 0x20) === 115;
    let wanted: boolean;
    if (isNs) wanted = this.#wantNs;
    else if (this.#types === undefined) return false;
    else if (this.#types.has(b.toString('latin1', ys, ye).toUpperCase()))
      return false; // an item for the caller
    else wanted = false;
    if (wanted && t + 1 >= n) return false; // NS without RDATA: error
    // Commit: the same state changes as #entry.
    this.#lineNo++;
    if (!blankOwner) {
      this.#lastOwnerBytes = this.#absolute(b, tok[0] as number, tok[1] as number, this.#lastOwnerBytes);
      this.#lastOwnerLen = this.#absLen;
      this.#lastOwnerStr = undefined;
    } else if (this.#lastOwnerLen < 0) {
      const str = this.#lastOwnerStr as string;
      if (this.#lastOwnerBytes.length < str.length) this.#lastOwnerBytes = Buffer.allocUnsafe(str.length * 2);
      this.#lastOwnerLen = this.#lastOwnerBytes.write(str, 0, 'latin1');
    }
    ttl ??= this.#lastTtl ?? this.#defaultTtl;
    this.#lastTtl = ttl;
    if (wanted) {
      this.#target = this.#absolute(b, tok[2 * t + 2] as number, tok[2 * t + 3] as number, this.#target);
      onNs(this.#lastOwnerBytes, this.#lastOwnerLen, this.#target, this.#absLen);
    }
    return true;
  }

  #absLen = 0;

  /** `absoluteName` on bytes: `b[s, e)` made absolute and lower case into `out` (grown if needed; length in #absLen). */
  #absolute(b: Buffer, s: number, e: number, out: Buffer): Buffer {
    const origin = this.#originBytes;
    const need = e - s + 1 + origin.length;
    const o = out.length >= need ? out : Buffer.allocUnsafe(need * 2);
    if (e - s === 1 && b[s] === 64) {
      for (let j = 0; j < origin.length; j++) o[j] = origin[j] as number;
      this.#absLen = origin.length;
      return o;
    }
    for (let j = s; j < e; j++) {
      const c = b[j] as number;
      o[j - s] = c >= 65 && c <= 90 ? c | 0x20 : c;
    }
    let len = e - s;
    if (b[e - 1] !== 46) {
      o[len++] = 46;
      if (origin.length !== 1) {
        // origin is absolute, so length 1 is the root (`.`), which adds nothing after the dot
        for (let j = 0; j < origin.length; j++) o[len++] = origin[j] as number;
      }
    }
    this.#absLen = len;
    return o;
  }

  // Turns the tokens of one logical entry into a record or an error (or nothing for directives).
  #entry(tokens: string[], blankOwner: boolean, line: number): ZoneItem | undefined {
    if (tokens.length === 0) return undefined;
    const first = tokens[0] as string;
    if (!blankOwner && first.charCodeAt(0) === 36) {
      const directive = first.toUpperCase();
      if (directive === '$ORIGIN') {
        const o = tokens[1];
        if (o === undefined) return { error: '$ORIGIN without a name', line };
        this.#setOrigin(absoluteName(o, this.#origin));
        return undefined;
      }
      if (directive === '$TTL') {
        const t = tokens[1] === undefined ? undefined : parseTtl(tokens[1]);
        if (t === undefined) return { error: `$TTL with an invalid value '${tokens[1] ?? ''}'`, line };
        this.#defaultTtl = t;
        return undefined;
      }
      return { error: `unsupported directive ${directive}`, line };
    }
    let i = 0;
    let owner: string;
    if (blankOwner) {
      if (this.#lastOwner === undefined)
        return { error: 'record without an owner and no previous owner', line };
      owner = this.#lastOwner;
    } else {
      owner = absoluteName(first, this.#origin);
      i = 1;
    }
    let ttl: number | undefined;
    // Up to two of [TTL] [class], in either order, before the type.
    for (let k = 0; k < 2 && i < tokens.length; k++) {
      const t = tokens[i] as string;
      if (CLASSES.has(t.toUpperCase())) {
        i++;
      } else if (ttl === undefined && t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57) {
        ttl = parseTtl(t);
        if (ttl === undefined) return { error: `invalid TTL '${t}'`, line };
        i++;
      } else break;
    }
    const rawType = tokens[i];
    if (rawType === undefined) return { error: 'record without a type', line };
    const type = rawType.toUpperCase();
    if (!TYPE_RE.test(type)) return { error: `invalid record type '${rawType}'`, line };
    this.#lastOwner = owner;
    ttl ??= this.#lastTtl ?? this.#defaultTtl;
    this.#lastTtl = ttl;
    if (this.#types !== undefined && !this.#types.has(type)) return undefined;
    if (i + 1 >= tokens.length) return { error: `${type} record without RDATA`, line };
    return { owner, ttl, type, rdata: tokens.slice(i + 1), line, origin: this.#origin };
  }
}

const TYPE_RE = /^[A-Z][A-Z0-9-]*$/;

/** Told each NS record of the byte path: absolute lower-case owner and target as latin1 bytes. */
export type NsCallback = (owner: Buffer, ownerLen: number, target: Buffer, targetLen: number) => void;

const isAlpha = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;

/** IN, CH, HS, CS in any case. */
function isClass(a: number, b: number): boolean {
  const x = a | 0x20;
  const y = b | 0x20;
  return (x === 105 && y === 110) || (x === 99 && (y === 104 || y === 115)) || (x === 104 && y === 115);
}

type Chunks = AsyncIterable<Buffer | string>;

const open = (input: string | Chunks): Chunks =>
  typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20, encoding: 'latin1' }) : input;

/**
 * Feeds every item of a zone file to `onItem`, synchronously per chunk (the fast way, used by the diff).
 * Zone files are ASCII with `\DDD` escapes; latin1 decoding keeps every byte as one character.
 */
export async function scanZone(
  input: string | Chunks,
  onItem: (item: ZoneItem) => void,
  options: ZoneParseOptions = {},
): Promise<number> {
  const parser = new ZoneParser(options);
  let carry = '';
  for await (const chunk of open(input)) {
    if (options.signal?.aborted) break;
    const s = carry + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      const item = parser.line(s.slice(start, nl));
      start = nl + 1;
      if (item !== undefined) onItem(item);
    }
    carry = s.slice(start);
  }
  if (carry !== '') {
    const item = parser.line(carry);
    if (item !== undefined) onItem(item);
  }
  const last = parser.end();
  if (last !== undefined) onItem(last);
  return parser.lineNumber;
}

/**
 * The byte path over a whole file: NS records go to `onNs` as bytes (see `ZoneParser.lineBytes`),
 * every other item to `onItem`. Reads 4 MiB at a time and splits lines on the bytes; no string is made
 * for a common NS line. Returns the number of lines.
 */
export async function scanZoneNs(
  path: string,
  onNs: NsCallback,
  onItem: (item: ZoneItem) => void,
  options: ZoneParseOptions = {},
): Promise<number> {
  const parser = new ZoneParser(options);
  const fh = await openFile(path, 'r');
  let buf = Buffer.allocUnsafe(4 << 20);
  let have = 0; // bytes of an unfinished line at the start of buf
  try {
    for (;;) {
      if (options.signal?.aborted) return parser.lineNumber;
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, have, buf.length - have, null);
      if (bytesRead === 0) break;
      const end = have + bytesRead;
      const view = buf.subarray(0, end);
      let start = 0;
      for (let nl = view.indexOf(10, 0); nl !== -1; nl = view.indexOf(10, start)) {
        const item = parser.lineBytes(buf, start, nl, onNs);
        start = nl + 1;
        if (item !== undefined) onItem(item);
      }
      buf.copy(buf, 0, start, end);
      have = end - start;
    }
    if (have > 0) {
      const item = parser.lineBytes(buf, 0, have, onNs);
      if (item !== undefined) onItem(item);
    }
    const last = parser.end();
    if (last !== undefined) onItem(last);
    return parser.lineNumber;
  } finally {
    await fh.close();
  }
}

/** Parses a zone file from a path (or an async iterable of chunks) as an async iterable of items. */
export async function* parseZone(
  input: string | Chunks,
  options: ZoneParseOptions = {},
): AsyncGenerator<ZoneItem> {
  const parser = new ZoneParser(options);
  let carry = '';
  for await (const chunk of open(input)) {
    if (options.signal?.aborted) return;
    const s = carry + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let start = 0;
    const items: ZoneItem[] = [];
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      const item = parser.line(s.slice(start, nl));
      start = nl + 1;
      if (item !== undefined) items.push(item);
    }
    carry = s.slice(start);
    yield* items;
  }
  const tail = carry === '' ? undefined : parser.line(carry);
  if (tail !== undefined) yield tail;
  const last = parser.end();
  if (last !== undefined) yield last;
}

export const isZoneError = (item: ZoneItem): item is ZoneParseError => 'error' in item;
