/**
 * `precursor review`: runs the review stage now (ingest runs it after detection): the live policy over
 * campaigns and lone flagged entities, opening or updating their cases.
 * @module
 */
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, untilInterrupted, withApp, writeJson } from '../runtime.js';

export const reviewCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('review')
      .description('run the review policy over campaigns and flagged entities; open or update cases')
      .option('--json', 'the stage report as JSON');
    cmd.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(cmd, io, async (app) => {
          const r = await untilInterrupted((signal) => app.pipeline.review({ signal }));
          if (opts.json) writeJson(io, r);
          else
            io.stdout.write(
              `policy ${r.policy.name} (${r.policy.revision}): ${r.subjects} subjects, ${r.opened} cases opened, ${r.attached} updated, ${r.reopened} reopened, ${r.superseded} superseded, ${r.holds} holds, ${r.actions} actions queued${r.ruleFailures ? `, ${r.ruleFailures} rule failures` : ''}\n`,
            );
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
