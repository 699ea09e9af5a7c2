/**
 * `precursor ingest <source>`: the command group every source hangs off. `ingest list` lives here;
 * other sources register their own subcommands (see cli/main.ts).
 * @module
 */
import { BULK_COMMIT_AFTER_MS } from '../../app/bulk-commits.js';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { AppContext } from '../../app/open-app.js';
import { PrecursorError } from '../../domain/index.js';
import type { IngestSummary } from '../../ingest/run-ingest.js';
import type { Source } from '../../ingest/source.js';
import { createListSource } from '../../ingest/sources/list/list-source.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import {
  action,
  commandSeconds,
  parseIntFlag,
  progress,
  untilInterrupted,
  withApp,
  writeJson,
} from '../runtime.js';

export interface IngestRunFlags {
  json?: boolean;
  detect?: boolean;
  fromStart?: boolean;
  batchSize?: number;
}

/** How a source's run ends when interrupted (see `reportStop`). */
export interface StopKind {
  /** The input can be read again from the checkpoint (a file; not stdin, not a live stream). */
  readonly resumable: boolean;
  /** Interrupting is the normal way to stop (a live stream, `--follow`): not an error. */
  readonly live?: boolean;
}

/** Shared by every `ingest` subcommand: runs a source with progress and prints the summary. */
export async function runSourceCommand(
  app: AppContext,
  io: CliIo,
  source: Source,
  flags: IngestRunFlags,
  signal?: AbortSignal,
  stop: StopKind = { resumable: true },
  extra: { readonly prejudge?: boolean } = {},
): Promise<number> {
  const bar = progress(io);
  const { ingest, detect } = await app.pipeline.ingest(source, {
    ...(flags.fromStart ? { ignoreCheckpoint: true } : {}),
    ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
    ...(signal ? { signal } : {}),
    detect: flags.detect !== false,
    commitAfterMs: BULK_COMMIT_AFTER_MS,
    ...extra,
    onNotice: (m) => notice(io, m, bar),
    onProgress: (p) =>
      bar.update(
        `${p.source}: ${p.records} records, ${p.inserted} new, ${p.rejected} rejected (${p.position ?? ''})`,
      ),
    onDetectProgress: (p) =>
      bar.update(`detect: ${p.observations} observations, ${p.entities} entities, ${p.flagged} flagged`),
  });
  bar.done();
  const summary = { ...ingest, seconds: commandSeconds() };
  printSummary(io, summary, detect, flags.json === true);
  if (summary.aborted) {
    const code = reportStop(io, summary, stop);
    if (code !== undefined) return code;
  }
  return ingest.rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** A one-line notice on stderr (`precursor: notice: …`), clear of the progress line. */
export function notice(io: CliIo, message: string, bar?: { done(): void }): void {
  bar?.done();
  io.stderr.write(`precursor: notice: ${message}\n`);
}

/**
 * After SIGINT/SIGTERM: where the read stopped and what a re-run does. A finite input exits with
 * INTERRUPTED (130); a live stream, whose normal end this is, exits as usual (undefined).
 */
export function reportStop(io: CliIo, s: IngestSummary, stop: StopKind): number | undefined {
  const at = s.position ? `after ${s.position}` : 'before the first batch was committed';
  if (stop.live) {
    io.stderr.write(`precursor: stopped ${s.source} ${at}; ${s.records} records read\n`);
    return undefined;
  }
  io.stderr.write(
    `precursor: interrupted: ${s.source} stopped ${at} (${s.records} records read, everything read is committed); ${
      stop.resumable
        ? 'run the same command again to resume from there'
        : 'standard input cannot be resumed: send the rest again (records already stored count as duplicates)'
    }\n`,
  );
  return EXIT.INTERRUPTED;
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
    `source      ${ingest.source}${ingest.resumedFrom ? ' (resumed from checkpoint)' : ''}${ingest.checkpointReset ? ' (checkpoint reset: read from the beginning)' : ''}`,
    `records     ${ingest.records}`,
    `inserted    ${ingest.inserted}`,
    `duplicates  ${ingest.duplicates}`,
    `rejected    ${ingest.rejected}${ingest.rejected > 0 ? `  (see: precursor dead-letters --source ${shellQuote(ingest.source)})` : ''}`,
    `skipped     ${ingest.skipped}${ingest.skipped > 0 ? '  (blank lines, comments, headers, heartbeats: nothing to store)' : ''}`,
    `seconds     ${ingest.seconds.toFixed(2)}`,
  ];
  if (detect) lines.push(`detected    ${detect.entities} entities scored, ${detect.flagged} flagged`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** A value as one shell word, quoted only when it needs to be (for commands printed as hints). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
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
              path: file === '-' ? '-' : resolve(io.cwd, file),
              stdin: io.stdin,
              ...(opts.format ? { format: opts.format } : {}),
              ...(column !== undefined ? { column } : {}),
              ...(opts.field ? { field: opts.field } : {}),
              ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
              ...(opts.observedAt ? { observedAt: isoFlag('--observed-at', opts.observedAt) } : {}),
            });
            return untilInterrupted((signal) =>
              runSourceCommand(app, io, source, opts, signal, { resumable: file !== '-' }),
            );
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
