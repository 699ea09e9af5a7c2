/**
 * `precursor ingest events FILE…`: cloud-tenant events from JSONL files (schema: docs/tenant-events.md),
 * or from a NATS JetStream stream (`--nats URL --stream NAME`). Each file or stream is a checkpointed
 * source (a re-run resumes; event ids make replays no-ops); then the tenant stage updates the accounts'
 * windows, signals and assessments — after each committed batch when following a stream.
 * @module
 */
import { BULK_COMMIT_AFTER_MS } from '../../app/bulk-commits.js';
import { resolve } from 'node:path';
import { tenantStageFor } from '../../app/tenant-stage-for.js';
import { collectFreshTenantEvents } from '../../detect/tenant/tenant-stage.js';
import { PrecursorError } from '../../domain/index.js';
import type { Source } from '../../ingest/source.js';
import { createTenantFileSource, parseTenantRecord } from '../../ingest/sources/tenant/tenant-source.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import {
  action,
  commandSeconds,
  oneAtATime,
  parseIntFlag,
  progress,
  untilInterrupted,
  withApp,
  writeJson,
} from '../runtime.js';
import { type IngestRunFlags, ingestGroup, notice, printSummary, reportStop } from './ingest.js';

/**
 * Events held for the detect and tenant stages' runs after the files are read (~1 KiB each, shared by
 * the two): a larger input has the rest read back from the store.
 */
const FRESH_EVENTS_HELD = 250_000;

export const ingestEventsCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('events')
      .description(
        'cloud-tenant events, one JSON object per line (account, payment, domain, deployment, login …)',
      )
      .argument('[files...]', 'JSONL files (- for standard input)')
      .option('--nats <url>', 'read a NATS JetStream stream instead of files (nats://host:port)')
      .option('--stream <name>', 'with --nats: the stream holding one event per message')
      .option(
        '--subject <subject>',
        'with --nats: only these subjects of the stream (repeatable)',
        (v: string, prev: string[] = []) => [...prev, v],
      )
      .option('--follow', 'with --nats: keep reading new events until interrupted')
      .option(
        '--source-id <id>',
        'checkpoint/dead-letter id for a single file (default: tenant:<absolute path>)',
      )
      .option('--from-start', 'ignore the checkpoints and read from the beginning')
      .option('--batch-size <n>', 'events per transaction', parseIntFlag('--batch-size', 1))
      .option(
        '--no-detect',
        'store events only; the tenant stage and detectors run on the next ingest or `precursor detect`',
      )
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (files: string[], opts: EventFlags) =>
        withApp(cmd, io, async (app) => {
          const sources = await eventSources(files, opts, io);
          // A followed stream never ends: the tenant stage runs as batches commit, one run at a time.
          // In the scale-out mode the workers run the tenant stage (and everything after it).
          const stage =
            opts.detect === false || app.pipeline.streamed
              ? undefined
              : tenantStageFor(app.pipeline.store, app.config, { commitAfterMs: BULK_COMMIT_AFTER_MS });
          const staging = oneAtATime(async () => stage?.run());
          // Read to the end, the files' events go to the stages in one run each afterwards: hand them the
          // events ingest has just parsed and stored rather than have each read back and parsed again.
          const fresh = stage && !opts.follow ? collectFreshTenantEvents(FRESH_EVENTS_HELD) : undefined;
          let rejected = 0;
          let stopped: number | undefined;
          const summaries: Record<string, unknown>[] = [];
          await untilInterrupted(async (signal) => {
            for (const [i, source] of sources.entries()) {
              if (signal.aborted) break;
              const bar = progress(io);
              const { ingest, detect } = await app.pipeline.ingest(source, {
                ...(opts.fromStart ? { ignoreCheckpoint: true } : {}),
                ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
                signal,
                ...(stage && opts.follow ? { onCommitted: staging.soon } : {}),
                ...(fresh
                  ? { wantSeqs: true, onCommitted: fresh.add, holdForDetect: FRESH_EVENTS_HELD }
                  : {}),
                detect: opts.detect !== false,
                commitAfterMs: BULK_COMMIT_AFTER_MS,
                // Correlation runs once at the end, after the tenant stage has judged the accounts.
                correlate: false,
                onNotice: (m) => notice(io, m, bar),
                onProgress: (p) =>
                  bar.update(`${p.source}: ${p.records} events, ${p.inserted} new, ${p.rejected} rejected`),
                onDetectProgress: (p) =>
                  bar.update(`detect: ${p.observations} observations, ${p.entities} entities`),
              });
              bar.done();
              const summary = { ...ingest, seconds: commandSeconds() };
              rejected += ingest.rejected;
              if (!opts.json) printSummary(io, summary, detect, false);
              summaries.push({ ...summary, detect: detect ?? null });
              if (ingest.aborted)
                stopped = reportStop(io, summary, {
                  resumable: opts.nats !== undefined || files[i] !== '-',
                  live: opts.follow === true,
                });
            }
          });
          await staging.settled();
          let tenant = null;
          if (stage) {
            const bar = progress(io);
            tenant = await stage.run(fresh?.fresh);
            await stage.persist();
            bar.done();
            if (!opts.json) {
              io.stdout.write(
                `tenant      ${tenant.events} events, ${tenant.accountsUpdated} account updates, ${tenant.flagged} flagged assessments\n`,
              );
              io.stdout.write('            see: precursor entities --type account --flagged\n');
            }
          }
          const correlation = stage ? ((await app.pipeline.correlate()) ?? null) : null;
          if (correlation && !opts.json)
            io.stdout.write(
              correlation.mode === 'full'
                ? `correlate   ${correlation.campaigns} campaigns (${correlation.flaggedCampaigns} flagged), ${correlation.raised} members raised\n`
                : `correlate   incremental: ${correlation.campaignsUpdated} campaigns grew, ${correlation.created} new, ${correlation.raised} members raised\n`,
            );
          if (opts.json) writeJson(io, { files: summaries, tenant, correlate: correlation });
          if (stopped !== undefined) return stopped;
          return rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;

type EventFlags = IngestRunFlags & {
  sourceId?: string;
  nats?: string;
  stream?: string;
  subject?: string[];
  follow?: boolean;
};

async function eventSources(files: string[], opts: EventFlags, io: CliIo): Promise<Source[]> {
  const usage = (message: string) => new PrecursorError('VALIDATION_FAILED', message);
  if (opts.nats === undefined) {
    if (opts.stream || opts.subject || opts.follow)
      throw usage('--stream, --subject and --follow need --nats');
    if (files.length === 0) throw usage('give JSONL files, or --nats URL --stream NAME');
    return files.map((path) =>
      createTenantFileSource({
        path: path === '-' ? '-' : resolve(io.cwd, path),
        stdin: io.stdin,
        ...(opts.sourceId && files.length === 1 ? { sourceId: opts.sourceId } : {}),
      }),
    );
  }
  if (files.length > 0) throw usage('give either files or --nats, not both');
  if (!opts.stream) throw usage('--nats needs --stream NAME');
  // The NATS client loads only for a stream, not for every file ingest.
  const { createJetStreamSource } = await import('../../ingest/sources/jetstream/jetstream-source.js');
  return [
    createJetStreamSource({
      servers: opts.nats,
      stream: opts.stream,
      ...(opts.subject ? { subjects: opts.subject } : {}),
      ...(opts.follow ? { follow: true } : {}),
      ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
      parse: parseTenantRecord,
    }),
  ];
}
