/**
 * Recall of the domain engine on dnstwist's permutations of five Microsoft domains (per fuzzer, ASCII
 * vs IDN) and its false-positive rate on the Tranco top 50k, with the remaining false positives listed.
 *
 *   node --import tsx bench/domain-recall.ts [--brands DIR] [--misses N] [--false-flags N]
 *
 * `--false-flags 0` prints the Tranco count without the names: the list spans all 50k, held-out parts
 * included (`bench/corpora/names/tranco.final2.txt`), whose false flags nobody may read before a round's
 * last measurement.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBrandProfiles } from '../src/detect/domain/brand-profiles.js';
import { createDomainEngine } from '../src/detect/domain/engine.js';
import { defaultBrandsDir, packageRoot } from '../src/detect/domain/package-paths.js';

const { values } = parseArgs({
  options: {
    brands: { type: 'string' },
    misses: { type: 'string', default: '20' },
    'false-flags': { type: 'string' },
  },
});
const fixtures = join(packageRoot(), 'test', 'fixtures', 'domain');
const engine = createDomainEngine({ profiles: loadBrandProfiles(values.brands ?? defaultBrandsDir()) });
const missLimit = Number(values.misses);

interface Tally {
  total: number;
  flagged: number;
  misses: string[];
}
const tally = (m: Map<string, Tally>, key: string, name: string, flagged: boolean): void => {
  const t = m.get(key) ?? { total: 0, flagged: 0, misses: [] };
  t.total++;
  if (flagged) t.flagged++;
  else t.misses.push(name);
  m.set(key, t);
};

const byFuzzer = new Map<string, Tally>();
const byScript = new Map<string, Tally>();
const owned: string[] = [];
const errors: string[] = [];
const dir = join(fixtures, 'permutations');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
  const original = file.replace(/\.txt$/, '');
  const fuzzerOf = new Map<string, string>();
  for (const line of readFileSync(join(dir, `${original}.fuzzer.csv`), 'utf8')
    .split('\n')
    .slice(1)) {
    const [fuzzer, domain] = line.trim().split(',');
    if (fuzzer && domain) fuzzerOf.set(domain, fuzzer);
  }
  const originalLabel = original.split('.')[0] as string;
  for (const name of readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())) {
    if (name === '' || name === original) continue;
    const fuzzer = fuzzerOf.get(name) ?? (name.split('.')[0] === originalLabel ? 'tld-swap' : 'dictionary');
    const r = engine.score(name);
    if (!r.ok) {
      errors.push(`${name}: ${r.reason}`);
      continue;
    }
    if (r.signals.some((s) => s.id === 'domain.brand-owned')) {
      owned.push(name);
      continue;
    }
    tally(byFuzzer, fuzzer, name, r.flagged);
    tally(byScript, name.includes('xn--') ? 'IDN' : 'ASCII', name, r.flagged);
  }
}

const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)}%`);
const print = (title: string, m: Map<string, Tally>): void => {
  console.log(`\n${title}`);
  console.log('| group | names | flagged | recall |');
  console.log('|---|---:|---:|---:|');
  let total = 0;
  let flagged = 0;
  for (const [k, t] of [...m].sort()) {
    console.log(`| ${k} | ${t.total} | ${t.flagged} | ${pct(t.flagged, t.total)} |`);
    total += t.total;
    flagged += t.flagged;
  }
  console.log(`| **all** | ${total} | ${flagged} | **${pct(flagged, total)}** |`);
};
print('Recall per fuzzer (dnstwist permutations of 5 Microsoft domains)', byFuzzer);
print('Recall by script', byScript);
console.log(`\nOwned by the brand (allow-listed, not flagged): ${owned.length}: ${owned.join(', ')}`);
if (errors.length) console.log(`Rejected as invalid: ${errors.length}: ${errors.slice(0, 10).join('; ')}`);
for (const [k, t] of [...byFuzzer].sort()) {
  if (t.misses.length > 0 && missLimit > 0)
    console.log(`  misses ${k}: ${t.misses.slice(0, missLimit).join(' ')}`);
}

const tranco = readFileSync(join(fixtures, 'tranco-top-50k.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const fps: string[] = [];
let scored = 0;
for (const name of tranco) {
  const r = engine.score(name);
  if (!r.ok) continue;
  scored++;
  if (r.flagged)
    fps.push(
      `${name} (${r.score}, ${r.brand?.id ?? '-'}: ${r.signals.map((s) => `${s.id} ${s.weight}`).join(', ')})`,
    );
}
console.log(`\nTranco top 50k: ${fps.length} of ${scored} flagged = ${pct(fps.length, scored)}`);
// The shipped popularity list is this Tranco list, so the figure above measures the prior on its own
// list; without the prior it measures the rest of the engine, as before the prior existed.
const noPrior = createDomainEngine({
  profiles: loadBrandProfiles(values.brands ?? defaultBrandsDir()),
  config: { weights: { popular: { top1k: 0, top10k: 0, listed: 0 } } },
});
let flaggedNoPrior = 0;
for (const name of tranco) {
  const r = noPrior.score(name);
  if (r.ok && r.flagged) flaggedNoPrior++;
}
console.log(
  `Tranco top 50k without the popularity prior (whose list it is): ${flaggedNoPrior} flagged = ${pct(flaggedNoPrior, scored)}`,
);
const fpLimit = values['false-flags'] === undefined ? fps.length : Number(values['false-flags']);
for (const fp of fps.slice(0, fpLimit)) console.log(`  FP ${fp}`);
