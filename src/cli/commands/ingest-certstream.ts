/**
 * `precursor ingest certstream URL|FILE`: certstream `certificate_update` messages, live from a
 * WebSocket (until interrupted) or replayed from a JSON-lines file (resumable).
 * @module
 */
import { resolve } from 'node:path';
import { createCertstreamSource } from '../../ingest/sources/certstream/certstream-source.js';
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, untilInterrupted, withApp } from '../runtime.js';
import { type IngestRunFlags, ingestGroup, notice, runSourceCommand } from './ingest.js';

export const ingestCertstreamCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('certstream')
      .description('certstream messages from a ws:// or wss:// URL (live) or a JSON-lines file (replay)')
      .argument('<input>', 'WebSocket URL or file')
      .option(
        '--source-id <id>',
        'checkpoint/dead-letter id (default: certstream:<absolute path> for a file, certstream live)',
      )
      .option('--from-start', 'file: ignore the checkpoint and read from the beginning')
      .option('--batch-size <n>', 'messages per transaction', parseIntFlag('--batch-size', 1))
      .option('--no-detect', 'store observations only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (input: string, opts: IngestRunFlags & { sourceId?: string }) =>
        withApp(cmd, io, async (app) => {
          const live = /^wss?:\/\//i.test(input);
          return untilInterrupted((signal) => {
            const source = createCertstreamSource({
              input: live || input === '-' ? input : resolve(io.cwd, input),
              stdin: io.stdin,
              // A replay file is read and parsed by a worker thread ahead of the store's writes.
              parseAhead: !live,
              ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
              onEvent: (e) => notice(io, `certstream: ${e.type}: ${e.detail}`),
            });
            // A live stream commits small batches so that names reach scoring quickly.
            return runSourceCommand(
              app,
              io,
              source,
              { ...(live && !opts.batchSize ? { batchSize: 100 } : {}), ...opts },
              signal,
              live ? { resumable: false, live: true } : { resumable: input !== '-' },
              // A replay is read as fast as the disk gives it: a worker judges its certificates meanwhile.
              live ? {} : { prejudge: true },
            );
          });
        }),
      ),
    );
  },
} satisfies CliCommand;
