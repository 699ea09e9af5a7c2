/**
 * `precursor simulate tenants --seed S [--out DIR]`: a seeded month of one provider's tenant traffic
 * (honest accounts of many kinds and a few operators spread over two providers), written as
 * `events.jsonl` plus `truth.json` (the ground truth, kept apart). `--evaluate` also scores the
 * detectors against the truth in memory and prints precision, recall and lead times.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDomainEngine, defaultBrandsDir, loadBrandProfiles } from '../../detect/domain/index.js';
import { scorerFromDomainEngine } from '../../detect/tenant/domain-scorer.js';
import { evaluateTenantSimulation } from '../../app/tenant-eval.js';
import { simulateTenants } from '../../detect/tenant/simulate/tenant-simulator.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, writeJson } from '../runtime.js';

export const simulateCommand = {
  register(program, io, setExit) {
    const simulate = program.command('simulate').description('generate synthetic traffic with ground truth');
    const cmd = simulate
      .command('tenants')
      .description(
        'a month of cloud-tenant events: honest accounts and phishing operators across two providers',
      )
      .requiredOption('--seed <seed>', 'seed: the same seed gives the same events, byte for byte')
      .option('--out <dir>', 'output directory (default: ./tenant-sim-<seed>)')
      .option('--accounts <n>', 'honest accounts (default 30000)', parseIntFlag('--accounts', 1))
      .option('--operators <n>', 'operators (default 4)', parseIntFlag('--operators', 0))
      .option('--days <n>', 'days of traffic (default 30)', parseIntFlag('--days', 1))
      .option('--start <iso>', 'first day (default 2026-03-01)')
      .option('--evaluate', 'also score the detectors against the truth and print the figures')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(
        io,
        setExit,
        async (opts: {
          seed: string;
          out?: string;
          accounts?: number;
          operators?: number;
          days?: number;
          start?: string;
          evaluate?: boolean;
          json?: boolean;
        }) => {
          const sim = simulateTenants({
            seed: opts.seed,
            ...(opts.accounts !== undefined ? { honestAccounts: opts.accounts } : {}),
            ...(opts.operators !== undefined ? { operators: opts.operators } : {}),
            ...(opts.days !== undefined ? { days: opts.days } : {}),
            ...(opts.start ? { start: new Date(opts.start).toISOString() } : {}),
          });
          const dir = resolve(io.cwd, opts.out ?? `tenant-sim-${opts.seed}`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(
            join(dir, 'events.jsonl'),
            `${sim.events.map((e) => JSON.stringify(e)).join('\n')}\n`,
          );
          writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(sim.truth, null, 2)}\n`);
          const evaluation = opts.evaluate
            ? evaluateTenantSimulation(sim.events, sim.truth, {
                scoreDomain: scorerFromDomainEngine(
                  createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) }),
                ),
                personaOf: sim.personaOf,
              })
            : undefined;
          if (opts.json) {
            writeJson(io, {
              dir,
              events: sim.truth.events,
              truth: join(dir, 'truth.json'),
              evaluation: evaluation ?? null,
            });
            return EXIT.OK;
          }
          io.stdout.write(
            `wrote ${sim.truth.events} events to ${join(dir, 'events.jsonl')} and the ground truth to ${join(dir, 'truth.json')}\n`,
          );
          io.stdout.write(
            `honest accounts ${sim.truth.honestAccounts}; operators ${sim.truth.operators.length} (${sim.truth.operators.reduce((n, o) => n + o.accounts.length, 0)} accounts)\n`,
          );
          if (evaluation) {
            io.stdout.write(
              `precision ${evaluation.precision.toFixed(3)}  recall ${evaluation.recall.toFixed(3)}  (flagged ${evaluation.flagged}: ${evaluation.truePositives} operator, ${evaluation.falsePositives} honest)\n`,
            );
            for (const o of evaluation.operators) {
              io.stdout.write(
                `  ${o.id} ${o.style}: ${o.flaggedAccounts}/${o.accounts} flagged, ${o.flaggedBeforeLaunch} before launch, lead ${o.leadHours === null ? 'n/a' : `${o.leadHours}h`}\n`,
              );
            }
          }
          return EXIT.OK;
        },
      ),
    );
  },
} satisfies CliCommand;
