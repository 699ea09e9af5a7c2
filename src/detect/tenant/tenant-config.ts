/**
 * Every number the tenant detectors decide with, with its documented default (docs/tenant-events.md),
 * overridable per provider. A provider's section is merged over `defaults`, so a provider whose new
 * accounts legitimately deploy a lot (a static-site host) raises its own baseline without touching
 * the others.
 * @module
 */
import {
  DEFAULT_IDENTITY_CONFIG,
  type AttributeKind,
  type IdentityConfig,
} from '../../correlate/identity/identity.js';
import type { PAYMENT_METHODS } from '../../domain/index.js';

export interface VelocityRule {
  /** Sliding window, in hours of event time; half-open: an event exactly one window earlier is out. */
  readonly windowHours: number;
  /** Distinct accounts binding the same value within the window that make a burst (≥). */
  readonly threshold: number;
  readonly weight: number;
  /** Added per account above the threshold, up to `maxWeight`. */
  readonly weightPerExtra: number;
  readonly maxWeight: number;
  /** Above this many accounts in the window the value is de-facto ubiquitous and stops counting. */
  readonly maxShare: number;
}

export interface TenantRules {
  /** Accounts and bindings are forgotten this long after their last event (bounds the state). */
  readonly horizonHours: number;
  /** Events older than the watermark by more than this do not enter the windows (static checks still run). */
  readonly allowedLatenessHours: number;
  readonly velocity: Readonly<Record<AttributeKind, VelocityRule>>;
  readonly cluster: {
    /** Links at least this strong join accounts into a cluster. */
    readonly minStrength: number;
    readonly windowHours: number;
    /** Accounts of one cluster created within the window that make a burst (≥). */
    readonly minAccounts: number;
    readonly weight: number;
    readonly weightPerExtra: number;
    readonly maxWeight: number;
    /** A cluster spanning several providers (weak alone: people do use two clouds). */
    readonly crossProviderWeight: number;
    /** Search bound; a bigger component is reported as this big. */
    readonly maxClusterSize: number;
  };
  readonly payment: {
    readonly methodWeights: Readonly<Record<(typeof PAYMENT_METHODS)[number], number>>;
    /** Distinct accounts paying from one wallet within the horizon (≥). */
    readonly walletReuseAccounts: number;
    readonly walletReuseWeight: number;
    /** Distinct accounts using one payment fingerprint within the horizon (≥). */
    readonly fingerprintReuseAccounts: number;
    readonly fingerprintReuseWeight: number;
    /** The card's BIN country differs from the account's sign-up country. */
    readonly binMismatchWeight: number;
  };
  readonly deployment: {
    /** Only accounts younger than this are compared with the baseline. */
    readonly newAccountHours: number;
    readonly windowHours: number;
    /** The provider's typical deployments / domain attaches per window for a new account. */
    readonly baselineDeployments: number;
    readonly baselineDomains: number;
    /** "Far above": a count ≥ baseline × factor fires. */
    readonly factor: number;
    readonly weight: number;
    readonly weightPerExtra: number;
    readonly maxWeight: number;
  };
  readonly lookalike: {
    /** Signal weight = domain-engine score × factor, capped. */
    readonly factor: number;
    readonly maxWeight: number;
  };
  readonly login: {
    /** A login from a new ASN, country or device this long or less before a deployment or attach. */
    readonly windowHours: number;
    readonly weightOneNew: number;
    readonly weightTwoOrMoreNew: number;
  };
  readonly email: { readonly disposableWeight: number };
  /**
   * Linkage alone (shared values, bursts of linked sign-ups) describes families, colleagues and agencies
   * as well as operators; it weighs fully only once the account or its cluster shows a risk indicator
   * (hard-to-trace payment, disposable mail, hosting sign-up, deployment burst, lookalike, odd login).
   */
  readonly linkage: {
    /** Weight factor of linkage signals while no risk indicator is present. */
    readonly dampWithoutRisk: number;
    /** …and their combined (noisy-OR) weight is scaled down to at most this. */
    readonly maxWithoutRisk: number;
    /** Weight on every account of a cluster in which another account shows a risk indicator. */
    readonly linkedToRiskWeight: number;
  };
  readonly network: { readonly hostingSignupWeight: number };
  readonly thresholds: { readonly flag: number; readonly malicious: number };
}

