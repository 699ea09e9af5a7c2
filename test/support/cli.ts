/** Runs `precursor` in-process with captured output, as the CLI and end-to-end tests need. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PRECURSOR_LOG_LEVEL: 'silent', ...env },
    cwd: process.cwd(),
  });
  return { code, out, err };
}
