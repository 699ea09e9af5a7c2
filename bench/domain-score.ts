/**
 * Throughput and memory of the domain engine on generated names, against eth-phishing-detect on the
 * same names. Names are generated on the fly from a seed and scored as they come, so the input is never
 * held in memory; peak RSS therefore measures the engine, not the data.
 *
 *   node --import tsx bench/domain-score.ts [--count 1000000] [--eth-count 100000] [--seed 42]
 *
 * eth-phishing-detect compares every name with every fuzzylist entry (Levenshtein), so its cost grows
 * with the brand list; it runs on the first `--eth-count` names of the same sequence (throughput is per
 * name, so the ratio is comparable; pass `--eth-count` equal to `--count` for the full run).
 * @module
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBrandProfiles } from '../src/detect/domain/brand-profiles.js';
import { createDomainEngine } from '../src/detect/domain/engine.js';
import { defaultBrandsDir } from '../src/detect/domain/package-paths.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'eth-count': { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
  },
});
const count = Number(values.count);
const ethCount = Math.min(count, Number(values['eth-count']));
const seed = Number(values.seed);

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

// ---- runs -----------------------------------------------------------------------------------------

const profiles = loadBrandProfiles(defaultBrandsDir());
const tokens = profiles.flatMap((p) => [...p.tokens, ...p.products]);
const t0 = performance.now();
const engine = createDomainEngine({ profiles });
const buildMs = performance.now() - t0;

function run(label: string, n: number, check: (name: string) => boolean): number {
  let flagged = 0;
  const start = performance.now();
  for (const name of names(n, tokens, mulberry32(seed))) if (check(name)) flagged++;
  const secs = (performance.now() - start) / 1000;
  const rate = n / secs;
  console.log(
    `${label}: ${n.toLocaleString('en')} names in ${secs.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} names/s, ${((100 * flagged) / n).toFixed(1)}% flagged`,
  );
  return rate;
}

console.log(
  `brands: ${profiles.length} profiles, ${tokens.length} tokens; engine built in ${buildMs.toFixed(0)} ms`,
);
// Generation alone, so its cost can be subtracted mentally from the figures below.
run('generator only', count, () => false);
const ours = run('precursor domain engine', count, (n) => {
  const r = engine.score(n);
  return r.ok && r.flagged;
});
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

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
const r5 = run('eth-phishing-detect, 5 Microsoft domains', ethCount, (n) => eth5.check(n).result);
const rAll = run(
  `eth-phishing-detect, all ${allDomains.length} brand domains`,
  ethCount,
  (n) => ethAll.check(n).result,
);
console.log(
  `ratio vs eth-phishing-detect: ${(ours / r5).toFixed(1)}x at 5 domains, ${(ours / rAll).toFixed(1)}x at ${allDomains.length} domains`,
);