export interface TenantConfig {
  readonly defaults: TenantRules;
  /** Per-provider overrides, merged over `defaults` section by section. */
  readonly providers: Readonly<Record<string, DeepPartial<TenantRules>>>;
  readonly identity: IdentityConfig;
}

export type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

const v = (windowHours: number, threshold: number, weight: number, maxShare: number): VelocityRule => ({
  windowHours,
  threshold,
  weight,
  weightPerExtra: 5,
  maxWeight: weight + 20,
  maxShare,
});

export const DEFAULT_TENANT_RULES: TenantRules = {
  horizonHours: 30 * 24,
  allowedLatenessHours: 48,
  velocity: {
    email: v(72, 3, 35, 20),
    'email-domain': v(24, 6, 10, 50),
    payment: v(24, 3, 35, 30),
    wallet: v(72, 2, 40, 30),
    device: v(24, 3, 30, 20),
    ip: v(24, 4, 20, 40),
    asn: v(1, 50, 5, 1000),
  },
  cluster: {
    minStrength: 0.5,
    windowHours: 72,
    minAccounts: 3,
    weight: 30,
    weightPerExtra: 5,
    maxWeight: 50,
    crossProviderWeight: 15,
    maxClusterSize: 200,
  },
  payment: {
    methodWeights: { crypto: 25, prepaid: 20, voucher: 20, card: 0, bank: 0 },
    walletReuseAccounts: 2,
    walletReuseWeight: 45,
    fingerprintReuseAccounts: 3,
    fingerprintReuseWeight: 30,
    binMismatchWeight: 5,
  },
  deployment: {
    newAccountHours: 7 * 24,
    windowHours: 24,
    baselineDeployments: 3,
    baselineDomains: 1,
    factor: 4,
    weight: 30,
    weightPerExtra: 1,
    maxWeight: 35,
  },
  lookalike: { factor: 0.8, maxWeight: 70 },
  login: { windowHours: 24, weightOneNew: 5, weightTwoOrMoreNew: 25 },
  email: { disposableWeight: 20 },
  linkage: { dampWithoutRisk: 0.25, maxWithoutRisk: 30, linkedToRiskWeight: 25 },
  network: { hostingSignupWeight: 10 },
  thresholds: { flag: 50, malicious: 85 },
};

export const DEFAULT_TENANT_CONFIG: TenantConfig = {
  defaults: DEFAULT_TENANT_RULES,
  providers: {},
  identity: DEFAULT_IDENTITY_CONFIG,
};

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, val] of Object.entries(over as Record<string, unknown>)) {
    if (val === undefined) continue;
    const b = out[k];
    out[k] =
      b !== null &&
      typeof b === 'object' &&
      !Array.isArray(b) &&
      typeof val === 'object' &&
      !Array.isArray(val)
        ? merge(b, val as DeepPartial<typeof b>)
        : val;
  }
  return out as T;
}

/** Resolves (and memoises) the rules of each provider. */
export class TenantRulebook {
  readonly config: TenantConfig;
  readonly #cache = new Map<string, TenantRules>();
  #lastProvider: string | undefined;
  #last: TenantRules | undefined;
  /** The longest window of any provider: how far back the shared indexes must reach. */
  readonly maxWindowMs: number;

  constructor(config: TenantConfig = DEFAULT_TENANT_CONFIG) {
    this.config = config;
    const all = [config.defaults, ...Object.keys(config.providers).map((p) => this.for(p))];
    this.maxWindowMs = Math.max(...all.map((r) => r.horizonHours)) * HOUR;
  }

  for(provider: string): TenantRules {
    // Called several times per event, nearly always for the provider of the previous call.
    if (provider === this.#lastProvider && this.#last) return this.#last;
    let r = this.#cache.get(provider);
    if (!r) {
      r = merge(this.config.defaults, this.config.providers[provider]);
      this.#cache.set(provider, r);
    }
    this.#lastProvider = provider;
    this.#last = r;
    return r;
  }
}

export const HOUR = 3_600_000;
