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

export const entitiesCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('entities')
      .description('list entities with their latest assessment')
      .option('--flagged', 'only entities whose assessment is flagged')
      .addOption(new Option('--type <type>', 'only this entity type').choices(ENTITY_TYPES))
      .option('--search <text>', 'substring of the key or display name')
      .option('--min-score <n>', 'only scores >= n', parseIntFlag('--min-score', 0))
      .option('--limit <n>', 'at most n entities (default 100)', parseIntFlag('--limit', 1))
      .option('--after <key>', 'keyset pagination: entities after this key')
      .addOption(
        new Option('--order <order>', 'sort by key (default) or by score, highest first').choices([
          'key',
          'score',
        ]),
      )
      .option('--explain', 'show the contributing signals under each entity (text mode)')
      .option('--json', 'one JSON object per line');
    cmd.action(
      action(
        io,
        setExit,
        async (opts: {
          flagged?: boolean;
          type?: EntityType;
          search?: string;
          minScore?: number;
          limit?: number;
          after?: string;
          explain?: boolean;
          json?: boolean;
        }) =>
          withApp(cmd, io, async (app) => {
            const rows = await app.pipeline.store.entities.list({
              limit: opts.limit ?? 100,
              ...(opts.flagged ? { flagged: true } : {}),
              ...(opts.type ? { type: opts.type } : {}),
              ...(opts.search ? { search: opts.search } : {}),
              ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}),
              ...(opts.after ? { after: opts.after } : {}),
            });
            if (opts.json) for (const r of rows) writeJson(io, toJson(r));
            else printTable(io, rows, opts.explain === true);
            return EXIT.OK;
          }),
      ),
    );
  },
} satisfies CliCommand;

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

function printTable(io: CliIo, rows: readonly EntityView[], explain: boolean): void {
  if (rows.length === 0) {
    io.stdout.write('no entities match\n');
    return;
  }
  const w = Math.min(60, Math.max(10, ...rows.map((r) => r.entity.display.length)));
  io.stdout.write(
    `${'SCORE'.padStart(5)}  ${'FLAG'.padEnd(4)}  ${'TYPE'.padEnd(8)}  ${'ENTITY'.padEnd(w)}  TOP SIGNAL\n`,
  );
  for (const r of rows) {
    const a = r.assessment;
    const top = a?.contributions[0];
    io.stdout.write(
      `${(a ? a.score.toFixed(0) : '-').padStart(5)}  ${(a?.flagged ? 'yes' : '').padEnd(4)}  ${r.entity.type.padEnd(8)}  ${r.entity.display.slice(0, w).padEnd(w)}  ${top ? `${top.id} (${top.weight})` : ''}\n`,
    );
    if (explain && a)
      for (const c of a.contributions)
        io.stdout.write(
          `${' '.repeat(23)}${c.points >= 0 ? '+' : ''}${c.points.toFixed(1).padStart(5)}  ${c.id}: ${c.detail}\n`,
        );
  }
}
