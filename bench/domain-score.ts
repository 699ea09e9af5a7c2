/**
 * Throughput and memory of the domain engine on generated names, against eth-phishing-detect on the
 * same names. Names are generated on the fly from a seed, a batch at a time into one reused array, and
 * scored as they come, so the input is never held in memory; peak RSS therefore measures the engine, not
 * the data. Only scoring is timed (generation is reported separately).
 *
 *   node --import tsx bench/domain-score.ts [--count 1000000] [--eth-count 20000] [--seed 42]
 *                                           [--synthetic-brands 1000] [--known-labels 16384]
 *
 * `--known-labels N` sets how many labels the engine remembers (`DomainEngineOptions.knownLabels`;
 * 0 turns that off, to see the cost of scoring every label afresh).
 *
 * eth-phishing-detect compares every name with every fuzzylist entry (Levenshtein), so its cost grows
 * with the brand list. With the five Microsoft domains it scores the same `--count` names as this
 * engine, so both are timed over the same names, warm-up included: the 5-domain ratio compares like
 * with like. (Timed over only the first 20,000 names, its rate is a third lower, because its JIT
 * warm-up then weighs on fewer names; that figure is printed too, for comparison with older runs.)
 * With all brand domains it is ~200 times slower, so it runs on the first `--eth-count` names only
 * (throughput is per name, so that ratio is comparable; pass `--eth-count` equal to `--count` for a
 * full run).
 * `--synthetic-brands N` scores the same names again with N generated brand profiles added to the
 * shipped ones, to show that the cost per name does not grow with the number of brands.
 *
 * The machine this runs on is often shared, so besides wall-clock rates the bench reports rates per
 * second of CPU time of this process, which load from other processes disturbs much less.
 * @module
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { domainToASCII } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BrandProfile,
  loadBrandProfiles,
  parseBrandProfile,
} from '../src/detect/domain/brand-profiles.js';
import { createDomainEngine } from '../src/detect/domain/engine.js';
import { defaultBrandsDir } from '../src/detect/domain/package-paths.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'eth-count': { type: 'string', default: '20000' },
    seed: { type: 'string', default: '42' },
    'synthetic-brands': { type: 'string', default: '0' },
    'known-labels': { type: 'string' },
  },
});
const count = Number(values.count);
const ethCount = Math.min(count, Number(values['eth-count']));
const seed = Number(values.seed);
const syntheticBrands = Number(values['synthetic-brands']);
// How many finding-free labels the engine remembers (default: the engine's own; 0 turns it off).
const knownLabels = values['known-labels'] === undefined ? undefined : Number(values['known-labels']);
const engineOptions = knownLabels === undefined ? {} : { knownLabels };

// ---- deterministic name generator ------------------------------------------------------------------

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `alpha river stone green market city news shop cloud data north blue garden health home travel
food sport music photo media tech bright smart simple quick open solar urban coast valley forest ocean
metro prime nova pixel craft studio lab works group hub point line wave peak summit harbor bridge tower`.split(
  /\s+/,
);
const LURES =
  'login verify secure account invoice remittance voicemail payroll docs share file update billing wallet support'.split(
    ' ',
  );
const TLDS = ['com', 'net', 'org', 'io', 'co.uk', 'de', 'top', 'xyz', 'online', 'shop', 'app', 'dev', 'info'];
const CONFUSABLE: Record<string, string> = { a: 'а', e: 'е', o: 'о', i: 'і', c: 'с', p: 'р', l: 'ӏ' };

function* names(n: number, tokens: readonly string[], rnd: () => number): Generator<string> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const tld = pick(TLDS);
    if (r < 0.6) {
      // Benign-looking: one or two words, sometimes a subdomain or digits.
      const label = rnd() < 0.5 ? pick(WORDS) + pick(WORDS) : `${pick(WORDS)}-${pick(WORDS)}`;
      const sub = rnd() < 0.3 ? `${pick(['www', 'mail', 'api', 'cdn', 'shop'])}.` : '';
      yield `${sub}${label}${rnd() < 0.2 ? Math.floor(rnd() * 100) : ''}.${tld}`;
    } else if (r < 0.85) {
      // Lookalikes: a brand token with a typo, a confusable, or a combination.
      const t = pick(tokens);
      const k = Math.floor(rnd() * t.length);
      const kind = rnd();
      let label: string;
      if (kind < 0.3) label = t.slice(0, k) + t.slice(k + 1);
      else if (kind < 0.55) label = t.slice(0, k) + (CONFUSABLE[t[k] as string] ?? t[k]) + t.slice(k + 1);
      else if (kind < 0.8) label = `${t}-${pick(LURES)}`;
      else label = t.slice(0, k) + pick(['0', '1', 'rn', 'x']) + t.slice(k + 1);
      yield domainToASCII(`${label}.${tld}`) || `${label}.${tld}`;
    } else {
      // Lures without a brand: words, slugs, throwaway subdomains.
      const slug = Math.floor(rnd() * 0xfffff)
        .toString(16)
        .padStart(5, '0');
      yield `${pick(LURES)}-${pick(LURES)}-${slug}.${pick(['top', 'online', 'xyz', 'workers.dev', 'com'])}`;
    }
  }
}

// ---- synthetic brands -------------------------------------------------------------------------------

/** N brand profiles with pronounceable made-up tokens (6–11 letters), one official domain each. */
function syntheticProfiles(n: number, rnd: () => number): BrandProfile[] {
  const syllables =
    'ba be bi bo ka ke ki ko da de di do fa fe fi ga go ha he la le li lo ma me mi mo na ne ni no pa pe po ra re ri ro sa se si so ta te ti to va ve vi vo za zo xa qu tr st pl'.split(
      ' ',
    );
  const out: BrandProfile[] = [];
  const seen = new Set<string>();
  while (out.length < n) {
    let token = '';
    const parts = 3 + Math.floor(rnd() * 3);
    for (let k = 0; k < parts; k++) token += syllables[Math.floor(rnd() * syllables.length)];
    if (seen.has(token) || token.length < 6) continue;
    seen.add(token);
    const product = `${token}${['pay', 'cloud', 'bank', 'mail', 'app'][out.length % 5]}`;
    out.push(
      parseBrandProfile(
        {
          id: `synthetic-${out.length}`,
          name: `Synthetic ${token}`,
          official: [`${token}.com`],
          tokens: [token],
          products: [product],
        },
        'synthetic',
      ),
    );
  }
  return out;
}

