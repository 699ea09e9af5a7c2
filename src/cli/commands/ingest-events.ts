/**
 * `precursor ingest events FILE…`: cloud-tenant events from JSONL files (schema: docs/tenant-events.md).
 * Each file is a checkpointed source (a re-run resumes; event ids make replays no-ops); after the
 * files, the tenant stage updates the accounts' windows, signals and assessments.
 * @module
 */
import { tenantStageFor } from '../../app/tenant-stage-for.js';
import { createTenantFileSource } from '../../ingest/sources/tenant/tenant-source.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, progress, withApp, writeJson } from '../runtime.js';
import { type IngestRunFlags, ingestGroup, printSummary } from './ingest.js';

export const ingestEventsCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('events')
      .description(
        'cloud-tenant events, one JSON object per line (account, payment, domain, deployment, login …)',
      )
      .argument('<files...>', 'JSONL files (- for standard input)')
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
      action(io, setExit, async (files: string[], opts: IngestRunFlags & { sourceId?: string }) =>
        withApp(cmd, io, async (app) => {
          let rejected = 0;
          const summaries = [];
          for (const file of files) {
            const source = createTenantFileSource({
              path: file,
              ...(opts.sourceId && files.length === 1 ? { sourceId: opts.sourceId } : {}),
            });
            const bar = progress(io);
            const { ingest, detect } = await app.pipeline.ingest(source, {
              ...(opts.fromStart ? { ignoreCheckpoint: true } : {}),
              ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
              detect: opts.detect !== false,
              onProgress: (p) =>
                bar.update(`${p.source}: ${p.records} events, ${p.inserted} new, ${p.rejected} rejected`),
              onDetectProgress: (p) =>
                bar.update(`detect: ${p.observations} observations, ${p.entities} entities`),
            });
            bar.done();
            rejected += ingest.rejected;
            if (!opts.json) printSummary(io, ingest, detect, false);
            summaries.push({ ...ingest, detect: detect ?? null });
          }
          let tenant = null;
          if (opts.detect !== false) {
            const stage = tenantStageFor(app.pipeline.store, app.config);
            const bar = progress(io);
            tenant = await stage.run();
            await stage.persist();
            bar.done();
            if (!opts.json) {
              io.stdout.write(
                `tenant      ${tenant.events} events, ${tenant.accountsUpdated} account updates, ${tenant.flagged} flagged assessments\n`,
              );
              io.stdout.write('            see: precursor entities --type account --flagged\n');
            }
          }
          if (opts.json) writeJson(io, { files: summaries, tenant });
          return rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
