/**
 * `precursor ingest zone --old A --new B`: diffs two snapshots of a zone file into added, removed and
 * changed delegations (bounded memory) and ingests them; added names go to scoring.
 * @module
 */
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, untilInterrupted, withApp } from '../runtime.js';
import { createZoneDiffSource } from '../../ingest/sources/zone/zone-diff-source.js';
import { type IngestRunFlags, ingestGroup, isoFlag, runSourceCommand } from './ingest.js';

export const ingestZoneCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('zone')
      .description('diff two RFC 1035 zone-file snapshots into delegation changes')
      .requiredOption('--old <file>', 'the earlier snapshot')
      .requiredOption('--new <file>', 'the later snapshot')
      .option('--zone <name>', 'zone apex, e.g. com (default: from the SOA record)')
      .option('--work-dir <dir>', 'where partitions and the diff are kept (default: the temp dir)')
      .option(
        '--partitions <n>',
        'on-disk partitions (default: one per 16 MiB of zone)',
        parseIntFlag('--partitions', 1),
      )
      .option(
        '--observed-at <iso>',
        'event time of the changes (default: the SOA serial date, else the file time)',
      )
      .option('--from-start', 'ignore the checkpoint and read the diff from the beginning')
      .option('--batch-size <n>', 'changes per transaction', parseIntFlag('--batch-size', 1))
      .option('--no-detect', 'store observations only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(
        io,
        setExit,
        async (
          opts: IngestRunFlags & {
            old: string;
            new: string;
            zone?: string;
            workDir?: string;
            partitions?: number;
            observedAt?: string;
          },
        ) =>
          withApp(cmd, io, async (app) => {
            const source = createZoneDiffSource({
              oldPath: opts.old,
              newPath: opts.new,
              ...(opts.zone ? { zone: opts.zone } : {}),
              ...(opts.workDir ? { workDir: opts.workDir } : {}),
              ...(opts.partitions ? { partitions: opts.partitions } : {}),
              ...(opts.observedAt ? { observedAt: isoFlag('--observed-at', opts.observedAt) } : {}),
              onDiff: (s) => {
                if (!opts.json)
                  io.stderr.write(
                    `zone ${s.new.apex ?? '?'}: ${s.old.delegations} → ${s.new.delegations} delegations; ${s.added} added, ${s.removed} removed, ${s.changed} changed\n`,
                  );
              },
            });
            return untilInterrupted((signal) => runSourceCommand(app, io, source, opts, signal));
          }),
      ),
    );
  },
} satisfies CliCommand;
