/**
 * `precursor score [files…|-]`: scores host names, URLs or certstream JSON lines with the domain engine
 * and writes one JSON line per name (or a table on a terminal). Streams: memory stays flat whatever
 * the input size. Bad lines never stop the run; they are reported and make the exit code PARTIAL.
 *
 * Error reporting: in JSON mode a rejected line becomes a JSON line `{"input","line","file","error":
 * {"code","reason"}}` on stdout, so the output stays aligned with the input; in table mode it goes to
 * stderr as `file:line: reason`.
 * @module
 */
import { createReadStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { PrecursorError } from '../../domain/index.js';
import {
  createDomainEngine,
  type DomainEngine,
  type DomainScore,
  defaultBrandsDir,
  extractHosts,
  loadBrandProfiles,
} from '../../detect/domain/index.js';
import { aggregate, type LearnedScoring, reweigh, type SignalWeights } from '../../detect/score.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../runtime.js';

export interface ScoreOptions {
  readonly brands?: string;
  readonly weights?: string;
  readonly threshold?: string;
  readonly onlyFlagged?: boolean;
  readonly json?: boolean;
}

interface Tally {
  names: number;
  flagged: number;
  rejected: number;
}

export const scoreCommand: CliCommand = {
  register(program: Command, io: CliIo, setExit: (code: number) => void): void {
    program
      .command('score')
      .description(
        'score domain names (one per line; URLs and certstream JSON lines too) for phishing lookalikes',
      )
      .argument('[files...]', "input files; '-' or none reads stdin")
      .option('--brands <dirOrFile>', 'brand profiles (YAML file or directory)', undefined)
      .option('--threshold <n>', "flag threshold 0-100 (default 50, or the weights file's)")
      .option('--weights <file>', 'learned signal weights and threshold (precursor tune --out, docs/tune.md)')
      .option('--only-flagged', 'write flagged names only')
      .option('--json', 'write JSON lines even on a terminal')
      .action(async (files: string[], opts: ScoreOptions) => {
        setExit(await runScore(files, opts, io));
      });
  },
};

/** The engine's scores with learned weights put in place of the detectors' (same aggregation). */
function withLearnedWeights(engine: DomainEngine, weights: SignalWeights): DomainEngine {
  return {
    config: engine.config,
    index: engine.index,
    score(nameOrUrl, facts) {
      const r = engine.score(nameOrUrl, facts);
      if (!r.ok) return r;
      const signals = reweigh(r.signals, weights);
      const a = aggregate(signals, engine.config.thresholds);
      return {
        ...r,
        signals,
        score: a.score,
        flagged: a.flagged,
        verdict: a.verdict,
        contributions: a.contributions,
      };
    },
  };
}

/**
 * Labels the engine remembers (`DomainEngineOptions.knownLabels`): four times the default, ~9 MiB more.
 * A list's names repeat their registrable labels far apart (a site's hosts, `www.` and the bare name
 * scattered through a popularity list): on the 305,614 names of bench/user-path.ts the default reaches
 * a label seen before in 106,000 of 305,614 names, this in 179,000 — ~15% less CPU for the run. The
 * results are the same either way.
 */
const SCORE_KNOWN_LABELS = 65536;

/**
 * The weights file's scoring. Loaded on demand: its parser brings zod and the tuner's matrix library,
 * ~0.1 s of start-up that a run without `--weights` does not need.
 */
async function learnedScoring(file: string): Promise<LearnedScoring> {
  const [{ parseWeightsFile }, { scoringOf }] = await Promise.all([
    import('../../review/tune.js'),
    import('../../review/weights-source.js'),
  ]);
  return scoringOf(parseWeightsFile(readFileSync(file, 'utf8'), file));
}

/** The command body, callable without commander (tests, scripts). Resolves to an exit code. */
export async function runScore(files: readonly string[], opts: ScoreOptions, io: CliIo): Promise<number> {
  const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 100)) {
    return reportError(
      io,
      new PrecursorError(
        'VALIDATION_FAILED',
        `--threshold must be a number from 0 to 100, got '${opts.threshold}'`,
      ),
    );
  }
  let engine: DomainEngine;
  try {
    const profiles = loadBrandProfiles(opts.brands ?? defaultBrandsDir());
    const learned = opts.weights === undefined ? undefined : await learnedScoring(opts.weights);
    // An explicit --threshold outranks the weights file's.
    const flag = threshold ?? learned?.flag;
    engine = createDomainEngine({
      profiles,
      config: flag === undefined ? {} : { thresholds: { flag } },
      knownLabels: SCORE_KNOWN_LABELS,
    });
    if (learned) engine = withLearnedWeights(engine, learned.weights);
  } catch (e) {
    return reportError(io, e);
  }
  const json = opts.json === true || io.stdout.isTTY !== true;
  const out = new BufferedWriter(io.stdout);
  const tally: Tally = { names: 0, flagged: 0, rejected: 0 };
  if (!json) await out.write(tableHeader());
  const inputs = files.length === 0 ? ['-'] : files;
  for (const file of inputs) {
    const stream = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 256 * 1024 });
    if (out.closed) break;
    try {
      await scoreStream(
        stream,
        file,
        engine,
        { json, onlyFlagged: opts.onlyFlagged === true },
        out,
        io,
        tally,
      );
    } catch (e) {
      // Only the input can fail here: output errors end the run quietly (see BufferedWriter).
      await out.flush();
      return reportError(io, e);
    }
  }
  await out.flush();
  if (out.closed) return EXIT.OK;
  if (!json || io.stderr.isTTY)
    io.stderr.write(`${tally.names} names, ${tally.flagged} flagged, ${tally.rejected} rejected\n`);
  return tally.rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
}