// ---- runs -----------------------------------------------------------------------------------------

const profiles = loadBrandProfiles(defaultBrandsDir());
const tokens = profiles.flatMap((p) => [...p.tokens, ...p.products]);
const t0 = performance.now();
const engine = createDomainEngine({ profiles, ...engineOptions });
const buildMs = performance.now() - t0;

const BATCH = 4096;

interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Scores `n` names batch by batch; only the scoring is timed, by the wall clock and by CPU time. */
function run(label: string, n: number, check: (name: string) => boolean): Rate {
  const batch: string[] = [];
  const gen = names(n, tokens, mulberry32(seed));
  let flagged = 0;
  let wallMs = 0;
  let cpuUs = 0;
  for (let done = 0; done < n; ) {
    batch.length = 0;
    for (let k = 0; k < BATCH && done + k < n; k++) batch.push(gen.next().value as string);
    const w = performance.now();
    const c = process.cpuUsage();
    for (const name of batch) if (check(name)) flagged++;
    const used = process.cpuUsage(c);
    cpuUs += used.user + used.system;
    wallMs += performance.now() - w;
    done += batch.length;
  }
  const rate = { wall: n / (wallMs / 1000), cpu: n / (cpuUs / 1e6) };
  console.log(
    `${label}: ${n.toLocaleString('en')} names in ${(wallMs / 1000).toFixed(2)} s = ${fmt(rate.wall)} names/s (${fmt(rate.cpu)} names per CPU-second), ${((100 * flagged) / n).toFixed(1)}% flagged`,
  );
  return rate;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en');
const rss = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;
const [load1] = loadavg();

console.log(
  `brands: ${profiles.length} profiles, ${tokens.length} tokens; engine built in ${buildMs.toFixed(0)} ms; load average ${load1?.toFixed(2)}`,
);
// Generation alone, for reference (not included in the figures below).
{
  const start = performance.now();
  let chars = 0;
  for (const name of names(count, tokens, mulberry32(seed))) chars += name.length;
  const secs = (performance.now() - start) / 1000;
  console.log(
    `generator only: ${count.toLocaleString('en')} names (${chars.toLocaleString('en')} characters) in ${secs.toFixed(2)} s`,
  );
}
const ours = run('precursor domain engine', count, (n) => {
  const r = engine.score(n);
  return r.ok && r.flagged;
});
console.log(`peak RSS after ${count.toLocaleString('en')} names: ${rss()}`);

if (syntheticBrands > 0) {
  const synthetic = syntheticProfiles(syntheticBrands, mulberry32(seed + 1));
  const all = [...profiles, ...synthetic];
  const t1 = performance.now();
  const big = createDomainEngine({ profiles: all, ...engineOptions });
  console.log(
    `brands: ${all.length} profiles (${synthetic.length} synthetic), ${big.index.tokens.length} tokens; engine built in ${(performance.now() - t1).toFixed(0)} ms`,
  );
  const bigRate = run(`precursor domain engine, ${all.length} profiles`, count, (n) => {
    const r = big.score(n);
    return r.ok && r.flagged;
  });
  console.log(
    `cost per name at ${all.length} vs ${profiles.length} profiles: ${(ours.cpu / bigRate.cpu).toFixed(2)}x (CPU time); peak RSS ${rss()}`,
  );
}

const require = createRequire(import.meta.url);
const PhishingDetector = require('eth-phishing-detect/src/detector') as new (opts: {
  whitelist: string[];
  blacklist: string[];
  fuzzylist: string[];
  tolerance: number;
}) => { check(d: string): { result: boolean } };
const msDomains = ['microsoft.com', 'office.com', 'live.com', 'outlook.com', 'microsoftonline.com'];
const allDomains = [...new Set(profiles.flatMap((p) => p.official))];
const eth5 = new PhishingDetector({
  whitelist: msDomains,
  blacklist: [],
  fuzzylist: msDomains,
  tolerance: 2,
});
const ethAll = new PhishingDetector({
  whitelist: allDomains,
  blacklist: [],
  fuzzylist: allDomains,
  tolerance: 2,
});
// First as this bench used to time it, over the first names only, while its code is still cold (run
// first for that reason): for comparison with figures recorded that way.
const r5First = run(
  'eth-phishing-detect, 5 Microsoft domains, first names only',
  Math.min(count, 20000),
  (n) => eth5.check(n).result,
);
// Then over the same names as this engine: the figure the ratio uses.
const eth5Again = new PhishingDetector({
  whitelist: msDomains,
  blacklist: [],
  fuzzylist: msDomains,
  tolerance: 2,
});
const r5 = run('eth-phishing-detect, 5 Microsoft domains', count, (n) => eth5Again.check(n).result);
const rAll = run(
  `eth-phishing-detect, all ${allDomains.length} brand domains`,
  ethCount,
  (n) => ethAll.check(n).result,
);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
console.log(
  `ratio vs eth-phishing-detect: ${ratio(ours.wall, r5.wall)} at 5 domains, ${ratio(ours.wall, rAll.wall)} at ${allDomains.length} domains (wall clock); ${ratio(ours.cpu, r5.cpu)} and ${ratio(ours.cpu, rAll.cpu)} (CPU time); against the 5-domain rate on the first names only: ${ratio(ours.wall, r5First.wall)} (wall), ${ratio(ours.cpu, r5First.cpu)} (CPU)`,
);
