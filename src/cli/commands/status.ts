/**
 * `precursor status [--json]`: published, processed and pending work per source and stage, in either
 * mode (docs/cli.md). Exit 0 whatever the backlog: a backlog is data, not a failure.
 * @module
 */
import { statusReport } from '../../app/status.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';

const cell = (v: number | null) => (v === null ? '-' : String(v));

export const statusCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('status')
      .description('work published, processed and pending, per source and stage (both modes)')
      .option('--json', 'print the report as JSON');
    cmd.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const r = await statusReport(app);
            if (opts.json) {
              writeJson(io, r);
              return EXIT.OK;
            }
            const lines = [
              `mode          ${r.mode}${r.stream ? ` (stream ${r.stream.stream}, ${r.stream.partitions} partitions)` : ''}`,
              `observations  ${r.observations}`,
              `pending       ${r.pending}`,
              '',
              'stage       published  processed    pending  redelivered  dead letters',
              ...r.stages.map(
                (s) =>
                  `${s.stage.padEnd(10)} ${cell(s.published).padStart(10)} ${String(s.processed).padStart(10)} ${String(s.pending).padStart(10)} ${cell(s.redeliveries).padStart(12)} ${String(s.deadLetters).padStart(13)}`,
              ),
              '',
              'source                                            published     stored  dead letters',
              ...r.sources.map(
                (s) =>
                  `${s.source.length > 48 ? `…${s.source.slice(-47)}` : s.source.padEnd(48)} ${cell(s.published).padStart(10)} ${String(s.stored).padStart(10)} ${String(s.deadLetters).padStart(13)}`,
              ),
            ];
            io.stdout.write(`${lines.join('\n')}\n`);
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;
