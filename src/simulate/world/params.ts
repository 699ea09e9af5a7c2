/**
 * What a world is made of, and how each parameter follows from the seed and the flags. Sizes come from
 * the scale (or flags); everything else — each operator's habits, the honest mix, the rates — is drawn
 * from the seed within plausible ranges, so an evaluation can hold out seeds (and with them the
 * parameters) that nobody tuned on. The effective parameters are written into `truth.json`.
 * @module
 */
import { Rng } from '../rng.js';
import type { Chain } from '../wallets.js';
import { BRAND_ALIASES, LURE_WORDS, OPERATOR_TLDS } from './vocab.js';

export type WorldScale = 'small' | 'month';

export interface WorldOptions {
  readonly seed: string | number;
  readonly scale?: WorldScale;
  /** Honest accounts over both providers (month 20,000; small 300). */
  readonly honestTenants?: number;
  /** Operators (month 3; small 2). */
  readonly operators?: number;
  /** Days of traffic (month 30; small 7). */
  readonly days?: number;
  /** First instant (default 2026-03-01T00:00:00Z). */
  readonly start?: string;
  /** Certstream messages to aim for (month ≈ 7,770 a day; small ≈ 430 a day). */
  readonly certstreamMessages?: number;
  /** The two providers (default `cloud-a`, `cloud-b`). */
  readonly providers?: readonly [string, string];
}

export type NameKind = 'lookalike' | 'lure' | 'hex-slug' | 'tenant-subdomain';
export type PageVariant = 'live' | 'saved' | 'obfuscated';
export type ExfilKind = 'telegram' | 'webhook';
export type OperatorEmailStyle = 'disposable' | 'free-mail' | 'plus-tagged';

/** One operator's habits. */
export interface OperatorParams {
  readonly id: string;
  readonly accounts: number;
  readonly names: number;
  /** Share of each kind of name. */
  readonly nameMix: Readonly<Record<NameKind, number>>;
  /** Naming templates this operator uses (ids from `names.ts`). */
  readonly templates: readonly string[];
  readonly tlds: readonly string[];
  readonly lureWords: readonly string[];
  readonly brandAliases: readonly string[];
  /** Operator-specific hex-slug length. */
  readonly hexLength: number;
  /** Names per shared certificate (some certificates still carry one name). */
  readonly namesPerCertificate: number;
  /** Share of registrable names with a kit page. */
  readonly kitShare: number;
  readonly pageVariants: Readonly<Record<PageVariant, number>>;
  readonly exfil: ExfilKind;
  /** Share of kit pages that carry a wallet address. */
  readonly walletOnPage: number;
  readonly chains: readonly Chain[];
  readonly wallets: number;
  readonly devices: number;
  readonly emailStyle: OperatorEmailStyle;
  /** Share of payments by crypto (the rest: prepaid cards and vouchers). */
  readonly cryptoShare: number;
  /** Sign-up bursts and how many hours each spreads over. */
  readonly bursts: number;
  readonly burstHours: number;
  /** Share of accounts on the first provider. */
  readonly firstProviderShare: number;
  /** Days from the first sign-up to the first lure. */
  readonly prepDays: number;
  /** Day (from the start) of the first sign-up. */
  readonly startDay: number;
}

export interface HonestParams {
  /** Persona weights (normalised when drawn). */
  readonly personas: Readonly<Record<string, number>>;
  /** Staff of an onboarding organisation: min, max. */
  readonly orgSize: readonly [number, number];
  /** Days an organisation takes to onboard its staff. */
  readonly orgOnboardDays: number;
  /** Share of organisations whose office egress is a hosting/VPN range. */
  readonly orgHostingEgress: number;
  /** Share of individuals who sign up through a commercial VPN exit. */
  readonly vpnShare: number;
  /** Share of individuals who also have an account on the second provider. */
  readonly secondCloudShare: number;
  /** Share of honest certificates issued as precertificate + certificate pairs. */
  readonly precertPairs: number;
  /** Honest certificate sources (weights). */
  readonly certSources: Readonly<Record<string, number>>;
  /** Share of honest constructed names carrying a lure-like word (real-world noise). */
  readonly lureNoise: number;
}

export interface WorldParams {
  readonly seed: string;
  readonly scale: WorldScale;
  readonly start: string;
  readonly days: number;
  readonly providers: readonly [string, string];
  readonly honestTenants: number;
  readonly certstreamMessages: number;
  readonly lateRate: number;
  readonly duplicateRate: number;
  readonly honest: HonestParams;
  readonly operators: readonly OperatorParams[];
}

const SCALES: Record<WorldScale, { tenants: number; operators: number; days: number; perDay: number }> = {
  month: { tenants: 20_000, operators: 3, days: 30, perDay: 7_770 },
  small: { tenants: 300, operators: 2, days: 7, perDay: 430 },
};

const TEMPLATES = ['lure-pair', 'misspelled-lure', 'brand-lure', 'glued-brand', 'hex-slug', 'hex-bare'];

/** Jitter a weight table: each weight × a factor in [1-j, 1+j]. */
function jitter(rng: Rng, table: Record<string, number>, j: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(table)) out[k] = Math.round(v * rng.range(1 - j, 1 + j) * 1000) / 1000;
  return out;
}

