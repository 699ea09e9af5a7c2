/**
 * `precursor entities`: what the pipeline knows, with each score's explanation.
 * @module
 */
import { Option } from 'commander';
import { ENTITY_TYPES, type EntityType } from '../../domain/index.js';
import type { EntityView } from '../../store/store.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp, writeJson } from '../runtime.js';
import { shellQuote } from './ingest.js';
import { entityPages } from '../../app/entity-lookup.js';

interface EntitiesFlags {
  flagged?: boolean;
  type?: EntityType;
  search?: string;
  minScore?: number;
  limit?: number;
  after?: string;
  order?: 'key' | 'score';
  explain?: boolean;
  json?: boolean;
}

export const entitiesCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('entities')
      .description('list entities with their latest assessment')
      .option('--flagged', 'only entities whose assessment is flagged')
      .addOption(new Option('--type <type>', 'only this entity type').choices(ENTITY_TYPES))
      .option('--search <text>', 'substring of the key or display name')
      .option('--min-score <n>', 'only scores >= n', parseIntFlag('--min-score', 0, 100))
      .option('--limit <n>', 'at most n entities (default 100; 0 lists all)', parseIntFlag('--limit', 0))
      .option('--after <key>', 'the page after this entity (a key as listed, or a domain name)')
      .addOption(
        new Option('--order <order>', 'sort by key (default) or by score, highest first').choices([
          'key',
          'score',
        ]),
      )
      .option('--explain', 'show the contributing signals under each entity (text mode)')
      .option('--json', 'one JSON object per line');
    cmd.action(
      action(io, setExit, async (opts: EntitiesFlags) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const limit = opts.limit ?? 100;
            const pages = await entityPages(
              app.pipeline.store,
              {
                order: opts.order ?? 'key',
                ...(opts.flagged ? { flagged: true } : {}),
                ...(opts.type ? { type: opts.type } : {}),
                ...(opts.search ? { search: opts.search } : {}),
                ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}),
              },
              limit,
              opts.after,
            );
            let n = 0;
            if (opts.json)
              for await (const r of pages.rows) {
                writeJson(io, toJson(r));
                n++;
              }
            else n = await printTable(io, pages.rows, opts.explain === true);
            const next = pages.next();
            if (next !== undefined) {
              const hint = `showing ${n} entities; more follow. Next page: ${nextPageCommand(opts, next)}`;
              if (opts.json) io.stderr.write(`precursor: notice: ${hint}\n`);
              else io.stdout.write(`-- ${hint}\n`);
            }
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;

/** The same listing's next page, as a command to paste (`--limit 0` lists everything at once). */
function nextPageCommand(opts: EntitiesFlags, after: string): string {
  const args = ['precursor', 'entities'];
  if (opts.flagged) args.push('--flagged');
  if (opts.type) args.push('--type', opts.type);
  if (opts.search) args.push('--search', shellQuote(opts.search));
  if (opts.minScore !== undefined) args.push('--min-score', String(opts.minScore));
  if (opts.order === 'score') args.push('--order', 'score');
  if (opts.limit !== undefined) args.push('--limit', String(opts.limit));
  if (opts.explain) args.push('--explain');
  if (opts.json) args.push('--json');
  args.push('--after', shellQuote(after));
  return args.join(' ');
}

function toJson(r: EntityView) {
  const a = r.assessment;
  return {
    key: r.entity.key,
    type: r.entity.type,
    display: r.entity.display,
    first_seen: r.entity.firstSeen,
    last_seen: r.entity.lastSeen,
    score: a?.score ?? null,
    flagged: a?.flagged ?? false,
    verdict: a?.verdict ?? null,
    signals: (a?.contributions ?? []).map((c) => ({
      id: c.id,
      weight: c.weight,
      points: c.points,
      detail: c.detail,
    })),
    attrs: r.entity.attrs,
  };
}

/**
 * The table shows each entity by its key — what `--after`, `precursor entity` and the API take — with
 * the display name beside it when that differs (an IDN in Unicode, a certificate's subject).
 */
async function printTable(io: CliIo, rows: AsyncIterable<EntityView>, explain: boolean): Promise<number> {
  let n = 0;
  for await (const r of rows) {
    if (n === 0)
      io.stdout.write(
        `${'SCORE'.padStart(5)}  ${'FLAG'.padEnd(4)}  ${'TYPE'.padEnd(8)}  ENTITY  —  TOP SIGNAL\n`,
      );
    n++;
    const a = r.assessment;
    const top = a?.contributions[0];
    const value = r.entity.key.slice(r.entity.type.length + 1);
    const name =
      r.entity.display === value ? r.entity.key : `${r.entity.key} (${clip(r.entity.display, 60)})`;
    io.stdout.write(
      `${(a ? a.score.toFixed(0) : '-').padStart(5)}  ${(a?.flagged ? 'yes' : '').padEnd(4)}  ${r.entity.type.padEnd(8)}  ${name}${top ? `  —  ${top.id} (${top.weight})` : ''}\n`,
    );
    if (explain && a)
      for (const c of a.contributions)
        io.stdout.write(
          `${' '.repeat(23)}${c.points >= 0 ? '+' : ''}${c.points.toFixed(1).padStart(5)}  ${c.id}: ${c.detail}\n`,
        );
  }
  if (n === 0) io.stdout.write('no entities match\n');
  return n;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
