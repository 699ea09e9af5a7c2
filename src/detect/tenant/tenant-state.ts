/**
 * The windowed state of the tenant detectors, fed one validated event at a time.
 *
 * Pure (no I/O, no wall clock: time is the events' `ts`), deterministic for a given input order, and
 * bounded by the windows rather than by history: bindings and accounts older than the horizon behind
 * the watermark are swept away. It serialises to a JSON snapshot so a stage can persist and resume it.
 *
 * Each account carries its current signals; signals are sticky (a burst seen once remains evidence
 * after its window has passed) and only ever strengthen. `drainDirty()` names the accounts whose
 * signals changed since the last call, which is all a stage needs to write.
 * @module
 */
import type { EntityKey, EvidenceRef, Signal } from '../../domain/index.js';
import {
  type AttributeKind,
  accountKey,
  classifyNetwork,
  type IdentityAttribute,
  identityAttributes,
  normaliseEmail,
} from '../../ingest/sources/tenant/identity.js';
import type { TenantEvent } from '../../ingest/sources/tenant/tenant-schema.js';
import { insertSorted, lowerBound, windowsContaining } from './sorted-times.js';
import { HOUR, type TenantConfig, type TenantRules, TenantRulebook } from './tenant-config.js';

/** What the domain engine says about an attached domain (injected: see `createDomainEngine`). */
export interface DomainVerdict {
  readonly score: number;
  readonly flagged: boolean;
  readonly brand?: string | undefined;
}
export type DomainScorer = (domain: string) => DomainVerdict | undefined;

/** Detector ids: each signal's `detector` is one of these; a stage replaces all of them per account. */
export const TENANT_DETECTORS = [
  'tenant.velocity',
  'tenant.cluster',
  'tenant.payment',
  'tenant.deploy',
  'tenant.lookalike',
  'tenant.login',
  'tenant.email',
  'tenant.network',
] as const;

const VELOCITY_ID: Record<AttributeKind, string> = {
  email: 'tenant.velocity.mailbox',
  'email-domain': 'tenant.velocity.email-domain',
  payment: 'tenant.velocity.payment-fingerprint',
  wallet: 'tenant.velocity.wallet',
  device: 'tenant.velocity.device',
  ip: 'tenant.velocity.ip',
  asn: 'tenant.velocity.hosting-asn',
};

interface Binding {
  ts: number;
  account: EntityKey;
  provider: string;
}

interface ValueState {
  readonly kind: AttributeKind;
  readonly display: string;
  readonly strength: number;
  entries: Binding[];
  /** Set when more accounts share the value than `maxShare`: it no longer counts or links. */
  ubiquitousUntil?: number;
}

interface Stamp {
  ts: number;
  id: string;
}

interface AccountState {
  readonly key: EntityKey;
  readonly provider: string;
  createdAt?: number;
  country?: string;
  lastSeen: number;
  /** Attribute keys this account bound, with the time of the binding (cluster search, repeats). */
  bound: Map<string, number>;
  knownAsns: number[];
  knownCountries: string[];
  knownDevices: string[];
  deployments: Stamp[];
  domains: Stamp[];
  anomalies: Array<Stamp & { reasons: string[] }>;
  signals: Map<string, Signal>;
}

export interface TenantStateOptions {
  readonly config?: TenantConfig;
  readonly scoreDomain?: DomainScorer;
  /** Events between sweeps of expired state (default 20,000). */
  readonly sweepEvery?: number;
}

export interface TenantStateStats {
  readonly events: number;
  readonly accounts: number;
  readonly values: number;
  readonly bindings: number;
  /** Events too late for the windows (older than watermark − allowed lateness). */
  readonly late: number;
  readonly watermark: string | undefined;
}

export interface TenantSnapshot {
  readonly version: 1;
  readonly watermark: number;
  readonly events: number;
  readonly late: number;
  readonly values: Array<
    [string, AttributeKind, string, number, number | null, Array<[number, string, string]>]
  >;
  readonly accounts: Array<
    Omit<AccountState, 'signals' | 'bound'> & { signals: Signal[]; bound: Array<[string, number]> }
  >;
}

