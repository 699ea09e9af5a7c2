#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `precursor` launcher (package.json `bin`; flags as in main.ts). Commands that need none of the
 * other commands' libraries load only their own modules: `score` (run once per file or pipe) and
 * `ingest …` (the server, simulator, sharing and review commands are not needed to ingest). Loading
 * every command costs ~0.5 s and ~50 MB before the first name (bench/user-path.ts).
 * Everything else — and any argument list this does not recognise — goes through main.ts unchanged.
 * @module
 */
import type { CliCommand } from './command.js';
import { commandWord } from './command-word.js';
import { runAsProcess, runProgram } from './program.js';

/** Top-level commands that can run on their own. */
const STANDALONE: Readonly<Record<string, () => Promise<readonly CliCommand[]>>> = {
  score: async () => [(await import('./commands/score.js')).scoreCommand],
  ingest: async () => (await import('./ingest-commands.js')).INGEST_COMMANDS,
};

runAsProcess(async (argv, io) => {
  const word = commandWord(argv);
  const standalone = word === undefined ? undefined : STANDALONE[word];
  if (standalone !== undefined) return runProgram(await standalone(), argv, io);
  const { runCli } = await import('./main.js');
  return runCli(argv, io);
});
