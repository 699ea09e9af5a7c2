/**
 * `precursor policy show | test FILE | apply FILE`: the review policy — what is live, what a candidate
 * would do over the stored history (nothing changes), and making it live (recorded and audited).
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyPolicy, describeLivePolicy, dryRunPolicy, type DryRun } from '../../review/policy-admin.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, untilInterrupted, withApp, writeJson } from '../runtime.js';
import { cliActor } from './cases.js';

function printDryRun(io: CliIo, r: DryRun): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  w(
    `policy ${r.policy.name} (${r.policy.revision}, ${r.policy.hash.slice(0, 12)}) over ${r.subjects} subjects`,
  );
  const o = r.outcomes;
  w(
    `  outcomes: allow ${o.allow}, open-case ${o['open-case']}, hold-and-review ${o['hold-and-review']}, block ${o.block}, suppressed ${o.suppressed}`,
  );
  w(`  notifications: ${r.notifications}`);
  for (const [q, byPriority] of Object.entries(r.cases))
    w(
      `  queue ${q}: ${Object.entries(byPriority)
        .map(([p, n]) => `${n} ${p}`)
        .join(', ')}`,
    );
  w(
    `  versus live ${r.live.name} (${r.live.revision}): +${r.versusLive.gained} cases, -${r.versusLive.lost} cases`,
  );
  for (const s of r.versusLive.gainedSubjects) w(`    + ${s}`);
  for (const s of r.versusLive.lostSubjects) w(`    - ${s}`);
  w('  rules (hits / decisive / failures):');
  for (const [id, st] of Object.entries(r.rules))
    w(`    ${id}: ${st.hits} / ${st.decisive} / ${st.failures}`);
  w(`  contradicts ${r.contradictions.length} past decision${r.contradictions.length === 1 ? '' : 's'}`);
  for (const c of r.contradictions.slice(0, 20))
    w(`    ${c.subject}: decided ${c.decided}, would be ${c.outcome}${c.rule ? ` (${c.rule})` : ''}`);
}

export const policyCommand = {
  register(program, io, setExit) {
    const policy = program.command('policy').description('the review policy: show, dry-run, apply');
    const show = policy
      .command('show')
      .description('the live policy and where it comes from')
      .option('--json', 'as JSON');
    show.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(
          show,
          io,
          async (app) => {
            const d = await describeLivePolicy(app.pipeline.store, app.config.review.policy);
            if (opts.json) writeJson(io, d);
            else {
              io.stdout.write(`policy ${d.name} (${d.revision}) ${d.hash} from ${d.source}\n`);
              for (const r of d.rules)
                io.stdout.write(
                  `  ${r.enabled ? ' ' : '#'} ${r.id} → ${r.outcome}${r.priority ? ` ${r.priority}/${r.queue}` : ''}\n`,
                );
            }
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
    const test = policy
      .command('test')
      .description(
        'dry run: what the policy in FILE would do over the stored campaigns and flagged entities (changes nothing)',
      )
      .argument('<file>', 'policy file (YAML, docs/policy.md)')
      .option('--json', 'the summary as JSON');
    test.action(
      action(io, setExit, async (file: string, opts: { json?: boolean }) =>
        withApp(
          test,
          io,
          async (app) => {
            const path = resolve(io.cwd, file);
            const text = readFileSync(path, 'utf8');
            const r = await untilInterrupted((signal) =>
              dryRunPolicy(app.pipeline.store, text, path, {
                configuredFile: app.config.review.policy,
                webhooks: Object.keys(app.config.webhooks),
                signal,
              }),
            );
            if (opts.json) writeJson(io, r);
            else printDryRun(io, r);
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
    const apply = policy
      .command('apply')
      .description('make the policy in FILE live (validated, recorded in the store, audited)')
      .argument('<file>', 'policy file (YAML)')
      .option('--json', 'the applied policy and its audit entry as JSON');
    apply.action(
      action(io, setExit, async (file: string, opts: { json?: boolean }) =>
        withApp(apply, io, async (app) => {
          const path = resolve(io.cwd, file);
          const r = await applyPolicy(
            app.pipeline.store,
            readFileSync(path, 'utf8'),
            path,
            cliActor(io.env),
            {
              configuredFile: app.config.review.policy,
              webhooks: Object.keys(app.config.webhooks),
            },
          );
          if (opts.json) writeJson(io, r);
          else io.stdout.write(`applied policy ${r.name} (${r.revision}) ${r.hash}; audit #${r.audit.seq}\n`);
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
