/**
 * `precursor cases | case | claim | release | reopen | decide`: the review queue on the command line,
 * each a thin call of the review service (the API calls the same one).
 * @module
 */
import { userInfo } from 'node:os';
import { Option } from 'commander';
import { reviewServiceFor } from '../../app/review-service-for.js';
import {
  CASE_STATES,
  type CaseState,
  DECISIONS,
  type Decision,
  TLP_LEVELS,
  type Tlp,
} from '../../domain/index.js';
import type { CaseDetailView, CaseListItem } from '../../review/case-views.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp, writeJson } from '../runtime.js';

/** Who acts from this terminal: `cli:<user>`. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  if (env.PRECURSOR_ACTOR) return env.PRECURSOR_ACTOR;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const PRIORITY = ['', 'P1', 'P2', 'P3', 'P4'];

function line(c: CaseListItem): string {
  return [
    c.id,
    (PRIORITY[c.priority] ?? `P${c.priority}`).padEnd(3),
    c.state.padEnd(19),
    c.outcome.padEnd(15),
    c.queue.padEnd(10),
    `due ${c.dueAt.slice(0, 16).replace('T', ' ')}`,
    c.assignee ?? '-',
    `${c.memberCount} member${c.memberCount === 1 ? '' : 's'}`,
    c.summary,
  ].join('  ');
}

function printDetail(io: CliIo, c: CaseDetailView): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  w(`${c.id}  ${c.subject}  ${c.state}  P${c.priority} ${c.queue}  score ${c.score}`);
  w(`  ${c.summary}`);
  w(`  opened ${c.openedAt}  due ${c.dueAt}  assignee ${c.assignee ?? '-'}  outcome ${c.outcome}`);
  if (c.state === 'superseded')
    w(`  superseded by ${c.supersededBy ?? 'no case (its subject is gone and no case holds its members)'}`);
  if (c.supersedes.length > 0) w(`  supersedes ${c.supersedes.join(', ')}`);
  if (c.decision)
    w(
      `  decision: ${c.decision.as} by ${c.decision.actor} at ${c.decision.at} (TLP:${c.decision.tlp.toUpperCase()}) — ${c.decision.note}`,
    );
  w(`members (${c.memberCount}):`);
  for (const m of c.members.slice(0, 200)) {
    w(`  ${m.key}  ${m.display}  ${m.score}${m.flagged ? ' flagged' : ''}`);
    for (const s of m.signals.slice(0, 8)) w(`      ${String(s.weight).padStart(4)}  ${s.id}  ${s.detail}`);
  }
  if (c.members.length > 200) w(`  … ${c.members.length - 200} more (--json lists all)`);
  w('rules:');
  for (const r of c.rules) w(`  ${r.matched ? '✓' : '·'} ${r.id} → ${r.outcome}`);
  if (c.actions.length > 0) {
    w('actions:');
    for (const a of c.actions) w(`  ${a.id}  ${a.kind} → ${a.target}  ${a.status} (${a.attempts} attempts)`);
  }
  w('history:');
  for (const h of c.history)
    w(
      `  ${h.at}  ${h.actor}  ${h.kind}${h.from || h.to ? ` ${h.from ?? '∅'} → ${h.to ?? '∅'}` : ''}${h.note ? ` — ${h.note}` : ''}`,
    );
}

export const casesCommand = {
  register(program, io, setExit) {
    const list = program
      .command('cases')
      .description('list review cases, most urgent first')
      .addOption(new Option('--state <state>', 'only cases in this state').choices(CASE_STATES))
      .option('--queue <name>', 'only cases of this queue')
      .option(
        '--include-superseded',
        'list superseded cases too (hidden by default: another case holds their subject)',
      )
      .option('--limit <n>', 'at most n cases (default 100; 0 lists all)', parseIntFlag('--limit', 0))
      .option('--after <id>', 'the page after this case id')
      .option('--json', 'one JSON object per line');
    list.action(
      action(
        io,
        setExit,
        async (opts: {
          state?: CaseState;
          queue?: string;
          includeSuperseded?: boolean;
          limit?: number;
          after?: string;
          json?: boolean;
        }) =>
          withApp(
            list,
            io,
            async (app) => {
              const svc = reviewServiceFor(app.pipeline.store, app.config);
              const want = opts.limit ?? 100;
              let after = opts.after;
              let shown = 0;
              for (;;) {
                const page = Math.min(1000, want === 0 ? 1000 : want - shown);
                const r = await svc.list({
                  state: opts.state,
                  queue: opts.queue,
                  includeSuperseded: opts.includeSuperseded,
                  limit: page,
                  after,
                });
                for (const c of r.items) {
                  if (opts.json) writeJson(io, c);
                  else io.stdout.write(`${line(c)}\n`);
                }
                shown += r.items.length;
                if (r.next === null) break;
                if (want !== 0 && shown >= want) {
                  const hint = `showing ${shown} cases; more follow. Next page: precursor cases --after ${r.next}`;
                  if (opts.json) io.stderr.write(`precursor: notice: ${hint}\n`);
                  else io.stdout.write(`-- ${hint}\n`);
                  break;
                }
                after = r.next;
              }
              return EXIT.OK;
            },
            { readOnly: true },
          ),
      ),
    );

    const show = program
      .command('case')
      .description('one case: members with their signals, rules, evidence, actions, history, decision')
      .argument('<id>', 'case id (K-…)')
      .option('--json', 'the case as one JSON object');
    show.action(
      action(io, setExit, async (id: string, opts: { json?: boolean }) =>
        withApp(
          show,
          io,
          async (app) => {
            const c = await reviewServiceFor(app.pipeline.store, app.config).get(id);
            if (opts.json) writeJson(io, c);
            else printDetail(io, c);
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );

    const simple = (name: 'claim' | 'release', description: string) => {
      const cmd = program
        .command(name)
        .description(description)
        .argument('<id>', 'case id (K-…)')
        .option('--json', 'the case after the change as JSON');
      cmd.action(
        action(io, setExit, async (id: string, opts: { json?: boolean }) =>
          withApp(cmd, io, async (app) => {
            const svc = reviewServiceFor(app.pipeline.store, app.config);
            const c = await svc[name](id, cliActor(io.env));
            if (opts.json) writeJson(io, c);
            else io.stdout.write(`${c.id} ${c.state}${c.assignee ? ` (${c.assignee})` : ''}\n`);
            return EXIT.OK;
          }),
        ),
      );
    };
    simple('claim', 'take a case for review (open or escalated → in-review)');
    simple('release', 'give a claimed case back to the queue (in-review → open)');

    const reopen = program
      .command('reopen')
      .description('take back a decision: the case returns to the queue, the next decision reverses it')
      .argument('<id>', 'case id (K-…)')
      .requiredOption('--note <text>', 'why')
      .option('--json', 'the case after the change as JSON');
    reopen.action(
      action(io, setExit, async (id: string, opts: { note: string; json?: boolean }) =>
        withApp(reopen, io, async (app) => {
          const c = await reviewServiceFor(app.pipeline.store, app.config).reopen(
            id,
            cliActor(io.env),
            opts.note,
          );
          if (opts.json) writeJson(io, c);
          else io.stdout.write(`${c.id} ${c.state}\n`);
          return EXIT.OK;
        }),
      ),
    );

    const decide = program
      .command('decide')
      .description(
        'decide a claimed case; writes the decision, its audit entry, its actions and the feedback at once',
      )
      .argument('<id>', 'case id (K-…)')
      .addOption(new Option('--as <decision>', 'the verdict').choices(DECISIONS).makeOptionMandatory())
      .requiredOption('--note <text>', 'why (kept in the history and the audit log)')
      .addOption(
        new Option(
          '--tlp <level>',
          'TLP of what a malicious decision publishes (default: share.defaultTlp)',
        ).choices(TLP_LEVELS),
      )
      .option('--json', '{case, actions, feedback, audit} as JSON');
    decide.action(
      action(
        io,
        setExit,
        async (id: string, opts: { as: Decision; note: string; tlp?: Tlp; json?: boolean }) =>
          withApp(decide, io, async (app) => {
            const r = await reviewServiceFor(app.pipeline.store, app.config).decide(
              id,
              { as: opts.as, note: opts.note, tlp: opts.tlp },
              cliActor(io.env),
            );
            if (opts.json) writeJson(io, r);
            else
              io.stdout.write(
                `${r.case.id} ${r.case.state}; ${r.actions.length} action${r.actions.length === 1 ? '' : 's'} queued; audit #${r.audit.seq}\n`,
              );
            return EXIT.OK;
          }),
      ),
    );
  },
} satisfies CliCommand;