const MAX_KNOWN = 16;

/** Signals that describe risk by themselves (as opposed to linkage, which needs risk to weigh). */
export const RISK_SIGNALS: ReadonlySet<string> = new Set([
  'tenant.payment.crypto',
  'tenant.payment.prepaid',
  'tenant.payment.voucher',
  'tenant.payment.wallet-reuse',
  'tenant.email.disposable',
  'tenant.network.hosting-signup',
  'tenant.deploy.burst',
  'tenant.domain.attach-burst',
  'tenant.domain.lookalike',
  'tenant.login.anomalous',
]);
const LINKAGE = (id: string): boolean =>
  id.startsWith('tenant.velocity.') ||
  id === 'tenant.cluster.burst' ||
  id === 'tenant.cluster.cross-provider' ||
  id === 'tenant.payment.fingerprint-reuse';
const hasRisk = (a: AccountState): boolean => {
  for (const id of a.signals.keys()) if (RISK_SIGNALS.has(id)) return true;
  return false;
};
const iso = (ms: number): string => new Date(ms).toISOString();
const hours = (ms: number): string => `${Math.round((ms / HOUR) * 10) / 10}h`;

export class TenantState {
  readonly #rules: TenantRulebook;
  readonly #scoreDomain: DomainScorer | undefined;
  readonly #sweepEvery: number;
  readonly #values = new Map<string, ValueState>();
  readonly #accounts = new Map<EntityKey, AccountState>();
  readonly #dirty = new Set<EntityKey>();
  #newlyRisky: AccountState[] = [];
  #clusterDue = false;
  readonly #domainVerdicts = new Map<string, DomainVerdict | null>();
  #watermark = Number.NEGATIVE_INFINITY;
  #events = 0;
  #late = 0;
  #sinceSweep = 0;

  constructor(options: TenantStateOptions = {}) {
    this.#rules = new TenantRulebook(options.config);
    this.#scoreDomain = options.scoreDomain;
    this.#sweepEvery = options.sweepEvery ?? 20_000;
  }

  get rules(): TenantRulebook {
    return this.#rules;
  }