async function scoreStream(
  stream: NodeJS.ReadableStream,
  file: string,
  engine: DomainEngine,
  mode: { json: boolean; onlyFlagged: boolean },
  out: BufferedWriter,
  io: CliIo,
  tally: Tally,
): Promise<void> {
  let lineNo = 0;
  const reject = (input: string, code: string, reason: string): void => {
    tally.rejected++;
    if (mode.json) out.push(`${JSON.stringify({ input, file, line: lineNo, error: { code, reason } })}\n`);
    else io.stderr.write(`precursor: ${code}: ${file}:${lineNo}: ${reason} (${truncate(input, 80)})\n`);
  };
  const scoreHost = (host: string): void => {
    const r = engine.score(host);
    if (!r.ok) {
      reject(host, r.code, r.reason);
      return;
    }
    tally.names++;
    if (r.flagged) tally.flagged++;
    if (mode.onlyFlagged && !r.flagged) return;
    out.push(mode.json ? jsonLine(r) : tableRow(r));
  };
  const scoreLine = (line: string): void => {
    lineNo++;
    // Most lines are bare lower-case host names, which `extractHosts` would return unchanged.
    if (isPlainName(line)) {
      scoreHost(line);
      return;
    }
    const hosts = extractHosts(line);
    if (!hosts.ok) {
      reject(line, hosts.code, hosts.reason);
      return;
    }
    for (const host of hosts.hosts) scoreHost(host);
  };
  for await (const lines of readLines(stream)) {
    for (const line of lines) {
      scoreLine(line);
      if (out.pending) await out.flush();
    }
    if (out.closed) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return;
    }
  }
}

/**
 * Lines of a stream, a chunk's worth at a time, split as `readline` splits them (`\n`, `\r\n` and a
 * lone `\r` end a line; no empty last line after a final line break). Written here because `readline`
 * costs one promise per line, more than scoring a remembered name.
 */
async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string[]> {
  // As readline decodes: invalid bytes become U+FFFD, a byte-order mark stays part of the first line.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let rest = '';
  for await (const chunk of stream) {
    let text =
      rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
    // A final `\r` may be the first half of `\r\n`: wait for the next chunk.
    let hold = '';
    if (text.endsWith('\r')) {
      hold = '\r';
      text = text.slice(0, -1);
    }
    const lines = text.includes('\r') ? text.split(LINE_END) : text.split('\n');
    rest = (lines.pop() as string) + hold;
    if (lines.length > 0) yield lines;
  }
  const tail = rest + decoder.decode();
  if (tail === '') return;
  const lines = tail.split(LINE_END);
  if (lines.at(-1) === '') lines.pop();
  yield lines;
}

const LINE_END = /\r\n|\n|\r/;

/**
 * A bare host name that `extractHosts` returns as it is: `/^[a-z0-9][a-z0-9._-]*$/`, not `hxxp…`.
 * Checked by code, as the engine's own plain-name pass does, rather than by a regular expression per line.
 */
