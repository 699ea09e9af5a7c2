/**
 * Bench support: `precursor serve` (the built bin) as a child process on a free loopback port, with
 * its resident memory sampled from /proc while a benchmark drives it.
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../src/detect/domain/package-paths.js';

const root = packageRoot();
export const CLI = join(
  root,
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { precursor: string } }).bin
    .precursor,
);

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

/** Runs `precursor ARGS` to completion; throws with its stderr on a non-zero exit. */
export function precursor(args: readonly string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`precursor ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServeChild {
  readonly url: string;
  readonly pid: number;
  /** Resident set size now, MiB (from /proc). */
  rssMiB(): number;
  /** Peak resident set size since start (VmHWM), MiB. */
  peakMiB(): number;
  stop(): Promise<void>;
}

function status(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export async function startServe(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ServeChild> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', String(port)], {
    env: { ...process.env, PRECURSOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    rssMiB: () => status(pid, 'VmRSS'),
    peakMiB: () => status(pid, 'VmHWM'),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
