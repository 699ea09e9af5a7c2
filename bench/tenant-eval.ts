/**
 * Precision, recall and lead time of the tenant detectors on simulated months with ground truth
 * (`precursor simulate tenants`), with the real domain engine scoring attached domains. Prints a
 * Markdown table per seed and the totals (docs/benchmarks-tenant.md keeps the figures).
 *
 *   node --import tsx bench/tenant-eval.ts [--seeds 1,2,3] [--accounts 30000]
 */
import { parseArgs } from 'node:util';
import { createDomainEngine, defaultBrandsDir, loadBrandProfiles } from '../src/detect/domain/index.js';
import { scorerFromDomainEngine } from '../src/detect/tenant/domain-scorer.js';
import { evaluateTenantSimulation } from '../src/app/tenant-eval.js';
import { simulateTenants } from '../src/simulate/tenant-simulator.js';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1,2,3' }, accounts: { type: 'string', default: '30000' } },
});
const scoreDomain = scorerFromDomainEngine(
  createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) }),
);
let tp = 0;
let fp = 0;
let fn = 0;
let honest = 0;
const leads: number[] = [];
const fpPersona: Record<string, number> = {};
for (const seed of values.seeds.split(',')) {
  const sim = simulateTenants({ seed, honestAccounts: Number(values.accounts) });
  const e = evaluateTenantSimulation(sim.events, sim.truth, { scoreDomain, personaOf: sim.personaOf });
  tp += e.truePositives;
  fp += e.falsePositives;
  fn += e.falseNegatives;
  honest += sim.truth.honestAccounts;
  for (const [p, n] of Object.entries(e.falsePositivesByPersona)) fpPersona[p] = (fpPersona[p] ?? 0) + n;
  console.log(
    `\n### seed ${seed}: ${e.events} events (${e.rejected} malformed, ${e.duplicates} duplicates), ${e.accounts} accounts`,
  );
  console.log(
    `precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)}: ${e.truePositives} operator accounts and ${e.falsePositives} honest accounts flagged, ${e.falseNegatives} operator accounts missed\n`,
  );
  console.log('| operator | style | accounts | flagged | flagged before first deployment | lead time (h) |');
  console.log('|---|---|---|---|---|---|');
  for (const o of e.operators) {
    console.log(
      `| ${o.id} | ${o.style} | ${o.accounts} | ${o.flaggedAccounts} | ${o.flaggedBeforeLaunch} | ${o.leadHours ?? 'n/a'} |`,
    );
    if (o.leadHours !== null) leads.push(o.leadHours);
  }
  console.log(`\nhonest accounts flagged by persona: ${JSON.stringify(e.falsePositivesByPersona)}`);
}
const median = [...leads].sort((a, b) => a - b)[Math.floor(leads.length / 2)];
console.log(
  `\n### total: precision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(3)}, honest false-positive rate ${(fp / honest).toFixed(5)} (${fp}/${honest}), median lead ${median}h`,
);
console.log(`honest accounts flagged by persona: ${JSON.stringify(fpPersona)}`);
