/**
 * What every command shares: opening the app from global flags, progress on a TTY, JSON output and
 * mapping errors to exit codes.
 * @module
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type AppContext, openApp } from '../app/open-app.js';
import { isPrecursorError } from '../domain/index.js';
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

export async function withApp<T>(cmd: Command, io: CliIo, fn: (app: AppContext) => Promise<T>): Promise<T> {
  const g = globalFlags(cmd);
  const app = await openApp({
    configFile: g.config,
    env: io.env,
    cwd: io.cwd,
    overrides: { home: g.home, databaseUrl: g.databaseUrl },
    logStream: io.stderr,
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
  if (!isPrecursorError(e)) return EXIT.FAILURE;
  switch (e.code) {
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

export function reportError(io: CliIo, e: unknown): number {
  const msg = isPrecursorError(e)
    ? `${e.code}: ${e.message}`
    : e instanceof Error
      ? (e.stack ?? e.message)
      : String(e);
  io.stderr.write(`precursor: ${msg}\n`);
  return exitCodeFor(e);
}

/** Wraps an action so that it sets an exit code instead of throwing. */
export function action<A extends unknown[]>(
  io: CliIo,
  setExit: (code: number) => void,
  fn: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      setExit(await fn(...args));
    } catch (e) {
      setExit(reportError(io, e));
    }
  };
}

export function parseIntFlag(name: string, min = 0): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}
