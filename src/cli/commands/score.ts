/**
 * `precursor score [files…|-]`: scores host names, URLs or certstream JSON lines with the domain engine
 * and writes one JSON line per name (or a table on a terminal). Streams: memory stays flat whatever
 * the input size. Bad lines never stop the run; they are reported and make the exit code PARTIAL.
 *
 * Error reporting: in JSON mode a rejected line becomes a JSON line `{"input","line","file","error":
 * {"code","reason"}}` on stdout, so the output stays aligned with the input; in table mode it goes to
 * stderr as `file:line: reason`.
 *
 * Big inputs are scored by several threads (`--threads`): blocks of lines go to worker threads, each
 * with its own engine, and come back as finished output that is written in input order, so the output
 * is the same byte for byte whatever the thread count (score/ordered.ts).
 * @module
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { PrecursorError } from '../../domain/index.js';
import { type DomainEngine, defaultBrandsDir } from '../../detect/domain/index.js';
import type { LearnedScoring } from '../../detect/score.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../runtime.js';
import { type ScoreEngineSpec, scoreEngine } from '../score/engine.js';
import { tableHeader } from '../score/format.js';
import { countLines, readBlocks } from '../score/lines.js';
import { OrderedScoring } from '../score/ordered.js';
import type { SpawnScoreWorker } from '../score/pool.js';
import { OutputWriter } from '../score/writer.js';

export interface ScoreOptions {
  readonly brands?: string;
  readonly weights?: string;
  readonly threshold?: string;
  readonly onlyFlagged?: boolean;
  readonly json?: boolean;
  readonly threads?: string;
}

/** How the command uses worker threads; tests make them start on small inputs or fail on purpose. */
export interface ScoreTuning {
  /** Input size from which worker threads are used (default `PARALLEL_MIN_BYTES`). */
  readonly parallelMinBytes?: number;
  readonly spawnWorker?: SpawnScoreWorker;
}

/**
 * Input size from which workers start: each builds its own engine (~0.25 s of CPU, the time to score
 * ~25,000 names), so below ~75,000 names (2 MiB of host names) they cost more than they save.
 */
const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;

/**
 * Default thread count: one fewer than the cores available, at least one and at most four. V8's own
 * threads (garbage collection, the optimising compiler) already take ~0.9 s of a single-threaded run's
 * ~3.7 s of CPU on the 305,614 names of bench/user-path.ts, and each worker brings its own: on two cores
 * a second scoring thread took 5.8 s of CPU against 3.7 s and was slower in wall time too. Each worker
 * also holds its own engine and label caches (~60 MiB).
 */
const defaultThreads = (): number => Math.max(1, Math.min(availableParallelism() - 1, 4));

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
      .option(
        '--threads <n>',
        'threads that score inputs of 2 MiB or more (default: the cores available less one, 1 to 4; 1: this thread only)',
      )
      .action(async (files: string[], opts: ScoreOptions) => {
        setExit(await runScore(files, opts, io));
      });
  },
};

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
export async function runScore(
  files: readonly string[],
  opts: ScoreOptions,
  io: CliIo,
  tuning: ScoreTuning = {},
): Promise<number> {
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
  const threads = opts.threads === undefined ? defaultThreads() : Number(opts.threads);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    return reportError(
      io,
      new PrecursorError(
        'VALIDATION_FAILED',
        `--threads must be a whole number from 1 to 256, got '${opts.threads}'`,
      ),
    );
  }
  let spec: ScoreEngineSpec;
  let engine: DomainEngine;
  try {
    const learned = opts.weights === undefined ? undefined : await learnedScoring(opts.weights);
    // An explicit --threshold outranks the weights file's.
    const flag = threshold ?? learned?.flag;
    spec = {
      brands: opts.brands ?? defaultBrandsDir(),
      ...(flag === undefined ? {} : { flag }),
      ...(learned === undefined ? {} : { weights: learned.weights }),
    };
    engine = scoreEngine(spec);
  } catch (e) {
    return reportError(io, e);
  }
  const json = opts.json === true || io.stdout.isTTY !== true;
  const out = new OutputWriter(io.stdout);
  const inputs = files.length === 0 ? ['-'] : files;
  const scoring = new OrderedScoring(
    engine,
    spec,
    { json, onlyFlagged: opts.onlyFlagged === true },
    out,
    io,
    {
      threads,
      minBytes: tuning.parallelMinBytes ?? PARALLEL_MIN_BYTES,
      knownBytes: threads > 1 ? knownSize(inputs) : 0,
      ...(tuning.spawnWorker === undefined ? {} : { spawn: tuning.spawnWorker }),
    },
  );
  if (!json) scoring.text(tableHeader());
  let inputError: { readonly error: unknown } | undefined;
  try {
    for (const file of inputs) {
      if (!scoring.wanted) break;
      const stream = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 256 * 1024 });
      let line = 0;
      for await (const { text, bytes } of readBlocks(stream)) {
        await scoring.add({ file, startLine: line, text }, bytes);
        line += countLines(text);
        if (!scoring.wanted) {
          (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          break;
        }
      }
    }
  } catch (e) {
    // Only the input can fail here (output errors end the run quietly: OutputWriter).
    inputError = { error: e };
  }
  // What was read before an error is written before it is reported.
  await scoring.finish();
  if (inputError !== undefined) return reportError(io, inputError.error);
  if (scoring.failure !== undefined) return reportError(io, scoring.failure.error);
  if (out.closed) return EXIT.OK;
  const tally = scoring.tally;
  if (!json || io.stderr.isTTY)
    io.stderr.write(`${tally.names} names, ${tally.flagged} flagged, ${tally.rejected} rejected\n`);
  return tally.rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** The input files' total size, where it is known (not stdin, not a pipe). */
function knownSize(inputs: readonly string[]): number {
  let total = 0;
  for (const f of inputs) {
    if (f === '-') continue;
    try {
      const st = statSync(f);
      if (st.isFile()) total += st.size;
    } catch {
      // Reported when the file is read.
    }
  }
  return total;
}
