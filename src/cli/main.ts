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
import { Command, CommanderError } from 'commander';
import { PACKAGE_VERSION } from '../app/package-info.js';
import type { CliCommand, CliIo } from './command.js';
import { collectionsCommand } from './commands/collections.js';
import { crawlCommand } from './commands/crawl.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { enrichCommand } from './commands/enrich.js';
import { entitiesCommand } from './commands/entities.js';
import { entityCommand } from './commands/entity.js';
import { ingestCommand } from './commands/ingest.js';
import { ingestEventsCommand } from './commands/ingest-events.js';
import { ingestCertstreamCommand } from './commands/ingest-certstream.js';
import { ingestCtCommand } from './commands/ingest-ct.js';
import { ingestTransactionsCommand } from './commands/ingest-transactions.js';
import { ingestZoneCommand } from './commands/ingest-zone.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { scoreCommand } from './commands/score.js';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './runtime.js';

/** Order matters only for `ingest`, which other ingest subcommands attach to. */
export const COMMANDS: readonly CliCommand[] = [
  ingestCommand,
  ingestCtCommand,
  ingestCertstreamCommand,
  ingestZoneCommand,
  ingestEventsCommand,
  ingestTransactionsCommand,
  enrichCommand,
  crawlCommand,
  detectCommand,
  scoreCommand,
  evalCommand,
  entitiesCommand,
  entityCommand,
  deadLettersCommand,
  keysCommand,
  collectionsCommand,
  migrateCommand,
  serveCommand,
  simulateCommand,
  demoCommand,
];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command('precursor')
    .description('Find phishing infrastructure while it is being prepared.')
    .version(PACKAGE_VERSION)
    .option('--config <file>', 'configuration file (default: ./precursor.yaml if present)')
    .option(
      '--home <dir>',
      'data directory for the embedded store (env PRECURSOR_HOME, default ./.precursor)',
    )
    .option('--database-url <url>', 'postgres://… for the scale-out store (env PRECURSOR_DATABASE_URL)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own complaints (unknown option, missing argument) in the one error style.
      outputError: (s, write) => write(`precursor: VALIDATION_FAILED: ${s.replace(/^error: /, '')}`),
    });
  for (const c of COMMANDS) c.register(program, io, (n) => (code = n));
  const configure = (cmd: Command, path: string) => {
    cmd.exitOverride();
    if (cmd.commands.length > 0) missingSubcommandIsUsage(cmd, path);
    for (const sub of cmd.commands) configure(sub, `${path} ${sub.name()}`);
  };
  configure(program, 'precursor');
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
      return EXIT.USAGE;
    }
    return reportError(io, e);
  }
  return code;
}

/**
 * A command group run without its subcommand (`precursor ingest`) is a usage error (exit 2) in the one
 * error style, not the help text with exit 0 that commander gives by default.
 */
function missingSubcommandIsUsage(cmd: Command, path: string): void {
  const help = cmd.help.bind(cmd) as (context?: { error: boolean }) => never;
  cmd.help = ((context?: { error: boolean }) => {
    if (!context?.error) return help(context);
    const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
    return cmd.error(`'${path}' needs a subcommand: ${names.join(', ')}`, {
      exitCode: EXIT.USAGE,
      code: 'precursor.missingSubcommand',
    });
  }) as Command['help'];
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  // A reader that goes away (`precursor entities --json | head -1`) is not a failure: the command
  // ends quietly with success, as the consumer asked. Anything else on stdout is reported once.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
    process.stderr.write(`precursor: INTERNAL: cannot write to stdout: ${e.message}\n`);
    process.exit(EXIT.FAILURE);
  });
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.exitCode = reportError(io, e);
    });
}
