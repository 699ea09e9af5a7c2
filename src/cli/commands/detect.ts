/**
 * `precursor detect`: score every stored observation not yet processed (after `ingest --no-detect`,
 * or after new detectors or brand profiles were added with `--rescore`).
 * @module
 */
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
          const bar = progress(io);
          const r = await app.pipeline.detect({
            onProgress: (p) => bar.update(`detect: ${p.observations} observations, ${p.flagged} flagged`),
          });
          bar.done();
          if (opts.json) writeJson(io, r);
          else
            io.stdout.write(
              `processed ${r.observations} observations, scored ${r.entities} entities, ${r.flagged} flagged\n`,
            );
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
