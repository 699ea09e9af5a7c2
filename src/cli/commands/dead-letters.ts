/**
 * `precursor dead-letters`: records that were not accepted, and why.
 * @module
 */
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp, writeJson } from '../runtime.js';

export const deadLettersCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('dead-letters')
      .description('list rejected records with source, position, reason code and raw text')
      .option('--source <id>', 'only this source id')
      .option('--limit <n>', 'at most n records (default 100)', parseIntFlag('--limit', 1))
      .option('--after <id>', 'records with id > this (pagination)', parseIntFlag('--after', 0))
      .option('--json', 'one JSON object per line');
    cmd.action(
      action(io, setExit, async (opts: { source?: string; limit?: number; after?: number; json?: boolean }) =>
        withApp(cmd, io, async (app) => {
          const rows = await app.pipeline.store.observations.deadLetters({
            limit: opts.limit ?? 100,
            ...(opts.source ? { source: opts.source } : {}),
            ...(opts.after !== undefined ? { afterId: opts.after } : {}),
          });
          if (opts.json) {
            for (const r of rows) writeJson(io, r);
          } else if (rows.length === 0) {
            io.stdout.write('no dead letters\n');
          } else {
            for (const r of rows) {
              io.stdout.write(
                `#${r.id} ${r.source} ${r.position}: ${r.code} ${r.reason}${r.path ? ` (at ${r.path})` : ''}\n    ${r.raw.slice(0, 200)}\n`,
              );
            }
          }
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
