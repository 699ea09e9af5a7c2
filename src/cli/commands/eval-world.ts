/**
 * `precursor eval world DIR [--json]`: the whole pipeline on a simulated world (`precursor simulate
 * world`), scored against its truth — per operator the coverage and purity of its best campaign, the
 * adjusted Rand index of campaigns against operators over every entity, the largest false component,
 * name recall and benign names flagged before and after correlation, honest accounts flagged. The
 * store is a fresh embedded one in a temporary directory (`--store DIR` keeps it for a look afterwards).
 * @module
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WorldEvaluation } from '../../app/world-eval.js';
import type { FlagRates } from '../../simulate/world-metrics.js';
import type { CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { withEvalApp } from '../eval-app.js';
import { action, progress, writeJson } from '../runtime.js';

interface EvalWorldFlags {
  readonly store?: string;
  readonly json?: boolean;
}

export function registerEvalWorld(ev: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = ev
    .command('world')
    .description(
      'run the pipeline on a simulated world (precursor simulate world) and score it against truth.json',
    )
    .argument('<dir>', 'the world directory')
    .option(
      '--store <dir>',
      'keep the embedded store here (default: a temporary directory, removed afterwards)',
    )
    .option('--json', 'print the report as one JSON document');
  cmd.action(
    action(io, setExit, async (dir: string, opts: EvalWorldFlags) => {
      const { evaluateWorld } = await import('../../app/world-eval.js');
      return withEvalApp(cmd, io, opts.store, async (app) => {
        const bar = progress(io);
        try {
          const report = await evaluateWorld(app, resolve(io.cwd, dir), {
            onProgress: (step) => bar.update(`eval world: ${step} …`),
          });
          bar.done();
          if (opts.json) writeJson(io, report);
          else io.stdout.write(formatWorld(report));
          return EXIT.OK;
        } finally {
          bar.done();
        }
      });
    }),
  );
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const rate = (r: FlagRates, what: string) =>
  `${pct(r.recall)} of ${r.positives} operator ${what}; ${r.falsePositives} of ${r.negatives} others (${pct(r.falsePositiveRate, 2)})`;

/**
 * The ARI's lost pairs as shares of what it compares (operator pairs + campaign pairs, halved): split
 * operators (coverage) beside merged campaigns (purity), so a miss says which way to look.
 */
function lostPairs(r: WorldEvaluation): string {
  const p = r.after.pairs;
  const scale = (p.operatorPairs + p.campaignPairs) / 2;
  const share = (x: number) => (scale === 0 ? '0.0%' : pct(x / 2 / scale));
  const split = p.split.splitApart + p.split.unclustered;
  const merged = p.merged.operatorOperator + p.merged.operatorHonest + p.merged.honestHonest;
  return [
    `split ${share(split)} (apart ${share(p.split.splitApart)}, in no campaign ${share(p.split.unclustered)}: ${p.unclusteredEntities} operator entities)`,
    `merged ${share(merged)} (two operators ${share(p.merged.operatorOperator)}, operator+honest ${share(p.merged.operatorHonest)}, honest+honest ${share(p.merged.honestHonest)})`,
  ].join('; ');
}

export function formatWorld(r: WorldEvaluation): string {
  const lines = [
    `world ${r.dir} (seed ${r.seed}, ${r.scale})`,
    '',
    'each entity alone (before correlation):',
    `  names flagged      ${rate(r.before.names, 'names')}`,
    `  accounts flagged   ${rate(r.before.accounts, 'accounts')}`,
    '',
    `after correlation (${r.after.campaigns} campaigns, ${r.after.flaggedCampaigns} flagged):`,
    `  names flagged      ${rate(r.after.names, 'names')}`,
    `  accounts flagged   ${rate(r.after.accounts, 'accounts')}`,
    `  ARI                ${r.after.adjustedRandIndex.toFixed(4)} (campaigns vs operators, honest entities as singletons)`,
    `  lost pairs         ${lostPairs(r)}`,
    `  false components   largest with no operator entity: ${r.after.falseComponents.largestFalseCampaign}; most foreign members in one campaign: ${r.after.falseComponents.mostFalseMembers}; campaigns without an operator: ${r.after.falseComponents.falseCampaigns}`,
    '  operators (best campaign):',
    ...r.after.operators.map(
      (o) =>
        `    ${o.operator.padEnd(6)} ${String(o.size).padStart(5)} entities  ${o.campaign ?? '-'}  coverage ${pct(o.coverage)}  purity ${pct(o.purity)}`,
    ),
    '',
    `seconds: ${Object.entries(r.seconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
