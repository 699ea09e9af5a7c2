/**
 * The `precursor` program around a set of commands: global flags, the one error style, exit codes.
 * Separate from main.ts so that bin.ts can run one command without loading every other (start-up).
 * @module
 */
import { Command, CommanderError } from 'commander';
import { PACKAGE_VERSION } from '../app/package-info.js';
import type { CliCommand, CliIo } from './command.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './runtime.js';

export async function runProgram(
  commands: readonly CliCommand[],
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command('precursor')
    .description('Find phishing infrastructure while it is being prepared.')
    .version(PACKAGE_VERSION)
    .option('--config <file>', 'configuration file (default: ./precursor.yaml if present)')
    .option(
      '--home <dir>',
      'data directory for the embedded store (env PRECURSOR_HOME, default ./.precursor)',
    )
    .option('--database-url <url>', 'postgres://… for a shared PostgreSQL store (env PRECURSOR_DATABASE_URL)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own complaints (unknown option, missing argument) in the one error style.
      outputError: (s, write) => write(`precursor: VALIDATION_FAILED: ${s.replace(/^error: /, '')}`),
    });
  for (const c of commands) c.register(program, io, (n) => (code = n));
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

/** Runs a CLI function as this process: real stdio, exit code, a closed stdout pipe ending quietly. */
export function runAsProcess(run: (argv: readonly string[], io: CliIo) => Promise<number>): void {
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
  run(process.argv.slice(2), io)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.exitCode = reportError(io, e);
    });
}