function normalise<K extends string>(table: Record<K, number>): Record<K, number> {
  const total = Object.values<number>(table).reduce((a, b) => a + b, 0);
  const out = {} as Record<K, number>;
  for (const k of Object.keys(table) as K[]) out[k] = Math.round((table[k] / total) * 1000) / 1000;
  return out;
}

export function worldParams(options: WorldOptions): WorldParams {
  const scale = options.scale ?? 'month';
  const base = SCALES[scale];
  const rng = new Rng(`params/${options.seed}`);
  const days = options.days ?? base.days;
  const honestTenants = options.honestTenants ?? base.tenants;
  const operatorCount = options.operators ?? base.operators;
  const start = new Date(options.start ?? '2026-03-01T00:00:00Z').toISOString();
  const certstreamMessages =
    options.certstreamMessages ?? Math.round(base.perDay * days * rng.range(0.95, 1.05));

  const honest: HonestParams = {
    personas: jitter(
      rng,
      {
        // Per draw: an organisation brings tens of accounts, a family a few, an agency about ten.
        individual: 0.45,
        organisation: 0.007,
        family: 0.05,
        agency: 0.004,
        'ci-developer': 0.05,
        'vpn-user': 0.06,
        'disposable-mail': 0.02,
        'crypto-payer': 0.04,
        startup: 0.03,
        mobile: 0.1,
      },
      0.35,
    ),
    orgSize: [rng.int(4, 8), rng.int(25, 70)],
    orgOnboardDays: rng.range(1, 5),
    orgHostingEgress: rng.range(0.03, 0.1),
    vpnShare: rng.range(0.03, 0.1),
    secondCloudShare: rng.range(0.04, 0.12),
    precertPairs: rng.range(0.75, 0.92),
    certSources: jitter(
      rng,
      {
        tranco: 0.3,
        'tranco-subdomain': 0.1,
        constructed: 0.2,
        cpanel: 0.14,
        wildcard: 0.06,
        platform: 0.12,
        cdn: 0.08,
        'brand-secondary': 0.02,
      },
      0.3,
    ),
    lureNoise: rng.range(0.002, 0.008),
  };

  const operators: OperatorParams[] = [];
  const scaleNames = scale === 'small' ? 0.15 : 1;
  const scaleAccounts = scale === 'small' ? 0.5 : 1;
  for (let k = 0; k < operatorCount; k++) {
    const r = rng.fork(`operator-${k}`);
    const prepDays = r.range(2, Math.max(2.5, Math.min(10, days * 0.4)));
    const startDay = r.range(0.5, Math.max(1, days - prepDays - Math.min(6, days * 0.3)));
    const templates = r.shuffle([...TEMPLATES]).slice(0, r.int(2, 4));
    const nameMix = normalise({
      lookalike: r.range(0.15, 0.4),
      lure: r.range(0.3, 0.5),
      'hex-slug': r.range(0.08, 0.22),
      'tenant-subdomain': r.range(0.04, 0.14),
    });
    const variants = normalise({
      live: r.range(0.3, 0.7),
      saved: r.range(0.1, 0.35),
      obfuscated: r.range(0.1, 0.35),
    });
    operators.push({
      id: `op-${k + 1}`,
      accounts: Math.max(3, Math.round(r.int(8, 16) * scaleAccounts)),
      names: Math.max(8, Math.round(r.int(120, 210) * scaleNames)),
      nameMix,
      templates,
      tlds: r.shuffle([...OPERATOR_TLDS]).slice(0, r.int(3, 7)),
      lureWords: r.shuffle([...new Set(LURE_WORDS)]).slice(0, r.int(10, 18)),
      brandAliases: r.shuffle([...BRAND_ALIASES]).slice(0, r.int(5, 10)),
      hexLength: r.int(4, 10),
      // Every operator shares certificates across its names; how many per certificate is its habit.
      namesPerCertificate: r.weighted([
        [2, 3],
        [3, 2],
        [4, 1],
        [5, 1],
      ]),
      kitShare: r.range(0.3, 0.6),
      pageVariants: variants,
      exfil: r.chance(0.6) ? 'telegram' : 'webhook',
      walletOnPage: r.range(0.05, 0.3),
      chains: r.weighted<readonly Chain[]>([
        [['tron'], 3],
        [['bitcoin'], 2],
        [['ethereum', 'tron'], 2],
        [['bitcoin', 'tron'], 1],
      ]),
      wallets: r.int(2, 4),
      devices: r.int(2, 4),
      emailStyle: r.weighted<OperatorEmailStyle>([
        ['disposable', 2],
        ['free-mail', 3],
        ['plus-tagged', 1],
      ]),
      cryptoShare: r.range(0.5, 1),
      bursts: r.int(1, 3),
      burstHours: r.range(2, 30),
      firstProviderShare: r.range(0.4, 0.7),
      prepDays,
      startDay,
    });
  }
  return {
    seed: String(options.seed),
    scale,
    start,
    days,
    providers: options.providers ?? ['cloud-a', 'cloud-b'],
    honestTenants,
    certstreamMessages,
    lateRate: rng.range(0.005, 0.02),
    duplicateRate: rng.range(0.001, 0.004),
    honest,
    operators,
  };
}
