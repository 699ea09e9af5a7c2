/**
 * `precursor simulate tenants --seed S [--out DIR]`: a seeded month of one provider's tenant traffic
 * (honest accounts of many kinds and a few operators spread over two providers), written as
 * `events.jsonl` plus `truth.json` (the ground truth, kept apart). `--evaluate` also scores the
 * detectors against the truth in memory and prints precision, recall and lead times.
 *
 * `precursor simulate world --seed N --out DIR`: one world with ground truth (tenant events on two
 * providers, certstream messages, wallet transactions, kit and honest pages, `truth.json`); see
 * `docs/simulate.md`.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDomainEngine, defaultBrandsDir, loadBrandProfiles } from '../../detect/domain/index.js';
import { scorerFromDomainEngine } from '../../detect/tenant/domain-scorer.js';
import { evaluateTenantSimulation } from '../../app/tenant-eval.js';
import { generateWorld, WORLD_FILES, type WorldScale, writeWorld } from '../../simulate/index.js';
import { simulateTenants } from '../../simulate/tenant-simulator.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { InvalidArgumentError } from 'commander';
import { action, parseIntFlag, writeJson } from '../runtime.js';

export const simulateCommand = {
  register(program, io, setExit) {
    const simulate = program.command('simulate').description('generate synthetic traffic with ground truth');
    simulate
      .command('world')
      .description(
        'one world with ground truth: honest and operator tenants, certificates, transactions, pages (docs/simulate.md)',
      )
      .requiredOption('--seed <seed>', 'seed: the same seed and flags give byte-identical files')
      .requiredOption('--out <dir>', 'output directory')
      .option('--scale <scale>', 'small (a few thousand messages) or month (default)', (v: string) => {
        if (v !== 'small' && v !== 'month') throw new InvalidArgumentError('--scale must be small or month');
        return v;
      })
      .option(
        '--honest-tenants <n>',
        'honest accounts (month 20000, small 300)',
        parseIntFlag('--honest-tenants', 0),
      )
      .option('--operators <n>', 'operators (month 3, small 2)', parseIntFlag('--operators', 0))
      .option('--days <n>', 'days of traffic (month 30, small 7)', parseIntFlag('--days', 1))
      .option('--start <iso>', 'first instant (default 2026-03-01T00:00:00Z)', (v: string) => {
        if (Number.isNaN(Date.parse(v))) throw new InvalidArgumentError('--start must be an ISO-8601 time');
        return new Date(v).toISOString();
      })
      .option('--json', 'print the summary as JSON')
      .action(
        action(
          io,
          setExit,
          async (opts: {
            seed: string;
            out: string;
            scale?: WorldScale;
            honestTenants?: number;
            operators?: number;
            days?: number;
            start?: string;
            json?: boolean;
          }) => {
            const started = performance.now();
            const world = generateWorld({
              seed: opts.seed,
              ...(opts.scale ? { scale: opts.scale } : {}),
              ...(opts.honestTenants !== undefined ? { honestTenants: opts.honestTenants } : {}),
              ...(opts.operators !== undefined ? { operators: opts.operators } : {}),
              ...(opts.days !== undefined ? { days: opts.days } : {}),
              ...(opts.start ? { start: opts.start } : {}),
            });
            const dir = resolve(io.cwd, opts.out);
            writeWorld(world, dir);
            const seconds = Math.round(performance.now() - started) / 1000;
            const t = world.truth;
            if (opts.json) {
              writeJson(io, {
                dir,
                files: Object.fromEntries(Object.entries(WORLD_FILES).map(([k, f]) => [k, join(dir, f)])),
                counts: t.counts,
                operators: t.operators.map((o) => ({
                  id: o.id,
                  accounts: o.accounts.length,
                  names: o.names.length,
                  kitPages: o.kitPages.length,
                  preparedAt: o.preparedAt,
                  goLiveAt: o.goLiveAt,
                })),
                seconds,
              });
              return EXIT.OK;
            }
            const c = t.counts;
            io.stdout.write(
              `wrote world ${t.seed} (${t.scale}, ${t.days} days from ${t.start}) to ${dir} in ${seconds}s\n` +
                `  ${c.tenantEvents} tenant events (${c.honestAccounts} honest accounts, ${c.operatorAccounts} operator accounts)\n` +
                `  ${c.certstreamMessages} certstream messages, ${c.transactions} transactions, ${c.names} names, ${c.pages} page hosts\n`,
            );
            for (const o of t.operators)
              io.stdout.write(
                `  ${o.id}: ${o.accounts.length} accounts, ${o.names.length} names, ${o.kitPages.length} kit pages; prepared ${o.preparedAt}, live ${o.goLiveAt}\n`,
              );
            return EXIT.OK;
          },
        ),
      );
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