  /** Feeds one event. `ref` (its dedupe key) becomes the evidence of the signals it causes. */
  apply(e: TenantEvent, ref?: string): void {
    const t = Date.parse(e.ts);
    const rules = this.#rules.for(e.provider);
    const late = t < this.#watermark - rules.allowedLatenessHours * HOUR;
    if (late) this.#late += 1;
    if (t > this.#watermark) this.#watermark = t;
    this.#events += 1;
    const evidence: EvidenceRef[] = ref === undefined ? [] : [{ kind: 'observation', dedupeKey: ref }];
    const acc = this.#account(e.provider, e.account_id, t);

    // Step 1 — static facts of the event (no window involved: late events still count).
    this.#staticSignals(acc, e, rules, evidence);
    // Step 2 — identity bindings: sign-up velocity, reuse and clusters per shared value.
    this.#clusterDue = false;
    for (const a of identityAttributes(e, this.#rules.config.identity)) this.#bind(acc, a, t, late, evidence);
    // A (late) creation changes the burst count of a cluster the account already belongs to.
    if (e.type === 'account.created' && !this.#clusterDue) this.#clusterDue = this.#sharesStrongValue(acc);
    if (this.#clusterDue) this.#cluster(acc, evidence);
    // Step 3 — what the account does: deployments, attaches, logins.
    switch (e.type) {
      case 'deployment.created':
        if (!late) this.#deployment(acc, t, e.event_id, rules, evidence);
        for (const d of e.domains ?? []) this.#attach(acc, d, t, late, rules, evidence);
        break;
      case 'domain.attached':
        this.#attach(acc, e.domain, t, late, rules, evidence);
        break;
      case 'login':
        this.#login(acc, e, t, late, rules, evidence);
        break;
      default:
        break;
    }
    // Step 4 — an account that just showed risk taints the accounts linked to it.
    while (this.#newlyRisky.length > 0) {
      const risky = this.#newlyRisky;
      this.#newlyRisky = [];
      for (const a of risky) if (this.#sharesStrongValue(a)) this.#cluster(a, evidence);
    }
    if (++this.#sinceSweep >= this.#sweepEvery) this.sweep();
  }

  /** Accounts whose signals changed since the last call. */
  drainDirty(): EntityKey[] {
    const out = [...this.#dirty];
    this.#dirty.clear();
    return out;
  }

  /**
   * The account's current signals. Linkage signals are damped while neither the account nor its
   * cluster shows a risk indicator; the detail says so.
   */
  signalsOf(key: EntityKey): Signal[] {
    const a = this.#accounts.get(key);
    if (!a) return [];
    const all = [...a.signals.values()];
    if (hasRisk(a) || a.signals.has('tenant.cluster.linked-to-risk')) return all;
    const { dampWithoutRisk, maxWithoutRisk } = this.#rules.for(a.provider).linkage;
    const linkage = all.filter((s) => LINKAGE(s.id));
    if (linkage.length === 0) return all;
    // Damp each, then scale the group so that linkage alone never adds up past maxWithoutRisk.
    const combined = (k: number) =>
      100 * (1 - linkage.reduce((p, s) => p * (1 - Math.min(99.9, s.weight * k) / 100), 1));
    let k = dampWithoutRisk;
    if (combined(k) > maxWithoutRisk) {
      let lo = 0;
      let hi = k;
      for (let i = 0; i < 20; i++) {
        const mid = (lo + hi) / 2;
        if (combined(mid) > maxWithoutRisk) hi = mid;
        else lo = mid;
      }
      k = lo;
    }
    return all.map((s) =>
      LINKAGE(s.id)
        ? {
            ...s,
            weight: Math.floor(s.weight * k * 10) / 10,
            detail: `${s.detail} (damped: no risk indicator on the account or its cluster yet)`,
          }
        : s,
    );
  }

  /** Event time of the account's newest event, while the account is in the window. */
  lastSeen(key: EntityKey): string | undefined {
    const a = this.#accounts.get(key);
    return a ? iso(a.lastSeen) : undefined;
  }

  hasAccount(key: EntityKey): boolean {
    return this.#accounts.has(key);
  }

  stats(): TenantStateStats {
    let bindings = 0;
    for (const v of this.#values.values()) bindings += v.entries.length;
    return {
      events: this.#events,
      accounts: this.#accounts.size,
      values: this.#values.size,
      bindings,
      late: this.#late,
      watermark: Number.isFinite(this.#watermark) ? iso(this.#watermark) : undefined,
    };
  }

  /** Drops what the horizon no longer covers. Runs by itself every `sweepEvery` events. */
  sweep(): void {
    this.#sinceSweep = 0;
    if (!Number.isFinite(this.#watermark)) return;
    const horizon = this.#rules.maxWindowMs;
    const cutoff = this.#watermark - horizon;
    for (const [k, v] of this.#values) {
      if (v.ubiquitousUntil !== undefined && v.ubiquitousUntil < this.#watermark) delete v.ubiquitousUntil;
      let drop = 0;
      while (drop < v.entries.length && (v.entries[drop] as Binding).ts < cutoff) drop += 1;
      if (drop > 0) v.entries.splice(0, drop);
      if (v.entries.length === 0 && v.ubiquitousUntil === undefined) this.#values.delete(k);
    }
    for (const [k, a] of this.#accounts) {
      if (a.lastSeen < cutoff) {
        this.#accounts.delete(k);
        continue;
      }
      const rules = this.#rules.for(a.provider);
      const keep =
        this.#watermark -
        Math.max(rules.deployment.windowHours, rules.login.windowHours) * HOUR -
        rules.allowedLatenessHours * HOUR;
      a.deployments = a.deployments.filter((s) => s.ts >= keep);
      a.domains = a.domains.filter((s) => s.ts >= keep);
      a.anomalies = a.anomalies.filter((s) => s.ts >= keep);
      for (const [k, ts] of a.bound) if (ts < cutoff || !this.#values.has(k)) a.bound.delete(k);
    }
    if (this.#domainVerdicts.size > 100_000) this.#domainVerdicts.clear();
  }

  // ── accounts and signals ─────────────────────────────────────────────────────────────────────────

  #account(provider: string, id: string, t: number): AccountState {
    const key = accountKey(provider, id);
    let a = this.#accounts.get(key);
    if (!a) {
      a = {
        key,
        provider,
        lastSeen: t,
        bound: new Map(),
        knownAsns: [],
        knownCountries: [],
        knownDevices: [],
        deployments: [],
        domains: [],
        anomalies: [],
        signals: new Map(),
      };
      this.#accounts.set(key, a);
    } else if (t > a.lastSeen) a.lastSeen = t;
    return a;
  }

  /** Sets a signal if it is new or stronger than the one the account has (signals never weaken). */
  #signal(acc: AccountState, s: Signal): void {
    const prev = acc.signals.get(s.id);
    if (prev && prev.weight >= s.weight) return;
    if (RISK_SIGNALS.has(s.id) && !hasRisk(acc)) this.#newlyRisky.push(acc);
    acc.signals.set(s.id, s);
    this.#dirty.add(acc.key);
  }

  #staticSignals(acc: AccountState, e: TenantEvent, rules: TenantRules, evidence: EvidenceRef[]): void {
    switch (e.type) {
      case 'account.created':
      case 'account.updated': {
        if (e.type === 'account.created') {
          const t = Date.parse(e.ts);
          if (acc.createdAt === undefined || t < acc.createdAt) acc.createdAt = t;
          if (e.asn !== undefined) remember(acc.knownAsns, e.asn);
          if (e.device_id !== undefined) remember(acc.knownDevices, e.device_id);
          if (
            classifyNetwork(e.ip, e.asn, this.#rules.config.identity) === 'hosting' &&
            rules.network.hostingSignupWeight > 0
          ) {
            this.#signal(acc, {
              id: 'tenant.network.hosting-signup',
              detector: 'tenant.network',
              weight: rules.network.hostingSignupWeight,
              detail: `signed up from a hosting range (${e.ip}, AS${e.asn})`,
              evidence,
            });
          }
        }
        if (e.country !== undefined) {
          acc.country ??= e.country;
          remember(acc.knownCountries, e.country);
        }
        if (e.device_id !== undefined) remember(acc.knownDevices, e.device_id);
        const mail = e.email === undefined ? undefined : normaliseEmail(e.email, this.#rules.config.identity);
        if (mail?.domainClass === 'disposable' && rules.email.disposableWeight > 0) {
          this.#signal(acc, {
            id: 'tenant.email.disposable',
            detector: 'tenant.email',
            weight: rules.email.disposableWeight,
            detail: `uses a disposable mail domain (${mail.domain})`,
            evidence,
          });
        }
        return;
      }
      case 'payment.method_added':
      case 'payment.made': {
        const w = rules.payment.methodWeights[e.method];
        if (w > 0) {
          this.#signal(acc, {
            id: `tenant.payment.${e.method}`,
            detector: 'tenant.payment',
            weight: w,
            detail: `pays by ${e.method}${e.chain ? ` (${e.chain})` : ''}, a method that is hard to trace`,
            evidence,
          });
        }
        if (
          e.bin_country !== undefined &&
          acc.country !== undefined &&
          e.bin_country !== acc.country &&
          rules.payment.binMismatchWeight > 0
        ) {
          this.#signal(acc, {
            id: 'tenant.payment.bin-mismatch',
            detector: 'tenant.payment',
            weight: rules.payment.binMismatchWeight,
            detail: `card issued in ${e.bin_country}, account signed up from ${acc.country}`,
            evidence,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  // ── identity bindings: velocity, reuse, clusters ────────────────────────────────────────────────

  #bind(acc: AccountState, a: IdentityAttribute, t: number, late: boolean, evidence: EvidenceRef[]): void {
    let v = this.#values.get(a.key);
    if (!v) {
      v = { kind: a.kind, display: a.display, strength: a.strength, entries: [] };
      this.#values.set(a.key, v);
    }
    if (v.ubiquitousUntil !== undefined) return;
    const prev = acc.bound.get(a.key);
    if (prev !== undefined) {
      // A late event can only move a binding earlier; a repeat is not a new binding.
      if (t >= prev || late) return;
      for (
        let i = lowerBound(v.entries, prev);
        i < v.entries.length && (v.entries[i] as Binding).ts === prev;
        i++
      ) {
        if ((v.entries[i] as Binding).account === acc.key) {
          v.entries.splice(i, 1);
          break;
        }
      }
    }
    acc.bound.set(a.key, t);
    if (late && prev === undefined) return;
    insertSorted(v.entries, { ts: t, account: acc.key, provider: acc.provider });

    this.#velocity(a.key, v, t, acc.provider, evidence);
    if (v.ubiquitousUntil !== undefined) return;
    this.#reuse(a.key, v, evidence);
    // A value only this account holds cannot change its cluster: no search needed (the common case).
    if (a.strength >= this.#rules.for(acc.provider).cluster.minStrength && v.entries.length >= 2)
      this.#clusterDue = true;
  }

  /** Window width and share cap come from the binding account's provider; thresholds from each member's. */
  #velocity(key: string, v: ValueState, t: number, provider: string, evidence: EvidenceRef[]): void {
    const rule = this.#rules.for(provider).velocity[v.kind];
    const width = rule.windowHours * HOUR;
    windowsContaining(v.entries, t, width, (lo, hi) => {
      const count = hi - lo + 1;
      if (count > rule.maxShare) {
        // Too many accounts share it to mean anything: stop counting and linking until it cools down.
        v.ubiquitousUntil = t + this.#rules.maxWindowMs;
        v.entries = [];
        return false;
      }
      for (let i = lo; i <= hi; i++) {
        const b = v.entries[i] as Binding;
        const r = this.#rules.for(b.provider).velocity[v.kind];
        if (count < r.threshold) continue;
        const acc = this.#accounts.get(b.account);
        if (!acc) continue;
        this.#signal(acc, {
          id: VELOCITY_ID[v.kind],
          detector: 'tenant.velocity',
          weight: Math.min(r.maxWeight, r.weight + (count - r.threshold) * r.weightPerExtra),
          detail: `${count} accounts bound ${v.kind} ${v.display} within ${r.windowHours}h (threshold ${r.threshold})`,
          evidence: [{ kind: 'entity', key: key as EntityKey }, ...evidence],
        });
      }
      return true;
    });
  }

  #reuse(key: string, v: ValueState, evidence: EvidenceRef[]): void {
    if (v.kind !== 'wallet' && v.kind !== 'payment') return;
    const n = v.entries.length;
    let providers: Set<string> | undefined;
    for (const b of v.entries) {
      const r = this.#rules.for(b.provider).payment;
      const min = v.kind === 'wallet' ? r.walletReuseAccounts : r.fingerprintReuseAccounts;
      const weight = v.kind === 'wallet' ? r.walletReuseWeight : r.fingerprintReuseWeight;
      if (n < min || weight <= 0) continue;
      const acc = this.#accounts.get(b.account);
      if (!acc) continue;
      providers ??= new Set(v.entries.map((x) => x.provider));
      this.#signal(acc, {
        id: v.kind === 'wallet' ? 'tenant.payment.wallet-reuse' : 'tenant.payment.fingerprint-reuse',
        detector: 'tenant.payment',
        weight,
        detail: `${v.kind === 'wallet' ? 'wallet' : 'payment method'} ${v.display} is used by ${n} accounts on ${providers.size} provider(s)`,
        evidence: [{ kind: 'entity', key: key as EntityKey }, ...evidence],
      });
    }
  }

  #sharesStrongValue(acc: AccountState): boolean {
    const min = this.#rules.for(acc.provider).cluster.minStrength;
    for (const k of acc.bound.keys()) {
      const v = this.#values.get(k);
      if (v && v.strength >= min && v.entries.length >= 2 && v.ubiquitousUntil === undefined) return true;
    }
    return false;
  }

  /** The connected component of strongly linked accounts around `start`, then bursts within it. */
  #cluster(start: AccountState, evidence: EvidenceRef[]): void {
    const rules = this.#rules.for(start.provider).cluster;
    const members: AccountState[] = [start];
    const seen = new Set<EntityKey>([start.key]);
    const via = new Set<string>();
    for (let i = 0; i < members.length && members.length < rules.maxClusterSize; i++) {
      const m = members[i] as AccountState;
      for (const k of m.bound.keys()) {
        const v = this.#values.get(k);
        if (!v || v.strength < rules.minStrength || v.ubiquitousUntil !== undefined || v.entries.length < 2)
          continue;
        via.add(v.display);
        for (const b of v.entries) {
          if (seen.has(b.account)) continue;
          const other = this.#accounts.get(b.account);
          seen.add(b.account);
          if (other) members.push(other);
          if (members.length >= rules.maxClusterSize) break;
        }
      }
    }
    if (members.length < 2) return;
    const pivots = [...via].slice(0, 5).join(', ');
    const risky = members.filter(hasRisk);
    if (risky.length > 0 && this.#rules.for(start.provider).linkage.linkedToRiskWeight > 0) {
      for (const m of members) {
        const other = risky.find((r) => r !== m);
        if (!other) continue;
        const what = [...other.signals.keys()]
          .filter((id) => RISK_SIGNALS.has(id))
          .map((id) => id.replace('tenant.', ''));
        this.#signal(m, {
          id: 'tenant.cluster.linked-to-risk',
          detector: 'tenant.cluster',
          weight: this.#rules.for(m.provider).linkage.linkedToRiskWeight,
          detail: `linked via ${pivots} to ${other.key.slice('account:'.length)}, which shows ${what.join(', ')}`,
          evidence: [{ kind: 'entity', key: other.key }, ...evidence],
        });
      }
    }
    const providers = new Set(members.map((m) => m.provider));
    if (providers.size >= 2 && rules.crossProviderWeight > 0) {
      for (const m of members) {
        this.#signal(m, {
          id: 'tenant.cluster.cross-provider',
          detector: 'tenant.cluster',
          weight: rules.crossProviderWeight,
          detail: `linked to ${members.length - 1} account(s) on ${providers.size} providers (${[...providers].sort().join(', ')}) via ${pivots}`,
          evidence,
        });
      }
    }
    const created = members
      .filter((m) => m.createdAt !== undefined)
      .sort((a, b) => (a.createdAt as number) - (b.createdAt as number));
    if (created.length < rules.minAccounts) return;
    const width = rules.windowHours * HOUR;
    const burst = new Map<AccountState, number>();
    let lo = 0;
    for (let hi = 0; hi < created.length; hi++) {
      const end = (created[hi] as AccountState).createdAt as number;
      while (((created[lo] as AccountState).createdAt as number) <= end - width) lo += 1;
      const n = hi - lo + 1;
      if (n < rules.minAccounts) continue;
      for (let i = lo; i <= hi; i++) {
        const m = created[i] as AccountState;
        burst.set(m, Math.max(burst.get(m) ?? 0, n));
      }
    }
    for (const [m, n] of burst) {
      this.#signal(m, {
        id: 'tenant.cluster.burst',
        detector: 'tenant.cluster',
        weight: Math.min(rules.maxWeight, rules.weight + (n - rules.minAccounts) * rules.weightPerExtra),
        detail: `one of ${n} linked accounts created within ${rules.windowHours}h (via ${pivots})`,
        evidence,
      });
    }
  }

  // ── what accounts do ────────────────────────────────────────────────────────────────────────────

  #isNew(acc: AccountState, t: number, rules: TenantRules): boolean {
    return acc.createdAt !== undefined && t - acc.createdAt < rules.deployment.newAccountHours * HOUR;
  }

  #burst(
    acc: AccountState,
    list: Stamp[],
    t: number,
    what: 'deployments' | 'domains',
    rules: TenantRules,
    evidence: EvidenceRef[],
  ): void {
    if (!this.#isNew(acc, t, rules)) return;
    const d = rules.deployment;
    const limit = Math.max(
      1,
      Math.ceil((what === 'deployments' ? d.baselineDeployments : d.baselineDomains) * d.factor),
    );
    windowsContaining(list, t, d.windowHours * HOUR, (lo, hi) => {
      const n = hi - lo + 1;
      if (n >= limit) {
        this.#signal(acc, {
          id: what === 'deployments' ? 'tenant.deploy.burst' : 'tenant.domain.attach-burst',
          detector: 'tenant.deploy',
          weight: Math.min(d.maxWeight, d.weight + (n - limit) * d.weightPerExtra),
          detail: `${n} ${what === 'deployments' ? 'deployments' : 'domains attached'} within ${d.windowHours}h by an account ${hours(t - (acc.createdAt as number))} old (provider baseline ${what === 'deployments' ? d.baselineDeployments : d.baselineDomains}, ×${d.factor})`,
          evidence,
        });
      }
      return true;
    });
  }

  #deployment(acc: AccountState, t: number, id: string, rules: TenantRules, evidence: EvidenceRef[]): void {
    if (acc.deployments.some((s) => s.id === id)) return;
    insertSorted(acc.deployments, { ts: t, id });
    this.#burst(acc, acc.deployments, t, 'deployments', rules, evidence);
    this.#loginBeforeAction(acc, t, rules, evidence);
  }

  #attach(
    acc: AccountState,
    domain: string,
    t: number,
    late: boolean,
    rules: TenantRules,
    evidence: EvidenceRef[],
  ): void {
    this.#lookalike(acc, domain, rules, evidence);
    if (late || acc.domains.some((s) => s.id === domain)) return;
    insertSorted(acc.domains, { ts: t, id: domain });
    this.#burst(acc, acc.domains, t, 'domains', rules, evidence);
    this.#loginBeforeAction(acc, t, rules, evidence);
  }

  #lookalike(acc: AccountState, domain: string, rules: TenantRules, evidence: EvidenceRef[]): void {
    if (!this.#scoreDomain) return;
    let verdict = this.#domainVerdicts.get(domain);
    if (verdict === undefined) {
      verdict = this.#scoreDomain(domain) ?? null;
      this.#domainVerdicts.set(domain, verdict);
    }
    if (!verdict?.flagged) return;
    this.#signal(acc, {
      id: 'tenant.domain.lookalike',
      detector: 'tenant.lookalike',
      weight: Math.min(rules.lookalike.maxWeight, Math.round(verdict.score * rules.lookalike.factor)),
      detail: `attached ${domain}, scored ${verdict.score} by the domain engine${verdict.brand ? ` (looks like ${verdict.brand})` : ''}`,
      evidence: [{ kind: 'entity', key: `domain:${domain}` }, ...evidence],
    });
  }

  #login(
    acc: AccountState,
    e: Extract<TenantEvent, { type: 'login' }>,
    t: number,
    late: boolean,
    rules: TenantRules,
    evidence: EvidenceRef[],
  ): void {
    const hasHistory = acc.knownAsns.length + acc.knownCountries.length + acc.knownDevices.length > 0;
    const reasons: string[] = [];
    if (hasHistory) {
      if (e.asn !== undefined && acc.knownAsns.length > 0 && !acc.knownAsns.includes(e.asn))
        reasons.push(`new ASN AS${e.asn}`);
      if (e.country !== undefined && acc.knownCountries.length > 0 && !acc.knownCountries.includes(e.country))
        reasons.push(`new country ${e.country}`);
      if (e.device_id !== undefined && acc.knownDevices.length > 0 && !acc.knownDevices.includes(e.device_id))
        reasons.push(`new device ${e.device_id}`);
    }
    if (e.asn !== undefined) remember(acc.knownAsns, e.asn);
    if (e.country !== undefined) remember(acc.knownCountries, e.country);
    if (e.device_id !== undefined) remember(acc.knownDevices, e.device_id);
    if (reasons.length === 0 || late) return;
    if (acc.anomalies.some((a) => a.id === e.event_id)) return;
    const anomaly = { ts: t, id: e.event_id, reasons };
    insertSorted(acc.anomalies, anomaly);
    // A late login may precede actions already seen.
    const w = rules.login.windowHours * HOUR;
    const after = [...acc.deployments, ...acc.domains].filter((s) => s.ts >= t && s.ts - t <= w);
    if (after.length > 0)
      this.#loginSignal(acc, anomaly, Math.min(...after.map((s) => s.ts)), rules, evidence);
  }

  #loginBeforeAction(acc: AccountState, t: number, rules: TenantRules, evidence: EvidenceRef[]): void {
    const w = rules.login.windowHours * HOUR;
    for (const a of acc.anomalies)
      if (a.ts <= t && t - a.ts <= w) this.#loginSignal(acc, a, t, rules, evidence);
  }

  #loginSignal(
    acc: AccountState,
    a: Stamp & { reasons: string[] },
    actionAt: number,
    rules: TenantRules,
    evidence: EvidenceRef[],
  ): void {
    // A new device *and* a new network at once; a phone roaming abroad (same device) is not that.
    const two = a.reasons.length >= 2 && a.reasons.some((r) => r.startsWith('new device'));
    const weight = two ? rules.login.weightTwoOrMoreNew : rules.login.weightOneNew;
    if (weight <= 0) return;
    // One new thing (a new laptop, a trip) is common; two at once right before deploying is the pattern.
    this.#signal(acc, {
      id: two ? 'tenant.login.anomalous' : 'tenant.login.new-context',
      detector: 'tenant.login',
      weight,
      detail: `login with ${a.reasons.join(', ')} at ${iso(a.ts)}, ${hours(actionAt - a.ts)} before a deployment or attach`,
      evidence,
    });
  }

  // ── persistence ─────────────────────────────────────────────────────────────────────────────────

  snapshot(): TenantSnapshot {
    return {
      version: 1,
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : 0,
      events: this.#events,
      late: this.#late,
      values: [...this.#values].map(([k, v]) => [
        k,
        v.kind,
        v.display,
        v.strength,
        v.ubiquitousUntil ?? null,
        v.entries.map((b) => [b.ts, b.account, b.provider]),
      ]),
      accounts: [...this.#accounts.values()].map((a) => ({
        ...a,
        bound: [...a.bound],
        signals: [...a.signals.values()],
      })),
    };
  }

  static restore(s: TenantSnapshot, options: TenantStateOptions = {}): TenantState {
    if (s.version !== 1) throw new Error(`unsupported tenant state snapshot version ${String(s.version)}`);
    const st = new TenantState(options);
    st.#watermark = s.watermark === 0 ? Number.NEGATIVE_INFINITY : s.watermark;
    st.#events = s.events;
    st.#late = s.late;
    for (const [k, kind, display, strength, until, entries] of s.values) {
      const v: ValueState = {
        kind,
        display,
        strength,
        entries: entries.map(([ts, account, provider]) => ({ ts, account: account as EntityKey, provider })),
      };
      if (until !== null) v.ubiquitousUntil = until;
      st.#values.set(k, v);
    }
    for (const a of s.accounts) {
      st.#accounts.set(a.key, {
        ...a,
        bound: new Map(a.bound),
        signals: new Map(a.signals.map((x) => [x.id, x])),
      });
    }
    return st;
  }
}

function remember<T>(list: T[], value: T): void {
  if (list.includes(value)) return;
  list.push(value);
  if (list.length > MAX_KNOWN) list.shift();
}
