/**
 * `precursor dead-letters`: records that were not accepted, and why.
 * @module
 */
import { PrecursorError } from '../../domain/index.js';
import type { DeadLetter } from '../../store/store.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp, writeJson } from '../runtime.js';
import { shellQuote } from './ingest.js';

/** Rows per query; `--limit 0` and big limits are read in pages of this size. */
const PAGE = 1000;

interface DeadLetterFlags {
  source?: string;
  limit?: number;
  after?: string;
  json?: boolean;
}

/** `--after` takes the id as the list shows it (`#12`) or bare (`12`). */
function afterId(v: string): number {
  const m = /^#?(\d{1,15})$/.exec(v.trim());
  if (!m)
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `--after ${v}: give a dead-letter id as listed (#12 or 12)`,
    );
  return Number(m[1]);
}

export const deadLettersCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('dead-letters')
      .description('list rejected records with source, position, reason code and raw text')
      .option('--source <id>', 'only this source id')
      .option('--limit <n>', 'at most n records (default 100; 0 lists all)', parseIntFlag('--limit', 0))
      .option('--after <id>', 'records after this id (#12 or 12, as listed): the next page')
      .option('--json', 'one JSON object per line');
    cmd.action(
      action(io, setExit, async (opts: DeadLetterFlags) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const limit = opts.limit ?? 100;
            let left = limit === 0 ? Number.POSITIVE_INFINITY : limit;
            let after = opts.after === undefined ? undefined : afterId(opts.after);
            let shown = 0;
            let next: number | undefined;
            for (;;) {
              const want = Math.min(PAGE, left);
              const rows = await app.pipeline.store.observations.deadLetters({
                limit: want + 1,
                ...(opts.source ? { source: opts.source } : {}),
                ...(after !== undefined ? { afterId: after } : {}),
              });
              const page = rows.slice(0, want);
              for (const r of page) print(r, opts.json === true);
              shown += page.length;
              left -= page.length;
              const last = page[page.length - 1];
              if (rows.length <= want || !last) break;
              after = last.id;
              if (left <= 0) {
                next = last.id;
                break;
              }
            }
            if (shown === 0 && !opts.json) io.stdout.write('no dead letters\n');
            if (next !== undefined) {
              const cmdLine = [
                'precursor dead-letters',
                ...(opts.source ? [`--source ${shellQuote(opts.source)}`] : []),
                ...(opts.limit !== undefined ? [`--limit ${opts.limit}`] : []),
                ...(opts.json ? ['--json'] : []),
                `--after ${next}`,
              ].join(' ');
              const hint = `showing ${shown} dead letters; more follow. Next page: ${cmdLine}`;
              if (opts.json) io.stderr.write(`precursor: notice: ${hint}\n`);
              else io.stdout.write(`-- ${hint}\n`);
            }
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
    const print = (r: DeadLetter, json: boolean): void => {
      if (json) writeJson(io, r);
      else
        io.stdout.write(
          `#${r.id} ${r.source} ${r.position}: ${r.code} ${r.reason}${r.path ? ` (at ${r.path})` : ''}\n    ${r.raw.slice(0, 200)}\n`,
        );
    };
  },
} satisfies CliCommand;
