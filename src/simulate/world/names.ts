/**
 * Host names of the world: honest ones drawn from a real popularity list and constructed in the shapes
 * real certificates carry (small sites, cPanel host sets, wildcards, platform tenants, CDN edge names),
 * and operators' names built from per-operator templates — lookalikes, lure-only names, hex slugs and
 * platform-tenant subdomains. One registry keeps every name unique across honest and operator use.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rng } from '../rng.js';
import type { NameKind, OperatorParams } from './params.js';
import {
  ACCOUNT_SUBDOMAINS,
  BUSINESS_SUFFIXES,
  BUSINESS_WORDS,
  CDN_SHAPES,
  FIRST_NAMES,
  HONEST_TLDS,
  LAST_NAMES,
  PLATFORM_SUFFIXES,
  SITE_SUBDOMAINS,
  SLUG_WORDS,
} from './vocab.js';

let popular: readonly string[] | undefined;

/**
 * The Tranco slice shipped in `data/simulate/` (found from this module's location, so it works from
 * `src/` and `dist/`; the simulator imports nothing outside the domain vocabulary, hence its own lookup).
 */
export function popularNames(): readonly string[] {
  if (popular) return popular;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const f = join(dir, 'data', 'simulate', 'tranco-top-20k.txt');
    if (existsSync(f)) {
      popular = readFileSync(f, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      return popular;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('data/simulate/tranco-top-20k.txt not found above the simulator');
    dir = up;
  }
}

/** Every name handed out, so honest and operator names never collide. */
export class NameRegistry {
  readonly #taken = new Set<string>();
  has(name: string): boolean {
    return this.#taken.has(name);
  }
  /** Claims `make()`'s name, retrying on collision; undefined after `tries` collisions. */
  claim(make: () => string, tries = 20): string | undefined {
    for (let i = 0; i < tries; i++) {
      const n = make();
      if (!this.#taken.has(n)) {
        this.#taken.add(n);
        return n;
      }
    }
    return undefined;
  }
  add(name: string): void {
    this.#taken.add(name);
  }
}

// ── honest names ──────────────────────────────────────────────────────────────────────────────────

const LURE_NOISE = ['login', 'secure', 'account', 'verify', 'pay', 'billing', 'portal', 'signin', 'support'];

/** A new small-business or personal registrable name (`<word><word>.<tld>`, `<first><last>.<tld>`…). */
export function constructedName(rng: Rng, lureNoise: number): string {
  const tld = rng.weighted(HONEST_TLDS);
  const w = () => rng.pick(BUSINESS_WORDS);
  const shape = rng.int(0, 5);
  let label: string;
  if (rng.chance(lureNoise))
    label = rng.chance(0.5) ? `${w()}-${rng.pick(LURE_NOISE)}` : `${rng.pick(LURE_NOISE)}${w()}`;
  else if (shape === 0) label = `${w()}${w()}`;
  else if (shape === 1) label = `${w()}-${w()}`;
  else if (shape === 2) label = `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}`;
  else if (shape === 3) label = `${rng.pick(LAST_NAMES)}-${w()}${rng.pick(BUSINESS_SUFFIXES)}`;
  else if (shape === 4)
    label = `${w()}${rng.pick(BUSINESS_SUFFIXES)}${rng.chance(0.3) ? rng.int(1, 99) : ''}`;
  else label = `${w()}${w()}${rng.pick(BUSINESS_SUFFIXES)}`;
  return `${label}.${tld}`;
}

/** A tenant host on a platform suffix (`<project>.vercel.app`, `<app>-<hex>.herokuapp.com`). */
export function platformHost(rng: Rng): string {
  // Honest Workers too: `workers.dev` hosts must not be an operator-only shape.
  if (rng.chance(0.1))
    return `${rng.pick(BUSINESS_WORDS)}-${rng.pick(BUSINESS_WORDS)}.${rng.pick(FIRST_NAMES)}${rng.hex(4)}.workers.dev`;
  const suffix = rng.pick(PLATFORM_SUFFIXES);
  const label = rng.chance(0.5)
    ? `${rng.pick(BUSINESS_WORDS)}-${rng.pick(BUSINESS_WORDS)}`
    : `${rng.pick(BUSINESS_WORDS)}${rng.chance(0.5) ? `-${rng.hex(rng.int(4, 8))}` : rng.int(1, 999)}`;
  return `${label}.${suffix}`;
}

/** A CDN edge name that carries a popular site's own host name (`www.example.com.edgekey.net`). */
export function cdnHost(rng: Rng, site: string): string {
  const host = rng.chance(0.6) ? `www.${site}` : siteSubdomain(rng, site);
  return rng.pick(CDN_SHAPES)(host);
}

/**
 * A big site's own secondary domain (`<brand>cdn.com`, `ads-<brand>.com`, `<brand>-static.net`,
 * `<brand>w.eu`): honest, and one edit or one word away from the brand, as real portfolios are.
 */
export function brandSecondary(rng: Rng, site: string): string {
  const label = site.split('.')[0] as string;
  const shape = rng.pick([
    `${label}cdn`,
    `ads-${label}`,
    `${label}-static`,
    `${label}static`,
    `${label}img`,
    `${label}w`,
    `my${label}`,
    `${label}-analytics`,
    `${label}usercontent`,
    `${label}-mail`,
  ]);
  return `${shape}.${rng.pick(['com', 'net', 'eu', 'io', 'co'])}`;
}

export function siteSubdomain(rng: Rng, site: string): string {
  return `${rng.chance(0.05) ? rng.pick(ACCOUNT_SUBDOMAINS) : rng.pick(SITE_SUBDOMAINS)}.${site}`;
}

// ── operator names ────────────────────────────────────────────────────────────────────────────────

/** Doubles one letter of a word (`secure` → `seccure`), as kit operators write lure words. */
function doubled(rng: Rng, w: string): string {
  const i = rng.int(0, w.length - 1);
  return `${w.slice(0, i + 1)}${w[i]}${w.slice(i + 1)}`;
}

/** Drops one inner letter (`verify` → `verfy`). */
function dropped(rng: Rng, w: string): string {
  if (w.length < 5) return w;
  const i = rng.int(1, w.length - 2);
  return w.slice(0, i) + w.slice(i + 1);
}

export interface OperatorName {
  readonly name: string;
  readonly kind: NameKind;
  readonly template: string;
}

/**
 * The operator's next name of `kind`. `tenantAccount` is the platform account slug for
 * `workers.dev`-style names. Templates are the operator's own: the same operator reuses its shapes,
 * vocabulary, hex length and TLDs, which is what a correlator can learn a template from.
 */
export function operatorName(
  rng: Rng,
  op: OperatorParams,
  kind: NameKind,
  tenantAccount: string,
): OperatorName {
  const lure = () => rng.pick(op.lureWords);
  const odd = (w: string) => (rng.chance(0.3) ? doubled(rng, w) : rng.chance(0.1) ? dropped(rng, w) : w);
  const tld = () => rng.pick(op.tlds);
  const alias = () => rng.pick(op.brandAliases);
  const hex = () => rng.hex(op.hexLength);
  if (kind === 'tenant-subdomain') {
    const label = rng.chance(0.5) ? `${lure()}-${hex().slice(0, 4)}` : `${odd(lure())}${lure()}`;
    const suffix = rng.chance(0.7) ? `${tenantAccount}.workers.dev` : 'pages.dev';
    return { name: `${label}.${suffix}`, kind, template: 'tenant-subdomain' };
  }
  if (kind === 'hex-slug') {
    const t = op.templates.includes('hex-bare') && rng.chance(0.4) ? 'hex-bare' : 'hex-slug';
    const name =
      t === 'hex-bare' ? `${hex()}.${tld()}` : `${lure()}-${hex()}-${rng.pick(SLUG_WORDS)}.${tld()}`;
    return { name, kind, template: t };
  }
  if (kind === 'lookalike') {
    const t = op.templates.includes('glued-brand') && rng.chance(0.5) ? 'glued-brand' : 'brand-lure';
    const name =
      t === 'glued-brand'
        ? `${alias()}${lure()}${rng.chance(0.5) ? `-${alias()}` : ''}.${tld()}`
        : `${alias()}-${odd(lure())}${rng.chance(0.6) ? `-${odd(lure())}` : ''}.${tld()}`;
    return { name, kind, template: t };
  }
  // Lure-only: no brand at all.
  const t = op.templates.includes('misspelled-lure') && rng.chance(0.5) ? 'misspelled-lure' : 'lure-pair';
  const name =
    t === 'misspelled-lure'
      ? `${doubled(rng, lure())}${rng.chance(0.5) ? lure() : ''}.${tld()}`
      : `${lure()}${rng.chance(0.6) ? '-' : ''}${lure()}.${tld()}`;
  return { name, kind, template: t };
}
