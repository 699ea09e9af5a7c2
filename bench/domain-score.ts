/**
 * Throughput and memory of the domain engine on generated names, against eth-phishing-detect on the
 * same names. Names are generated on the fly from a seed, a batch at a time into one reused array, and
 * scored as they come, so the input is never held in memory; peak RSS therefore measures the engine, not
 * the data. Only scoring is timed (generation is reported separately).
 *
 *   node --import tsx bench/domain-score.ts [--count 1000000] [--eth-count 20000] [--seed 42]
 *                                           [--mix both|lookalike|ct] [--suspicious 0.02]
 *                                           [--synthetic-brands 1000] [--known-labels 16384]
 *
 * Two mixes (`--mix`, both by default, each with a fresh engine): the look-alike-heavy one (40% of names
 * suspicious, most labels new: the hard case) and a certificate-transparency one (SAN sets as
 * certificates carry them, each certificate logged twice, `--suspicious` of them for a look-alike or a
 * lure: what a CT feed looks like). See `lookalikeMix` and `ctMix`.
 *
 * `--known-labels N` sets how many labels the engine remembers (`DomainEngineOptions.knownLabels`;
 * 0 turns that off, to see the cost of scoring every label afresh).
 *
 * eth-phishing-detect compares every name with every fuzzylist entry (Levenshtein), so its cost grows
 * with the brand list. With the five Microsoft domains it scores the same `--count` names as this
 * engine, so both are timed over the same names, warm-up included: the 5-domain ratio compares like
 * with like. With all brand domains it is ~200 times slower, so it runs on the first `--eth-count`
 * names only (throughput is per name, so that ratio is comparable; pass `--eth-count` equal to
 * `--count` for a full run).
 * `--synthetic-brands N` scores the first mix again with N generated brand profiles added to the
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
    mix: { type: 'string', default: 'both' },
    suspicious: { type: 'string', default: '0.02' },
  },
});
const count = Number(values.count);
const ethCount = Math.min(count, Number(values['eth-count']));
const seed = Number(values.seed);
const syntheticBrands = Number(values['synthetic-brands']);
// Share of certificates in the CT mix that are for a look-alike or a lure.
const suspicious = Number(values.suspicious);
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

const pickWith = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/** A benign-looking registrable label: one or two words, sometimes digits. */
function benignLabel(rnd: () => number): string {
  const label =
    rnd() < 0.5
      ? pickWith(rnd, WORDS) + pickWith(rnd, WORDS)
      : `${pickWith(rnd, WORDS)}-${pickWith(rnd, WORDS)}`;
  return `${label}${rnd() < 0.2 ? Math.floor(rnd() * 100) : ''}`;
}

/** A look-alike of a brand token: a typo, a confusable, a combination, an ASCII look-alike. */
function lookalikeName(tokens: readonly string[], tld: string, rnd: () => number): string {
  const t = pickWith(rnd, tokens);
  const k = Math.floor(rnd() * t.length);
  const kind = rnd();
  let label: string;
  if (kind < 0.3) label = t.slice(0, k) + t.slice(k + 1);
  else if (kind < 0.55) label = t.slice(0, k) + (CONFUSABLE[t[k] as string] ?? t[k]) + t.slice(k + 1);
  else if (kind < 0.8) label = `${t}-${pickWith(rnd, LURES)}`;
  else label = t.slice(0, k) + pickWith(rnd, ['0', '1', 'rn', 'x']) + t.slice(k + 1);
  return domainToASCII(`${label}.${tld}`) || `${label}.${tld}`;
}

/** A lure without a brand: words and a hex slug, sometimes on a shared platform. */
function lureName(rnd: () => number): string {
  const slug = Math.floor(rnd() * 0xfffff)
    .toString(16)
    .padStart(5, '0');
  return `${pickWith(rnd, LURES)}-${pickWith(rnd, LURES)}-${slug}.${pickWith(rnd, ['top', 'online', 'xyz', 'workers.dev', 'com'])}`;
}

/**
 * The look-alike-heavy mix: 60% benign-looking names (30% of them with a subdomain), 25% brand
 * look-alikes, 15% brandless lures. Every fresh suspicious label costs the engine its full analysis,
 * so this is the hard case for it; no real feed is 40% suspicious.
 */