function isPlainName(line: string): boolean {
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

/**
 * `JSON.stringify(toJson(r))` plus a newline, written out: most strings need no escaping, and building
 * the object only to serialise it cost more than scoring. The test in score.test.ts holds the two equal.
 */
export function jsonLine(r: DomainScore): string {
  // `domain`, `registrable` (ASCII host names), `verdict`, brand and signal ids (validated identifiers)
  // never need escaping; the Unicode form (unless it is the ASCII form) and the details may.
  const unicode = r.unicode === r.domain ? `"${r.domain}"` : str(r.unicode);
  return `{"domain":"${r.domain}","unicode":${unicode},"registrable":"${r.registrable}",${jsonTail(r)}`;
}

/**
 * The line from `"score"` on. The engine hands the same frozen signal list to every name whose label
 * it has seen without findings (most names), so that part is written once per list and reused while
 * the fields beside it are the same.
 */
function jsonTail(r: DomainScore): string {
  const signals = r.signals;
  if (!Object.isFrozen(signals)) return tailOf(r);
  const hit = TAILS.get(signals);
  if (
    hit !== undefined &&
    hit.score === r.score &&
    hit.flagged === r.flagged &&
    hit.verdict === r.verdict &&
    hit.brand === r.brand
  )
    return hit.text;
  const text = tailOf(r);
  TAILS.set(signals, { score: r.score, flagged: r.flagged, verdict: r.verdict, brand: r.brand, text });
  return text;
}

const TAILS = new WeakMap<
  readonly unknown[],
  Pick<DomainScore, 'score' | 'flagged' | 'verdict' | 'brand'> & { readonly text: string }
>();

function tailOf(r: DomainScore): string {
  let s = `"score":${num(r.score)},"flagged":${r.flagged},"verdict":"${r.verdict}","brand":${r.brand === null ? 'null' : `"${r.brand.id}"`},"signals":[`;
  for (let i = 0; i < r.signals.length; i++) {
    const sig = r.signals[i] as DomainScore['signals'][number];
    s += `${i === 0 ? '' : ','}{"id":"${sig.id}","weight":${num(sig.weight)},"detail":${str(sig.detail)}}`;
  }
  return `${s}]}\n`;
}

/** Characters JSON.stringify escapes: quote, backslash, controls and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
// As JSON.stringify writes a number (finite ones as String does, -0 as 0).
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** The JSON line of one name; fields may be added, never renamed. */
export function toJson(r: DomainScore): Record<string, unknown> {
  return {
    domain: r.domain,
    unicode: r.unicode,
    registrable: r.registrable,
    score: r.score,
    flagged: r.flagged,
    verdict: r.verdict,
    brand: r.brand?.id ?? null,
    signals: r.signals.map((s) => ({ id: s.id, weight: s.weight, detail: s.detail })),
  };
}

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function tableHeader(): string {
  return `${'SCORE'.padStart(5)}  ${'FLAG'.padEnd(4)}  ${'BRAND'.padEnd(14)}  ${'DOMAIN'.padEnd(40)}  TOP SIGNAL\n`;
}

function tableRow(r: DomainScore): string {
  const top = r.signals[0];
  const domain = r.unicode === r.domain ? r.domain : `${r.unicode} (${r.domain})`;
  return `${r.score.toFixed(1).padStart(5)}  ${(r.flagged ? 'YES' : '').padEnd(4)}  ${(r.brand?.id ?? '-').padEnd(14)}  ${truncate(domain, 40).padEnd(40)}  ${top ? truncate(`${top.id}: ${top.detail}`, 100) : ''}\n`;
}

/**
 * Batches small writes and honours back-pressure, so a slow consumer never makes output pile up. A
 * consumer that goes away (`| head`) closes it: the run stops reading, and no write error is blamed on
 * the input.
 *
 * Lines are encoded into a byte buffer as they come: joining them into one string first and encoding
 * that at each write cost more than a third of the whole run's output time (the joined string is a
 * tree of pieces that must be flattened, and one non-Latin-1 character widens all of it).
 */
class BufferedWriter {
  #buf = Buffer.allocUnsafe(WRITER_CAPACITY);
  #at = 0;
  #closed = false;
  readonly #stream: NodeJS.WritableStream;
  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on('error', () => {
      this.#closed = true;
    });
  }
  get closed(): boolean {
    return this.#closed;
  }
  async write(s: string): Promise<void> {
    this.push(s);
    if (this.pending) await this.flush();
  }
  /** Adds to the buffer without waiting; the caller flushes when `pending` says so. */
  push(s: string): void {
    if (this.#closed) return;
    // UTF-8 takes at most three bytes per UTF-16 unit (a pair's four bytes are two units' six).
    const room = 3 * s.length;
    if (this.#at + room > this.#buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.#buf.length, this.#at + room));
      this.#buf.copy(bigger, 0, 0, this.#at);
      this.#buf = bigger;
    }
    // As `stream.write(s)` would encode it (a lone surrogate becomes U+FFFD).
    this.#at += this.#buf.write(s, this.#at);
  }
  /** The buffer is big enough to write out. */
  get pending(): boolean {
    return this.#at >= WRITER_CHUNK;
  }
  async flush(): Promise<void> {
    if (this.#at === 0 || this.#closed) return;
    // The stream may keep the chunk until it is written, so the next lines go to a new buffer.
    const chunk = this.#buf.subarray(0, this.#at);
    this.#buf = Buffer.allocUnsafe(WRITER_CAPACITY);
    this.#at = 0;
    if (this.#stream.write(chunk)) return;
    // Either the reader drains the pipe or it went away; both end the wait.
    const ac = new AbortController();
    await Promise.race([
      once(this.#stream, 'drain', { signal: ac.signal }).catch(() => {}),
      once(this.#stream, 'close', { signal: ac.signal }).catch(() => {}),
      once(this.#stream, 'error', { signal: ac.signal }).catch(() => {}),
    ]);
    ac.abort();
  }
}

/** Bytes that make a write: the writer flushes once a line takes it past this. */
const WRITER_CHUNK = 64 * 1024;
/** A buffer holds a chunk plus the line that overflowed it, mostly without growing. */
const WRITER_CAPACITY = WRITER_CHUNK + 16 * 1024;
