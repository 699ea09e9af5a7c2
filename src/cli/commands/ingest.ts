/**
 * `precursor ingest <source>`: the command group every source hangs off. `ingest list` lives here;
 * other sources register their own subcommands (see cli/main.ts).
 * @module
 */
import { type Command, Option } from 'commander';
import type { AppContext } from '../../app/open-app.js';
import { PrecursorError } from '../../domain/index.js';
import type { IngestSummary } from '../../ingest/run-ingest.js';
import type { Source } from '../../ingest/source.js';
import { createListSource } from '../../ingest/sources/list/list-source.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, progress, withApp, writeJson } from '../runtime.js';

export interface IngestRunFlags {
  json?: boolean;
  detect?: boolean;
  fromStart?: boolean;
  batchSize?: number;
}

/** Shared by every `ingest` subcommand: runs a source with progress and prints the summary. */
export async function runSourceCommand(
  app: AppContext,
  io: CliIo,
  source: Source,
  flags: IngestRunFlags,
  signal?: AbortSignal,
): Promise<number> {
  const bar = progress(io);
  const { ingest, detect } = await app.pipeline.ingest(source, {
    ...(flags.fromStart ? { ignoreCheckpoint: true } : {}),
    ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
    ...(signal ? { signal } : {}),
    detect: flags.detect !== false,
    onProgress: (p) =>
      bar.update(
        `${p.source}: ${p.records} records, ${p.inserted} new, ${p.rejected} rejected (${p.position ?? ''})`,
      ),
    onDetectProgress: (p) =>
      bar.update(`detect: ${p.observations} observations, ${p.entities} entities, ${p.flagged} flagged`),
  });
  bar.done();
  printSummary(io, ingest, detect, flags.json === true);
  return ingest.rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
}

export function printSummary(
  io: CliIo,
  ingest: IngestSummary,
  detect: { observations: number; entities: number; flagged: number } | undefined,
  json: boolean,
): void {
  if (json) {
    writeJson(io, { ...ingest, detect: detect ?? null });
    return;
  }
  const lines = [
    `source      ${ingest.source}${ingest.resumedFrom ? ' (resumed from checkpoint)' : ''}`,
    `records     ${ingest.records}`,
    `inserted    ${ingest.inserted}`,
    `duplicates  ${ingest.duplicates}`,
    `rejected    ${ingest.rejected}${ingest.rejected > 0 ? '  (see: precursor dead-letters --source ...)' : ''}`,
    `seconds     ${ingest.seconds.toFixed(2)}`,
  ];
  if (detect) lines.push(`detected    ${detect.entities} entities scored, ${detect.flagged} flagged`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

export const ingestCommand = {
  register(program, io, setExit) {
    const ingest = program
      .command('ingest')
      .description('read a source into the store, then score what is new');
    const list = ingest
      .command('list')
      .description('a plain list: one name or URL per line, a CSV column, or a JSONL field')
      .argument('<file>', 'file to read (- for standard input)')
      .addOption(
        new Option('--format <format>', 'input format (default: from the extension)').choices([
          'text',
          'csv',
          'jsonl',
        ]),
      )
      .option('--column <column>', 'CSV column: header name or 0-based index')
      .option('--field <path>', 'JSONL field, dotted path (default: domain)')
      .option('--source-id <id>', 'checkpoint/dead-letter id (default: list:<absolute path>)')
      .option('--observed-at <iso>', 'event time of the records (default: file modification time)')
      .option('--from-start', 'ignore the checkpoint and read from the beginning')
      .option('--batch-size <n>', 'records per transaction', parseIntFlag('--batch-size', 1))
      .option('--no-detect', 'store observations only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    list.action(
      action(
        io,
        setExit,
        async (
          file: string,
          opts: IngestRunFlags & {
            format?: 'text' | 'csv' | 'jsonl';
            column?: string;
            field?: string;
            sourceId?: string;
            observedAt?: string;
          },
        ) =>
          withApp(list, io, async (app) => {
            const column =
              opts.column === undefined
                ? undefined
                : /^\d+$/.test(opts.column)
                  ? Number(opts.column)
                  : opts.column;
            const source = createListSource({
              path: file === '-' ? '-' : file,
              ...(opts.format ? { format: opts.format } : {}),
              ...(column !== undefined ? { column } : {}),
              ...(opts.field ? { field: opts.field } : {}),
              ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
              ...(opts.observedAt ? { observedAt: isoFlag('--observed-at', opts.observedAt) } : {}),
            });
            return runSourceCommand(app, io, source, opts);
          }),
      ),
    );
  },
} satisfies CliCommand;

/** Parses an ISO-8601 flag value, failing as a usage error that names the flag. */
export function isoFlag(flag: string, value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new PrecursorError('VALIDATION_FAILED', `${flag}: '${value}' is not an ISO-8601 date-time`);
  return new Date(t).toISOString();
}

/** For sources in other files: the `ingest` group, created once. */
export function ingestGroup(program: Command): Command {
  const found = program.commands.find((c) => c.name() === 'ingest');
  if (!found) throw new Error('register ingestCommand before other ingest subcommands');
  return found;
}
