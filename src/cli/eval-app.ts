/**
 * The store an evaluation command runs in: always a fresh embedded one, never the user's own (the
 * database URL and home of the environment are ignored), in a temporary directory removed afterwards
 * unless `--store DIR` keeps it for a look.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppContext } from '../app/open-app.js';
import type { CliIo } from './command.js';
import { globalFlags } from './runtime.js';

export async function withEvalApp<T>(
  cmd: Command,
  io: CliIo,
  keepAt: string | undefined,
  fn: (app: AppContext) => Promise<T>,
): Promise<T> {
  const home = keepAt
    ? resolve(io.cwd, keepAt)
    : mkdtempSync(join(tmpdir(), `precursor-${cmd.name()}-eval-`));
  const { openApp } = await import('../app/open-app.js');
  const env = { ...io.env };
  delete env.PRECURSOR_DATABASE_URL;
  delete env.PRECURSOR_HOME;
  try {
    const app = await openApp({
      configFile: globalFlags(cmd).config,
      env,
      cwd: io.cwd,
      overrides: { home },
      logStream: io.stderr,
    });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  } finally {
    if (!keepAt) rmSync(home, { recursive: true, force: true });
  }
}
