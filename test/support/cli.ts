/** Runs `precursor` in-process with captured output, as the CLI and end-to-end tests need. */
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/main.js';

export interface CliRunOptions {
  /** What the command reads as standard input (`-`); empty by default. */
  readonly stdin?: string | Buffer;
  /** Pretend stderr is a terminal (progress lines are shown only there). */
  readonly tty?: boolean;
  readonly cwd?: string;
}

export async function cli(
  args: string[],
  env: Record<string, string> = {},
  options: CliRunOptions = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), options.tty ? { isTTY: true } : {});
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin,
    env: { PRECURSOR_LOG_LEVEL: 'silent', ...env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, out, err };
}

/**
 * An io for one command's `register`/`run` in a test: standard input in the given chunks, stdout a
 * terminal when `tty`; `out()` and `err()` read what was written so far.
 */
export function capturedIo(
  stdin: readonly (string | Buffer)[] = [''],
  tty = false,
): { io: CliIo; out: () => string; err: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const io: CliIo = { stdout, stderr, stdin: Readable.from(stdin), env: {}, cwd: process.cwd() };
  return { io, out: () => out, err: () => err };
}
