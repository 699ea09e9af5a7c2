/**
 * What every command shares: opening the app from global flags, progress on a TTY, JSON output and
 * mapping errors to exit codes.
 * @module
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { AppContext } from '../app/open-app.js';
import { type ErrorCode, isPrecursorError, PrecursorError } from '../domain/index.js';
import type { CliIo } from './command.js';
import { EXIT } from './exit-codes.js';

export interface GlobalFlags {
  config?: string;
  home?: string;
  databaseUrl?: string;
}

export function globalFlags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}

/**
 * Opens the app for a command. `readOnly` commands (listings, one entity) open the store without
 * migrating or writing, so they work on a read-only store.
 */
export async function withApp<T>(
  cmd: Command,
  io: CliIo,
  fn: (app: AppContext) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const g = globalFlags(cmd);
  // Loaded here, not at the top: commands without a store (`score`) then start without it (bin.ts).
  const { openApp } = await import('../app/open-app.js');
  const app = await openApp({
    configFile: g.config,
    env: io.env,
    cwd: io.cwd,
    overrides: { home: g.home, databaseUrl: g.databaseUrl },
    logStream: io.stderr,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A one-line, self-overwriting progress report on stderr when it is a terminal; silent otherwise. */
export function progress(io: CliIo): { update(text: string): void; done(): void } {
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (tty && shown) io.stderr.write('\r\x1b[2K');
    },
  };
}

/** Runs `fn` with a signal that SIGINT and SIGTERM abort, so that a long or following read stops cleanly. */
export async function untilInterrupted<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Work to run as ingest batches commit (scoring, the tenant stage), never twice at once: `soon()` starts
 * a run unless one is going; `settled()` waits for the one going, if any.
 */
export function oneAtATime(run: () => Promise<unknown>): { soon(): void; settled(): Promise<unknown> } {
  let going: Promise<unknown> | undefined;
  return {
    soon() {
      if (going) return;
      going = run().finally(() => {
        going = undefined;
      });
    },
    settled: () => going ?? Promise.resolve(),
  };
}

export function exitCodeFor(e: unknown): number {
  const code = isPrecursorError(e) ? e.code : undefined;
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'CONFIG_INVALID':
      return EXIT.USAGE;
    case 'STORE_UNAVAILABLE':
    case 'SOURCE_UNAVAILABLE':
      return EXIT.UNAVAILABLE;
    default:
      return EXIT.FAILURE;
  }
}

/** Node's wording for the file-system errors a user causes (a typo in a path, a directory). */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Every failure as `{code, message}` from the documented codes (docs/errors.md). Foreseeable ones —
 * coded errors, usage errors, a file that cannot be opened — carry no stack trace; only `INTERNAL`
 * (a bug) keeps one, shown with PRECURSOR_DEBUG=1.
 */
export function describeError(e: unknown): { code: ErrorCode; message: string; internal: boolean } {
  if (isPrecursorError(e)) return { code: e.code, message: e.message, internal: false };
  if (e instanceof InvalidArgumentError)
    return { code: 'VALIDATION_FAILED', message: e.message, internal: false };
  const errno = e as NodeJS.ErrnoException | undefined;
  if (errno && typeof errno.code === 'string' && errno.syscall !== undefined) {
    const reason = FS_REASONS[errno.code];
    if (reason !== undefined && typeof errno.path === 'string')
      return { code: 'SOURCE_FAILED', message: `cannot read ${errno.path}: ${reason}`, internal: false };
    if (errno.code === 'EADDRINUSE' || (errno.code === 'EACCES' && errno.syscall === 'listen'))
      return { code: 'LISTEN_FAILED', message: errno.message, internal: false };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), internal: true };
}

/** Writes `precursor: CODE: message` to stderr and returns the exit code for the error. */
export function reportError(io: CliIo, e: unknown): number {
  const d = describeError(e);
  io.stderr.write(`precursor: ${d.code}: ${d.message}\n`);
  if (d.internal) {
    if (io.env.PRECURSOR_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    else io.stderr.write('precursor: this is a bug; PRECURSOR_DEBUG=1 shows where it happened\n');
  }
  return d.code === 'INTERNAL' ? EXIT.FAILURE : exitCodeFor(new PrecursorError(d.code, d.message));
}

let commandStarted = performance.now();

/** Seconds since the running command's action started: what a summary's `seconds` covers. */
export function commandSeconds(): number {
  return (performance.now() - commandStarted) / 1000;
}

/** Wraps an action so that it sets an exit code instead of throwing. */
export function action<A extends unknown[]>(
  io: CliIo,
  setExit: (code: number) => void,
  fn: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    commandStarted = performance.now();
    try {
      setExit(await fn(...args));
    } catch (e) {
      setExit(reportError(io, e));
    }
  };
}

export function parseIntFlag(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be an integer >= ${min}`
          : `${name} must be an integer from ${min} to ${max}`,
      );
    return n;
  };
}
