/**
 * `precursor correlate`, `precursor campaigns` and `precursor campaign ID`: run the correlate stage,
 * list the campaigns (riskiest first, JSON lines with `--json`) and show one in full — members,
 * pivots, timeline, growth, lead time and the explanation. Shapes: docs/cli.md and docs/api.md.
 * @module
 */
import { campaignDetail, listCampaigns } from '../../app/campaigns-service.js';
import type { CampaignDetail, CampaignSummary } from '../../store/store.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, progress, withApp, writeJson } from '../runtime.js';

export const correlateCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('correlate')
      .description('regroup every entity into campaigns now (a full recluster) and let evidence flow')
      .option('--full', 'a full recluster (what this command always runs; spelled out for scripts)')
      .option('--json', 'print the run summary as one JSON object');
    cmd.action(
      action(io, setExit, async (opts: { json?: boolean; full?: boolean }) =>
        withApp(cmd, io, async (app) => {
          const bar = progress(io);
          bar.update('correlating: reading the entity graph …');
          const s = await app.pipeline.correlate({ force: true });
          bar.done();
          if (!s) return EXIT.OK;
          if (opts.json) writeJson(io, s);
          else {
            io.stdout.write(
              `correlate   ${s.nodes} entities, ${s.links} links; largest component ${s.largestComponent}\n` +
                `campaigns   ${s.campaigns} (${s.flaggedCampaigns} flagged): ${s.created} new, ${s.merged} merged, ${s.split} split, ${s.dissolved} dissolved\n` +
                `evidence    ${s.signals} members carry campaign.member; ${s.raised} flagged only through their campaign\n`,
            );
            for (const a of s.alarms) io.stdout.write(`alarm       ${a}\n`);
            io.stdout.write(`            ${(s.ms / 1000).toFixed(1)} s; see: precursor campaigns\n`);
          }
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;

interface ListFlags {
  limit?: number;
  after?: string;
  minRisk?: number;
  flagged?: boolean;
  all?: boolean;
  json?: boolean;
}

export const campaignsCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('campaigns')
      .description('list campaigns, riskiest first')
      .option('--limit <n>', 'at most n campaigns (default 50)', parseIntFlag('--limit', 1, 10_000))
      .option('--after <id>', 'the page after this campaign id')
      .option('--min-risk <n>', 'only risk >= n', parseIntFlag('--min-risk', 0, 100))
      .option('--flagged', 'only flagged campaigns')
      .option('--all', 'dissolved campaigns too')
      .option('--json', 'one JSON object per line');
    cmd.action(
      action(io, setExit, async (opts: ListFlags) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const limit = opts.limit ?? 50;
            const page = await listCampaigns(app.pipeline.store, {
              limit,
              ...(opts.after ? { after: opts.after } : {}),
              ...(opts.minRisk !== undefined ? { minRisk: opts.minRisk } : {}),
              ...(opts.flagged ? { flagged: true } : {}),
              ...(opts.all ? { state: 'all' as const } : {}),
            });
            if (opts.json) for (const c of page.items) writeJson(io, c);
            else printList(io, page.items);
            if (page.next !== null) {
              const hint = `more follow. Next page: precursor campaigns --limit ${limit} --after ${page.next}${opts.json ? ' --json' : ''}`;
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

export const campaignCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('campaign')
      .description('one campaign: members, pivots, timeline, growth, lead time and explanation')
      .argument('<id>', 'campaign id (C-…) as `precursor campaigns` lists it')
      .option(
        '--members <n>',
        'at most n members in text mode (default 30; --json has all)',
        parseIntFlag('--members', 0),
      )
      .option('--json', 'print the campaign as one JSON object');
    cmd.action(
      action(io, setExit, async (id: string, opts: { members?: number; json?: boolean }) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const c = await campaignDetail(app.pipeline.store, id);
            if (opts.json) writeJson(io, c);
            else printDetail(io, c, opts.members ?? 30);
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;

function printList(io: CliIo, items: readonly CampaignSummary[]): void {
  if (items.length === 0) {
    io.stdout.write('no campaigns (run `precursor correlate` after ingesting)\n');
    return;
  }
  io.stdout.write(
    `${'RISK'.padStart(4)}  ${'FLAG'.padEnd(4)}  ${'ID'.padEnd(16)}  ${'MEMBERS'.padStart(7)}  ${'LEAD'.padStart(7)}  NAME\n`,
  );
  for (const c of items)
    io.stdout.write(
      `${String(c.risk).padStart(4)}  ${(c.flagged ? 'yes' : '').padEnd(4)}  ${c.id.padEnd(16)}  ${String(c.memberCount).padStart(7)}  ${(c.leadTimeHours === null ? '-' : `${c.leadTimeHours.toFixed(0)}h`).padStart(7)}  ${c.name}${c.state === 'dissolved' ? ' (dissolved)' : ''}\n`,
    );
}

function printDetail(io: CliIo, c: CampaignDetail, maxMembers: number): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  w(`${c.id}  ${c.name}`);
  w(`state ${c.state}, risk ${c.risk}${c.flagged ? ', flagged' : ''}; seen ${c.firstSeen} … ${c.lastSeen}`);
  w(
    `members ${Object.entries(c.counts)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  if (c.leadTime)
    w(
      `lead time: first flagged ${c.leadTime.firstFlaggedAt ?? '-'}, live ${c.leadTime.goLiveAt ?? 'not yet seen'}${c.leadTime.hours === null ? '' : ` (${c.leadTime.hours} h)`}`,
    );
  w('');
  w(c.explanation);
  w('');
  w('pivots:');
  for (const p of c.pivots.slice(0, 10))
    w(`  ${p.strength.padEnd(6)} ${String(p.members).padStart(4)}  ${p.key}`);
  w('members:');
  const shown = maxMembers === 0 ? c.members : c.members.slice(0, maxMembers);
  for (const m of shown)
    w(
      `  ${String(Math.round(m.score)).padStart(3)} ${(m.flagged ? 'yes' : '').padEnd(3)}  ${m.key}${m.display !== m.key.slice(m.type.length + 1) ? ` (${m.display})` : ''}`,
    );
  if (shown.length < c.members.length)
    w(`  … ${c.members.length - shown.length} more (--members 0 or --json for all)`);
  w('timeline:');
  for (const e of c.timeline.slice(-15)) w(`  ${e.at}  ${e.kind.padEnd(9)} ${e.detail}`);
}
