/**
 * `precursor detect`: score every stored observation not yet processed (after `ingest --no-detect`,
 * or after new detectors or brand profiles were added with `--rescore`).
 * @module
 */
import { BULK_COMMIT_AFTER_MS } from '../../app/bulk-commits.js';
import { tenantStageFor } from '../../app/tenant-stage-for.js';
import { PrecursorError } from '../../domain/index.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, progress, withApp, writeJson } from '../runtime.js';

export const detectCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('detect')
      .description('run the detect stage over observations not yet processed')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(cmd, io, async (app) => {
          // The leading worker holds the tenant windows in memory: a second tenant stage here would
          // diverge from them and overwrite their snapshot.
          if (app.pipeline.streamed)
            throw new PrecursorError(
              'VALIDATION_FAILED',
              'in the scale-out mode (PRECURSOR_STREAM_URL) the workers run detect and the tenant stage: see `precursor status`',
            );
          const bar = progress(io);
          const r = await app.pipeline.detect({
            commitAfterMs: BULK_COMMIT_AFTER_MS,
            onProgress: (p) => bar.update(`detect: ${p.observations} observations, ${p.flagged} flagged`),
          });
          // Tenant behaviour is its own stage (windowed state); it catches up on pending events too.
          const stage = tenantStageFor(app.pipeline.store, app.config, {
            commitAfterMs: BULK_COMMIT_AFTER_MS,
          });
          const tenant = await stage.run();
          await stage.persist();
          bar.done();
          if (opts.json) writeJson(io, { ...r, tenant });
          else
            io.stdout.write(
              `processed ${r.observations} observations, scored ${r.entities} entities, ${r.flagged} flagged; tenant stage: ${tenant.events} events, ${tenant.flagged} accounts flagged\n`,
            );
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
