/**
 * `precursor ingest ct --logs LOGLIST`: reads CT logs (RFC 6962 and static-ct-api) from a v3 log list,
 * several at once, each resuming from its own checkpoint (`ct:<log>`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { PrecursorError } from '../../domain/index.js';
import { type CtLogState, parseLogList } from '../../ingest/sources/ct/ct-log-list.js';
import { runCtIngest } from '../../ingest/sources/ct/ct-ingest.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import {
  action,
  oneAtATime,
  parseIntFlag,
  progress,
  untilInterrupted,
  withApp,
  writeJson,
} from '../runtime.js';
import { ingestGroup } from './ingest.js';

interface CtFlags {
  logs: string;
  log?: string[];
  state?: string;
  fromNow?: boolean;
  fromIndex?: number;
  toIndex?: number;
  follow?: boolean;
  concurrency?: number;
  batchSize?: number;
  detect?: boolean;
  json?: boolean;
}

export const ingestCtCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('ct')
      .description('certificate transparency logs (RFC 6962 and static-ct-api) from a v3 log list')
      .requiredOption('--logs <file>', 'log list in the v3 JSON format (log_list.json)')
      .option('--log <text...>', 'only logs whose URL or description contains one of these')
      .option(
        '--state <states>',
        'log states to read, comma-separated, or "all"',
        'usable,qualified,readonly',
      )
      .addOption(
        new Option('--from-now', 'ignore checkpoints and start at each tree head').conflicts('fromIndex'),
      )
      .option(
        '--from-index <n>',
        'ignore checkpoints and start at this index',
        parseIntFlag('--from-index', 0),
      )
      .option('--to-index <n>', 'stop before this index', parseIntFlag('--to-index', 1))
      .option('--follow', 'keep polling for new entries until interrupted')
      .option('--concurrency <n>', 'logs read at the same time', parseIntFlag('--concurrency', 1), 4)
      .option('--batch-size <n>', 'entries per committed batch', parseIntFlag('--batch-size', 1))
      .option('--no-detect', 'store observations only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (opts: CtFlags) =>
        withApp(cmd, io, async (app) => {
          let json: unknown;
          try {
            json = JSON.parse(readFileSync(opts.logs, 'utf8'));
          } catch (e) {
            throw new PrecursorError(
              'VALIDATION_FAILED',
              `cannot read log list ${opts.logs}: ${(e as Error).message}`,
            );
          }
          const states =
            opts.state === 'all'
              ? 'all'
              : ((opts.state ?? '').split(',').map((s) => s.trim()) as CtLogState[]);
          const logs = parseLogList(json, { states, ...(opts.log ? { match: opts.log } : {}) });
          if (logs.length === 0)
            throw new PrecursorError('VALIDATION_FAILED', 'no log in the list matches --log/--state');
          const bar = progress(io);
          return untilInterrupted(async (signal) => {
            // Score as batches commit, one detect run at a time (the pipeline serialises them).
            // In the scale-out mode entries are published and the workers score them.
            const scoring = opts.detect !== false && !app.pipeline.streamed;
            const detecting = oneAtATime(() => app.pipeline.detect({ signal }));
            const results = await runCtIngest(logs, app.pipeline.observations, {
              start: opts.fromIndex ?? 'now',
              ...(opts.toIndex === undefined ? {} : { end: opts.toIndex }),
              follow: opts.follow === true,
              concurrency: opts.concurrency ?? 4,
              ...(opts.batchSize ? { commitEvery: opts.batchSize } : {}),
              ignoreCheckpoint: opts.fromNow === true || opts.fromIndex !== undefined,
              signal,
              onProgress: (p) =>
                bar.update(
                  `${p.source}: ${p.records} entries, ${p.inserted} new, ${p.rejected} rejected (${p.position ?? ''})`,
                ),
              ...(scoring ? { onCommitted: detecting.soon } : {}),
            });
            await detecting.settled();
            const detect = scoring ? await app.pipeline.detect() : undefined;
            bar.done();
            const failed = results.filter((r) => !r.ok).length;
            const rejected = results.reduce((n, r) => n + (r.ok ? r.summary.rejected : 0), 0);
            if (opts.json) writeJson(io, { logs: results, detect: detect ?? null });
            else {
              for (const r of results) {
                io.stdout.write(
                  r.ok
                    ? `${r.log}: ${r.summary.records} entries, ${r.summary.inserted} new, ${r.summary.rejected} rejected, next index ${r.summary.position?.replace('index ', '') ?? '-'}\n`
                    : `${r.log}: FAILED ${r.code}: ${r.error}\n`,
                );
              }
              if (detect)
                io.stdout.write(`detected: ${detect.entities} entities scored, ${detect.flagged} flagged\n`);
            }
            if (failed === results.length) return EXIT.FAILURE;
            return failed > 0 || rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
          });
        }),
      ),
    );
  },
} satisfies CliCommand;
