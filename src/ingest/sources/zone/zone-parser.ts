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
  #defaultTtl: number | undefined;
  #lastOwner: string | undefined;
  #lastTtl: number | undefined;
  readonly #types: ReadonlySet<string> | undefined;
  #lineNo = 0;
  #pending: string[] | undefined; // tokens of an entry open across lines
  #pendingDepth = 0;
  #pendingLine = 0;
  #pendingBlankOwner = false;

  constructor(options: ZoneParseOptions = {}) {
    this.#origin = options.origin ?? '.';
    this.#types = options.types;
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

  // Turns the tokens of one logical entry into a record or an error (or nothing for directives).
  #entry(tokens: string[], blankOwner: boolean, line: number): ZoneItem | undefined {
    if (tokens.length === 0) return undefined;
    const first = tokens[0] as string;
    if (!blankOwner && first.charCodeAt(0) === 36) {
      const directive = first.toUpperCase();
      if (directive === '$ORIGIN') {
        const o = tokens[1];
        if (o === undefined) return { error: '$ORIGIN without a name', line };
        this.#origin = absoluteName(o, this.#origin);
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