function* lookalikeMix(n: number, tokens: readonly string[], rnd: () => number): Generator<string> {
  const pick = <T>(xs: readonly T[]): T => pickWith(rnd, xs);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const tld = pick(TLDS);
    if (r < 0.6) {
      // Written out (not `benignLabel`) to keep the draws, and so the names, of earlier runs.
      const label = rnd() < 0.5 ? pick(WORDS) + pick(WORDS) : `${pick(WORDS)}-${pick(WORDS)}`;
      const sub = rnd() < 0.3 ? `${pick(['www', 'mail', 'api', 'cdn', 'shop'])}.` : '';
      yield `${sub}${label}${rnd() < 0.2 ? Math.floor(rnd() * 100) : ''}.${tld}`;
    } else if (r < 0.85) yield lookalikeName(tokens, tld, rnd);
    else yield lureName(rnd);
  }
}

// Names a cPanel AutoSSL certificate covers, and common single hosts.
const AUTOSSL = [
  '',
  'www.',
  'mail.',
  'webmail.',
  'cpanel.',
  'webdisk.',
  'cpcalendars.',
  'cpcontacts.',
  'autodiscover.',
];
const HOSTS = [
  'api',
  'app',
  'cdn',
  'dev',
  'staging',
  'shop',
  'blog',
  'portal',
  'vpn',
  'git',
  'status',
  'smtp',
  'static',
  'admin',
];
const CT_TLDS = ['com', 'com', 'com', 'com', ...TLDS];

/**
 * The certificate-transparency mix: names as a CT log carries them, a certificate at a time, each
 * logged twice (precertificate, then certificate), with the SAN sets certificates really have: the
 * name and `www.` (35%), a cPanel AutoSSL set of nine (20%), one host (20%), a wildcard and the name
 * (15%), a machine-named host (10%). `suspicious` of the certificates are for a look-alike or a lure.
 */
