#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * `precursor`: the command-line entry point. Commands are thin; each lives in its own file.
 *
 * The launcher gives V8 a 64 MiB semi-space (young generation) instead of 16 MiB: tenant-event ingest
 * allocates short-lived objects that live through one batch, and with the default size they are
 * promoted and collected by full GCs — ~46,000 vs ~52,000 events/s in `bench/tenant-ingest.ts`. List
 * ingest is unaffected (same speed and peak RSS). `npm start` passes the same flag.
 * @module
 */
import type { CliCommand, CliIo } from './command.js';
import { collectionsCommand } from './commands/collections.js';
import { campaignCommand, campaignsCommand, correlateCommand } from './commands/campaigns.js';
import { auditCommand } from './commands/audit.js';
import { casesCommand } from './commands/cases.js';
import { reviewCommand } from './commands/review.js';
import { policyCommand } from './commands/policy.js';
import { tuneCommand } from './commands/tune.js';
import { crawlCommand } from './commands/crawl.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { enrichCommand } from './commands/enrich.js';
import { entitiesCommand } from './commands/entities.js';
import { entityCommand } from './commands/entity.js';
import { INGEST_COMMANDS } from './ingest-commands.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { scoreCommand } from './commands/score.js';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { statusCommand } from './commands/status.js';
import { workerCommand } from './commands/worker.js';
import { runAsProcess, runProgram } from './program.js';

/** Order matters only for `ingest`, which other ingest subcommands attach to (ingest-commands.ts). */
export const COMMANDS: readonly CliCommand[] = [
  ...INGEST_COMMANDS,
  enrichCommand,
  crawlCommand,
  detectCommand,
  correlateCommand,
  campaignsCommand,
  campaignCommand,
  scoreCommand,
  evalCommand,
  entitiesCommand,
  entityCommand,
  deadLettersCommand,
  reviewCommand,
  policyCommand,
  tuneCommand,
  casesCommand,
  auditCommand,
  keysCommand,
  collectionsCommand,
  exportCommand,
  reportCommand,
  migrateCommand,
  serveCommand,
  runCommand,
  workerCommand,
  statusCommand,
  simulateCommand,
  demoCommand,
];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(COMMANDS, argv, io);
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) runAsProcess(runCli);
