/**
 * Runs `precursor` as a child process, for what only a real process shows: a closed pipe, a signal,
 * the exit status and everything it prints (no in-process harness in between).
 */
import { type ChildProcess, spawn } from 'node:child_process';

export const ROOT = new URL('../..', import.meta.url).pathname;

export function spawnPrecursor(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  stdio: 'pipe' | ['pipe' | 'ignore', 'pipe', 'pipe'] = 'pipe',
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent', ...env },
    stdio,
  });
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<Finished> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** Runs to completion, with optional standard input. */
export async function runPrecursor(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  stdin?: string,
): Promise<Finished> {
  const child = spawnPrecursor(args, env);
  const done = finished(child);
  child.stdin?.end(stdin ?? '');
  return done;
}
