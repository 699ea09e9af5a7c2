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
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
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
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../runtime.js';

export interface ScoreOptions {
  readonly brands?: string;
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
      .option('--threshold <n>', 'flag threshold 0-100 (default 50)')
      .option('--only-flagged', 'write flagged names only')
      .option('--json', 'write JSON lines even on a terminal')
      .action(async (files: string[], opts: ScoreOptions) => {
        setExit(await runScore(files, opts, io));
      });
  },
};

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
    engine = createDomainEngine({
      profiles,
      config: threshold === undefined ? {} : { thresholds: { flag: threshold } },
    });
  } catch (e) {
    return reportError(io, e);
  }
  const json = opts.json === true || io.stdout.isTTY !== true;
  const out = new BufferedWriter(io.stdout);
  const tally: Tally = { names: 0, flagged: 0, rejected: 0 };
  if (!json) await out.write(tableHeader());
  const inputs = files.length === 0 ? ['-'] : files;
  for (const file of inputs) {
    const stream = file === '-' ? io.stdin : createReadStream(file);
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
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  const reject = async (input: string, code: string, reason: string): Promise<void> => {
    tally.rejected++;
    if (mode.json)
      await out.write(`${JSON.stringify({ input, file, line: lineNo, error: { code, reason } })}\n`);
    else io.stderr.write(`precursor: ${code}: ${file}:${lineNo}: ${reason} (${truncate(input, 80)})\n`);
  };
  for await (const line of lines) {
    if (out.closed) {
      lines.close();
      return;
    }
    lineNo++;
    const hosts = extractHosts(line);
    if (!hosts.ok) {
      await reject(line, hosts.code, hosts.reason);
      continue;
    }
    for (const host of hosts.hosts) {
      const r = engine.score(host);
      if (!r.ok) {
        await reject(host, r.code, r.reason);
        continue;
      }
      tally.names++;
      if (r.flagged) tally.flagged++;
      if (mode.onlyFlagged && !r.flagged) continue;
      await out.write(mode.json ? `${JSON.stringify(toJson(r))}\n` : tableRow(r));
    }
  }
}

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
 */
class BufferedWriter {
  #buf = '';
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
    if (this.#closed) return;
    this.#buf += s;
    if (this.#buf.length >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#buf === '' || this.#closed) return;
    const chunk = this.#buf;
    this.#buf = '';
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