function* ctMix(
  n: number,
  tokens: readonly string[],
  rnd: () => number,
  suspicious: number,
): Generator<string> {
  const pick = <T>(xs: readonly T[]): T => pickWith(rnd, xs);
  const sans: string[] = [];
  for (let i = 0; i < n; ) {
    const r = rnd();
    const registrable =
      r < suspicious / 2
        ? lookalikeName(tokens, pick(TLDS), rnd)
        : r < suspicious
          ? lureName(rnd)
          : `${benignLabel(rnd)}.${pick(CT_TLDS)}`;
    const shape = rnd();
    sans.length = 0;
    if (shape < 0.35) sans.push(registrable, `www.${registrable}`);
    else if (shape < 0.55) for (const p of AUTOSSL) sans.push(p + registrable);
    else if (shape < 0.75) sans.push(`${pick(HOSTS)}.${registrable}`);
    else if (shape < 0.9) sans.push(`*.${registrable}`, registrable);
    else sans.push(`${Math.floor(rnd() * 0xffffffff).toString(16)}.${pick(HOSTS)}.${registrable}`);
    for (let copy = 0; copy < 2; copy++)
      for (const name of sans) {
        if (i++ >= n) return;
        yield name;
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
const firstEngine = createDomainEngine({ profiles, ...engineOptions });
const buildMs = performance.now() - t0;

const BATCH = 4096;

interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

interface Mix {
  readonly name: string;
  names(n: number): Generator<string>;
}

const MIXES: Record<string, Mix> = {
  lookalike: {
    name: 'look-alike-heavy mix (40% suspicious)',
    names: (n) => lookalikeMix(n, tokens, mulberry32(seed)),
  },
  ct: {
    name: `certificate-transparency mix (${(100 * suspicious).toFixed(1)}% of certificates suspicious)`,
    names: (n) => ctMix(n, tokens, mulberry32(seed), suspicious),
  },
};

/** Scores `n` names batch by batch; only the scoring is timed, by the wall clock and by CPU time. */
function run(label: string, mix: Mix, n: number, check: (name: string) => boolean): Rate {
  const batch: string[] = [];
  const gen = mix.names(n);
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
    `  ${label}: ${n.toLocaleString('en')} names in ${(wallMs / 1000).toFixed(2)} s = ${fmt(rate.wall)} names/s (${fmt(rate.cpu)} names per CPU-second), ${((100 * flagged) / n).toFixed(1)}% flagged`,
  );
  return rate;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en');
const rss = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
const [load1] = loadavg();

const require = createRequire(import.meta.url);
const PhishingDetector = require('eth-phishing-detect/src/detector') as new (opts: {
  whitelist: string[];
  blacklist: string[];
  fuzzylist: string[];
  tolerance: number;
}) => { check(d: string): { result: boolean } };
const msDomains = ['microsoft.com', 'office.com', 'live.com', 'outlook.com', 'microsoftonline.com'];
const allDomains = [...new Set(profiles.flatMap((p) => p.official))];
// A detector whose whitelist and fuzzylist are `domains`, as its documentation configures it.
const ethDetector = (domains: string[]) =>
  new PhishingDetector({ whitelist: domains, blacklist: [], fuzzylist: domains, tolerance: 2 });

console.log(
  `brands: ${profiles.length} profiles, ${tokens.length} tokens; engine built in ${buildMs.toFixed(0)} ms; load average ${load1?.toFixed(2)}`,
);
const mixNames = values.mix === 'both' ? ['lookalike', 'ct'] : [values.mix as string];
for (const [m, key] of mixNames.entries()) {
  const mix = MIXES[key];
  if (mix === undefined) throw new Error(`--mix: expected lookalike, ct or both, not ${key}`);
  console.log(`\n${mix.name}`);
  // Generation alone, for reference (not included in the figures below).
  const start = performance.now();
  let chars = 0;
  for (const name of mix.names(count)) chars += name.length;
  console.log(
    `  generator only: ${count.toLocaleString('en')} names (${chars.toLocaleString('en')} characters, ${(chars / count).toFixed(1)} per name) in ${((performance.now() - start) / 1000).toFixed(2)} s`,
  );
  // A fresh engine per mix, so that one mix's remembered labels do not serve the other.
  const engine = m === 0 ? firstEngine : createDomainEngine({ profiles, ...engineOptions });
  const ours = run('precursor domain engine', mix, count, (n) => {
    const r = engine.score(n);
    return r.ok && r.flagged;
  });
  console.log(`  peak RSS after ${count.toLocaleString('en')} names: ${rss()}`);

  if (syntheticBrands > 0 && m === 0) {
    const synthetic = syntheticProfiles(syntheticBrands, mulberry32(seed + 1));
    const all = [...profiles, ...synthetic];
    const t1 = performance.now();
    const big = createDomainEngine({ profiles: all, ...engineOptions });
    console.log(
      `  brands: ${all.length} profiles (${synthetic.length} synthetic), ${big.index.tokens.length} tokens; engine built in ${(performance.now() - t1).toFixed(0)} ms`,
    );
    const bigRate = run(`precursor domain engine, ${all.length} profiles`, mix, count, (n) => {
      const r = big.score(n);
      return r.ok && r.flagged;
    });
    console.log(
      `  cost per name at ${all.length} vs ${profiles.length} profiles: ${(ours.cpu / bigRate.cpu).toFixed(2)}x (CPU time); peak RSS ${rss()}`,
    );
  }

  // A fresh detector per run, timed over the same names as this engine, its warm-up included.
  const eth5 = ethDetector(msDomains);
  const r5 = run('eth-phishing-detect, 5 Microsoft domains', mix, count, (n) => eth5.check(n).result);
  const ethAll = ethDetector(allDomains);
  const rAll = run(
    `eth-phishing-detect, all ${allDomains.length} brand domains`,
    mix,
    ethCount,
    (n) => ethAll.check(n).result,
  );
  console.log(
    `  ratio vs eth-phishing-detect: ${ratio(ours.wall, r5.wall)} at 5 domains, ${ratio(ours.wall, rAll.wall)} at ${allDomains.length} domains (wall clock); ${ratio(ours.cpu, r5.cpu)} and ${ratio(ours.cpu, rAll.cpu)} (CPU time)`,
  );
}
