/**
 * `precursor ingest certstream URL|FILE`: certstream `certificate_update` messages, live from a
 * WebSocket (until interrupted) or replayed from a JSON-lines file (resumable).
 * @module
 */
import { createCertstreamSource } from '../../ingest/sources/certstream/certstream-source.js';
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, untilInterrupted, withApp } from '../runtime.js';
import { type IngestRunFlags, ingestGroup, runSourceCommand } from './ingest.js';

export const ingestCertstreamCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('certstream')
      .description('certstream messages from a ws:// or wss:// URL (live) or a JSON-lines file (replay)')
      .argument('<input>', 'WebSocket URL or file')
      .option('--source-id <id>', 'checkpoint/dead-letter id (default: certstream)')
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
              input,
              ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
              onEvent: (e) => io.stderr.write(`certstream: ${e.type}: ${e.detail}\n`),
            });
            // A live stream commits small batches so that names reach scoring quickly.
            return runSourceCommand(
              app,
              io,
              source,
              { ...(live && !opts.batchSize ? { batchSize: 100 } : {}), ...opts },
              signal,
            );
          });
        }),
      ),
    );
  },
} satisfies CliCommand;
