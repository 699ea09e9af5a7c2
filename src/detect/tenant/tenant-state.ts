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
import type { EntityKey, EvidenceRef, Signal, PAYMENT_METHODS, TenantEvent } from '../../domain/index.js';
import { DEFAULT_PIVOTS, type PivotModel } from '../../correlate/pivots.js';
import {
  type AttributeKind,
  accountKey,
  classifyNetwork,
  type IdentityAttribute,
  identityAttributes,
  normaliseEmail,
} from '../../correlate/identity/identity.js';
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
  readonly key: string;
  readonly kind: AttributeKind;
  readonly display: string;
  readonly strength: number;
  entries: Binding[];
  /** The expiry-queue bucket holding this value's live reference (see `enqueue`). */
  dueBucket: number | undefined;
  /** Set when more accounts share the value than `maxShare`: it no longer counts or links. */
  ubiquitousUntil: number | undefined;
}

interface Stamp {
  ts: number;
  id: string;
}

interface AccountState {
  readonly key: EntityKey;
  readonly provider: string;
  createdAt: number | undefined;
  country: string | undefined;
  lastSeen: number;
  /** Attribute keys this account bound, with the time of the binding (cluster search, repeats). */
  bound: Map<string, number>;
  /** No binding in `bound` is older than this: a sweep skips the map while it is inside the horizon. */
  boundSince: number;
  /** The expiry-queue bucket holding this account's live reference (see `enqueue`). */
  dueBucket: number | undefined;
  /** `#sweptAt` when the lists below were last trimmed. */
  trimmedAt: number;
  /**
   * Some binding in `bound` may have no entry in its value (a late first binding, or not yet checked
   * after a restore): its value can then be dropped while the binding is inside the horizon, so a
   * sweep checks the map.
   */
  loose: boolean;
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
  /** Link strengths of the identity attributes (the configured pivot model; default its defaults). */
  readonly pivots?: PivotModel;
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

/** `TenantState.snapshot()`: version 2 (compact records; see `snapshotParts` for the streamed form). */
export interface TenantSnapshot extends SnapshotHeader {
  readonly values: ValueRecord[];
  readonly accounts: AccountRecord[];
}

/** What stages persisted before version 2; still restored. */
export interface TenantSnapshotV1 {
  readonly version: 1;
  readonly watermark: number;
  readonly events: number;
  readonly late: number;
  readonly values: Array<
    [string, AttributeKind, string, number, number | null, Array<[number, string, string]>]
  >;
  readonly accounts: Array<{
    key: EntityKey;
    provider: string;
    createdAt?: number;
    country?: string;
    lastSeen: number;
    bound: Array<[string, number]>;
    knownAsns: number[];
    knownCountries: string[];
    knownDevices: string[];
    deployments: Stamp[];
    domains: Stamp[];
    anomalies: Array<Stamp & { reasons: string[] }>;
    signals: Signal[];
  }>;
}

const MAX_KNOWN = 16;

const PAYMENT_ID: Readonly<Record<(typeof PAYMENT_METHODS)[number], string>> = {
  card: 'tenant.payment.card',
  prepaid: 'tenant.payment.prepaid',
  crypto: 'tenant.payment.crypto',
  bank: 'tenant.payment.bank',
  voucher: 'tenant.payment.voucher',
};

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
  readonly #pivots: PivotModel;
  readonly #sweepEvery: number;
  readonly #values = new Map<string, ValueState>();
  readonly #accounts = new Map<EntityKey, AccountState>();
  /** The same accounts by provider and account id (an index: `#accounts` is the state). */
  readonly #byProvider = new Map<string, Map<string, AccountState>>();
  readonly #dirty = new Set<EntityKey>();
  /**
   * Expiry queues: values and accounts by the hour of event time in which something of theirs leaves
   * the horizon (see `sweep`). Accounts whose bindings may lack window entries are checked every sweep.
   */
  readonly #valuesDue = new Map<number, ValueState[]>();
  readonly #accountsDue = new Map<number, AccountState[]>();
  readonly #looseAccounts = new Set<AccountState>();
  #newlyRisky: AccountState[] = [];
  #clusterDue = false;
  readonly #domainVerdicts = new Map<string, DomainVerdict | null>();
  #watermark = Number.NEGATIVE_INFINITY;
  #events = 0;
  #late = 0;
  #sinceSweep = 0;
  /** The watermark of the last sweep (see `#trimLists`). */
  #sweptAt = Number.NEGATIVE_INFINITY;
  /** The current event's dedupe key and, once a signal needs it, its evidence (see `#evidence`). */
  #ref: string | undefined;
  #ev: EvidenceRef[] | undefined;

  constructor(options: TenantStateOptions = {}) {
    this.#rules = new TenantRulebook(options.config);
    this.#scoreDomain = options.scoreDomain;
    this.#pivots = options.pivots ?? DEFAULT_PIVOTS;
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
    // The evidence array is built only if the event causes a signal (a few percent of events).
    this.#ref = ref;
    this.#ev = undefined;
    const acc = this.#account(e.provider, e.account_id, t);

    // Step 1 — static facts of the event (no window involved: late events still count).
    this.#staticSignals(acc, e, rules);
    // Step 2 — identity bindings: sign-up velocity, reuse and clusters per shared value.
    this.#clusterDue = false;
    for (const a of identityAttributes(e, this.#rules.config.identity, this.#pivots))
      this.#bind(acc, a, t, late);
    // A (late) creation changes the burst count of a cluster the account already belongs to.
    if (e.type === 'account.created' && !this.#clusterDue) this.#clusterDue = this.#sharesStrongValue(acc);
    if (this.#clusterDue) this.#cluster(acc);
    // Step 3 — what the account does: deployments, attaches, logins.
    switch (e.type) {
      case 'deployment.created':
        this.#trimLists(acc);
        if (!late) this.#deployment(acc, t, e.event_id, rules);
        for (const d of e.domains ?? []) this.#attach(acc, d, t, late, rules);
        break;
      case 'domain.attached':
        this.#trimLists(acc);
        this.#attach(acc, e.domain, t, late, rules);
        break;
      case 'login':
        this.#trimLists(acc);
        this.#login(acc, e, t, late, rules);
        break;
      default:
        break;
    }
    // Step 4 — an account that just showed risk taints the accounts linked to it.
    while (this.#newlyRisky.length > 0) {
      const risky = this.#newlyRisky;
      this.#newlyRisky = [];
      for (const a of risky) if (this.#sharesStrongValue(a)) this.#cluster(a);
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
    const w = this.#watermark;
    const cutoff = w - this.#rules.maxWindowMs;
    // Only what has fallen due is visited (see `#valuesDue`): the same values and accounts change as
    // if every one were looked at, at a cost that follows the events since the last sweep, not the
    // size of the state. Every list here is sorted by `ts`, so what expires is a prefix.
    for (const v of this.#takeDue(this.#valuesDue, w)) {
      if (this.#values.get(v.key) !== v) continue; // already dropped
      if (valueDue(v, this.#rules.maxWindowMs) >= w) {
        this.#scheduleValue(v);
        continue;
      }
      if (v.ubiquitousUntil !== undefined && v.ubiquitousUntil < w) v.ubiquitousUntil = undefined;
      dropBefore(v.entries, cutoff);
      if (v.entries.length === 0 && v.ubiquitousUntil === undefined) this.#values.delete(v.key);
      else this.#scheduleValue(v);
    }
    const due = this.#takeDue(this.#accountsDue, w);
    for (const a of this.#looseAccounts) due.push(a);
    for (const a of due) {
      if (this.#accounts.get(a.key) !== a) continue; // already dropped
      if (!a.loose && this.#accountDue(a) >= w) {
        this.#scheduleAccount(a);
        continue;
      }
      if (a.lastSeen < cutoff) {
        this.#accounts.delete(a.key);
        this.#looseAccounts.delete(a);
        // `account:<provider>/<id>`
        this.#byProvider.get(a.provider)?.delete(a.key.slice(a.provider.length + 9));
        continue;
      }
      if (a.boundSince < cutoff || a.loose) this.#sweepBound(a, cutoff);
      if (!a.loose) this.#looseAccounts.delete(a);
      this.#scheduleAccount(a);
    }
    // Deployments, domains and login anomalies that leave their windows are dropped when the account
    // is next used (`#trimLists`), to exactly what this sweep would have kept.
    this.#sweptAt = w;
    if (this.#domainVerdicts.size > 100_000) this.#domainVerdicts.clear();
  }

  /**
   * Drops the account's deployments, domains and anomalies that the last sweep left behind its
   * windows: what `sweep` would have removed then (nothing added since is that old, since late events
   * add none), done when the lists are next read instead of for every account at every sweep.
   */
  #trimLists(a: AccountState): void {
    if (a.trimmedAt === this.#sweptAt) return;
    a.trimmedAt = this.#sweptAt;
    if (a.deployments.length + a.domains.length + a.anomalies.length === 0) return;
    const keep = this.#sweptAt - this.#keepMs(a);
    dropBefore(a.deployments, keep);
    dropBefore(a.domains, keep);
    dropBefore(a.anomalies, keep);
  }

  // ── expiry queues ─────────────────────────────────────────────────────────────────────────────────

  /** How long an account keeps its deployments, domains and anomalies behind the watermark. */
  #keepMs(a: AccountState): number {
    const rules = this.#rules.for(a.provider);
    return (
      Math.max(rules.deployment.windowHours, rules.login.windowHours) * HOUR +
      rules.allowedLatenessHours * HOUR
    );
  }

  /** The watermark past which a sweep has something to drop from the account (its lists aside). */
  #accountDue(a: AccountState): number {
    return Math.min(a.lastSeen, a.boundSince) + this.#rules.maxWindowMs;
  }

  /**
   * Queues the value for the sweep after it falls due. Called whenever that may have moved earlier; a
   * value looked at before it is due is just queued again.
   */
  #scheduleValue(v: ValueState): void {
    enqueue(this.#valuesDue, valueDue(v, this.#rules.maxWindowMs), v);
  }

  #scheduleAccount(a: AccountState): void {
    enqueue(this.#accountsDue, this.#accountDue(a), a);
  }

  /** Everything queued for an hour up to the watermark's, removed from the queue. */
  #takeDue<T extends Queued>(queue: Map<number, T[]>, w: number): T[] {
    const now = Math.floor(w / DUE_BUCKET);
    const out: T[] = [];
    for (const b of [...queue.keys()]) {
      if (b > now) continue;
      for (const x of queue.get(b) as T[]) {
        if (x.dueBucket !== b) continue; // queued again, earlier, since: that reference counts
        x.dueBucket = undefined;
        out.push(x);
      }
      queue.delete(b);
    }
    return out;
  }

  /** A restored value or account: into the state and its expiry queue. */
  #adoptValue(v: ValueState): void {
    this.#values.set(v.key, v);
    this.#scheduleValue(v);
  }

  #adoptAccount(a: AccountState): void {
    this.#accounts.set(a.key, a);
    if (a.loose) this.#looseAccounts.add(a);
    this.#scheduleAccount(a);
  }

  /** Drops an account's bindings that left the horizon or whose value is gone. */
  #sweepBound(a: AccountState, cutoff: number): void {
    let since = Number.POSITIVE_INFINITY;
    let loose = false;
    for (const [k, ts] of a.bound) {
      const v = this.#values.get(k);
      if (ts < cutoff || !v) {
        a.bound.delete(k);
        continue;
      }
      if (ts < since) since = ts;
      if (a.loose && !loose) loose = !hasEntry(v.entries, ts, a.key);
    }
    a.boundSince = since;
    a.loose = loose;
  }

  // ── accounts and signals ─────────────────────────────────────────────────────────────────────────

  #account(provider: string, id: string, t: number): AccountState {
    // By provider, then by the event's own id string: no account key to build and hash per event.
    let byId = this.#byProvider.get(provider);
    if (!byId) {
      byId = new Map();
      this.#byProvider.set(provider, byId);
    }
    let a = byId.get(id);
    if (!a) {
      const key = accountKey(provider, id);
      a = this.#accounts.get(key);
      if (!a) {
        a = newAccount(key, provider, t);
        this.#accounts.set(key, a);
        this.#scheduleAccount(a);
      }
      byId.set(id, a);
    }
    if (t > a.lastSeen) a.lastSeen = t;
    return a;
  }

  /** The current event as evidence; built on first use (most events raise no signal). */
  #evidence(): EvidenceRef[] {
    this.#ev ??= this.#ref === undefined ? [] : [{ kind: 'observation', dedupeKey: this.#ref }];
    return this.#ev;
  }

  /**
   * Whether a signal of this weight would be new or stronger: checked before building one, so that a
   * repeat (every binding of a busy value re-counts its window) allocates no detail string.
   */
  #stronger(acc: AccountState, id: string, weight: number): boolean {
    const prev = acc.signals.get(id);
    return prev === undefined || prev.weight < weight;
  }

  /** Sets a signal if it is new or stronger than the one the account has (signals never weaken). */
  #signal(acc: AccountState, s: Signal): void {
    const prev = acc.signals.get(s.id);
    if (prev && prev.weight >= s.weight) return;
    if (RISK_SIGNALS.has(s.id) && !hasRisk(acc)) this.#newlyRisky.push(acc);
    acc.signals.set(s.id, s);
    this.#dirty.add(acc.key);
  }

  #staticSignals(acc: AccountState, e: TenantEvent, rules: TenantRules): void {
    switch (e.type) {
      case 'account.created':
      case 'account.updated': {
        if (e.type === 'account.created') {
          const t = Date.parse(e.ts);
          if (acc.createdAt === undefined || t < acc.createdAt) acc.createdAt = t;
          if (e.asn !== undefined) remember(acc.knownAsns, e.asn);
          if (e.device_id !== undefined) remember(acc.knownDevices, e.device_id);
          if (
            rules.network.hostingSignupWeight > 0 &&
            this.#stronger(acc, 'tenant.network.hosting-signup', rules.network.hostingSignupWeight) &&
            classifyNetwork(e.ip, e.asn, this.#rules.config.identity) === 'hosting'
          ) {
            this.#signal(acc, {
              id: 'tenant.network.hosting-signup',
              detector: 'tenant.network',
              weight: rules.network.hostingSignupWeight,
              detail: `signed up from a hosting range (${e.ip}, AS${e.asn})`,
              evidence: this.#evidence(),
            });
          }
        }
        if (e.country !== undefined) {
          acc.country ??= e.country;
          remember(acc.knownCountries, e.country);
        }
        if (e.device_id !== undefined) remember(acc.knownDevices, e.device_id);
        const mail = e.email === undefined ? undefined : normaliseEmail(e.email, this.#rules.config.identity);
        if (
          mail?.domainClass === 'disposable' &&
          rules.email.disposableWeight > 0 &&
          this.#stronger(acc, 'tenant.email.disposable', rules.email.disposableWeight)
        ) {
          this.#signal(acc, {
            id: 'tenant.email.disposable',
            detector: 'tenant.email',
            weight: rules.email.disposableWeight,
            detail: `uses a disposable mail domain (${mail.domain})`,
            evidence: this.#evidence(),
          });
        }
        return;
      }
      case 'payment.method_added':
      case 'payment.made': {
        const w = rules.payment.methodWeights[e.method];
        const id = PAYMENT_ID[e.method];
        if (w > 0 && this.#stronger(acc, id, w)) {
          this.#signal(acc, {
            id,
            detector: 'tenant.payment',
            weight: w,
            detail: `pays by ${e.method}${e.chain ? ` (${e.chain})` : ''}, a method that is hard to trace`,
            evidence: this.#evidence(),
          });
        }
        if (
          e.bin_country !== undefined &&
          acc.country !== undefined &&
          e.bin_country !== acc.country &&
          rules.payment.binMismatchWeight > 0 &&
          this.#stronger(acc, 'tenant.payment.bin-mismatch', rules.payment.binMismatchWeight)
        ) {
          this.#signal(acc, {
            id: 'tenant.payment.bin-mismatch',
            detector: 'tenant.payment',
            weight: rules.payment.binMismatchWeight,
            detail: `card issued in ${e.bin_country}, account signed up from ${acc.country}`,
            evidence: this.#evidence(),
          });
        }
        return;
      }
      default:
        return;
    }
  }

  // ── identity bindings: velocity, reuse, clusters ────────────────────────────────────────────────

  #bind(acc: AccountState, a: IdentityAttribute, t: number, late: boolean): void {
    const prev = acc.bound.get(a.key);
    // A late event can only move a binding earlier; a repeat is not a new binding. (Checked first: a
    // bound value is always in `#values` — a sweep drops a value only with the bindings to it.)
    if (prev !== undefined && (t >= prev || late)) return;
    let v = this.#values.get(a.key);
    if (!v) {
      v = {
        key: a.key,
        kind: a.kind,
        display: a.display,
        strength: a.strength,
        entries: [],
        ubiquitousUntil: undefined,
        dueBucket: undefined,
      };
      this.#values.set(a.key, v);
    }
    if (v.ubiquitousUntil !== undefined) return;
    if (prev !== undefined) {
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
    if (t < acc.boundSince) {
      acc.boundSince = t;
      this.#scheduleAccount(acc);
    }
    if (late && prev === undefined) {
      if (!acc.loose) {
        acc.loose = true;
        this.#looseAccounts.add(acc);
      }
      // A value with no entry goes at the next sweep: keep that sweep from missing it.
      if (v.entries.length === 0) this.#scheduleValue(v);
      return;
    }
    const first = v.entries.length > 0 ? (v.entries[0] as Binding).ts : Number.POSITIVE_INFINITY;
    insertSorted(v.entries, { ts: t, account: acc.key, provider: acc.provider });
    if (t < first) this.#scheduleValue(v);

    this.#velocity(a.key, v, t, acc.provider);
    if (v.ubiquitousUntil !== undefined) return;
    this.#reuse(a.key, v);
    // A value only this account holds cannot change its cluster: no search needed (the common case).
    if (a.strength >= this.#rules.for(acc.provider).cluster.minStrength && v.entries.length >= 2)
      this.#clusterDue = true;
  }

  /** Window width and share cap come from the binding account's provider; thresholds from each member's. */
  #velocity(key: string, v: ValueState, t: number, provider: string): void {
    const rule = this.#rules.for(provider).velocity[v.kind];
    const width = rule.windowHours * HOUR;
    windowsContaining(v.entries, t, width, (lo, hi) => {
      const count = hi - lo + 1;
      if (count > rule.maxShare) {
        // Too many accounts share it to mean anything: stop counting and linking until it cools down.
        v.ubiquitousUntil = t + this.#rules.maxWindowMs;
        v.entries = [];
        this.#scheduleValue(v);
        return false;
      }
      for (let i = lo; i <= hi; i++) {
        const b = v.entries[i] as Binding;
        const r = this.#rules.for(b.provider).velocity[v.kind];
        if (count < r.threshold) continue;
        const acc = this.#accounts.get(b.account);
        const weight = Math.min(r.maxWeight, r.weight + (count - r.threshold) * r.weightPerExtra);
        if (!acc || !this.#stronger(acc, VELOCITY_ID[v.kind], weight)) continue;
        this.#signal(acc, {
          id: VELOCITY_ID[v.kind],
          detector: 'tenant.velocity',
          weight,
          detail: `${count} accounts bound ${v.kind} ${v.display} within ${r.windowHours}h (threshold ${r.threshold})`,
          evidence: [{ kind: 'entity', key: key as EntityKey }, ...this.#evidence()],
        });
      }
      return true;
    });
  }

  #reuse(key: string, v: ValueState): void {
    if (v.kind !== 'wallet' && v.kind !== 'payment') return;
    const n = v.entries.length;
    let providers: Set<string> | undefined;
    for (const b of v.entries) {
      const r = this.#rules.for(b.provider).payment;
      const min = v.kind === 'wallet' ? r.walletReuseAccounts : r.fingerprintReuseAccounts;
      const weight = v.kind === 'wallet' ? r.walletReuseWeight : r.fingerprintReuseWeight;
      if (n < min || weight <= 0) continue;
      const acc = this.#accounts.get(b.account);
      const id = v.kind === 'wallet' ? 'tenant.payment.wallet-reuse' : 'tenant.payment.fingerprint-reuse';
      if (!acc || !this.#stronger(acc, id, weight)) continue;
      providers ??= new Set(v.entries.map((x) => x.provider));
      this.#signal(acc, {
        id,
        detector: 'tenant.payment',
        weight,
        detail: `${v.kind === 'wallet' ? 'wallet' : 'payment method'} ${v.display} is used by ${n} accounts on ${providers.size} provider(s)`,
        evidence: [{ kind: 'entity', key: key as EntityKey }, ...this.#evidence()],
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
  #cluster(start: AccountState): void {
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
    // Details are built only for signals that are new or stronger (most searches change nothing).
    let pivotList: string | undefined;
    const pivots = () => (pivotList ??= [...via].slice(0, 5).join(', '));
    const risky = members.filter(hasRisk);
    if (risky.length > 0 && this.#rules.for(start.provider).linkage.linkedToRiskWeight > 0) {
      for (const m of members) {
        const weight = this.#rules.for(m.provider).linkage.linkedToRiskWeight;
        if (!this.#stronger(m, 'tenant.cluster.linked-to-risk', weight)) continue;
        const other = risky.find((r) => r !== m);
        if (!other) continue;
        const what = [...other.signals.keys()]
          .filter((id) => RISK_SIGNALS.has(id))
          .map((id) => id.replace('tenant.', ''));
        this.#signal(m, {
          id: 'tenant.cluster.linked-to-risk',
          detector: 'tenant.cluster',
          weight,
          detail: `linked via ${pivots()} to ${other.key.slice('account:'.length)}, which shows ${what.join(', ')}`,
          evidence: [{ kind: 'entity', key: other.key }, ...this.#evidence()],
        });
      }
    }
    const providers = new Set(members.map((m) => m.provider));
    if (providers.size >= 2 && rules.crossProviderWeight > 0) {
      for (const m of members) {
        if (!this.#stronger(m, 'tenant.cluster.cross-provider', rules.crossProviderWeight)) continue;
        this.#signal(m, {
          id: 'tenant.cluster.cross-provider',
          detector: 'tenant.cluster',
          weight: rules.crossProviderWeight,
          detail: `linked to ${members.length - 1} account(s) on ${providers.size} providers (${[...providers].sort().join(', ')}) via ${pivots()}`,
          evidence: this.#evidence(),
        });
      }
    }
    const created = members
      .filter((m) => m.createdAt !== undefined)
      .sort((a, b) => (a.createdAt as number) - (b.createdAt as number));
    if (created.length < rules.minAccounts) return;
    const burst = largestBursts(
      created.map((m) => m.createdAt as number),
      rules.windowHours * HOUR,
      rules.minAccounts,
    );
    for (let i = 0; i < created.length; i++) {
      const n = burst[i] as number;
      if (n === 0) continue;
      const m = created[i] as AccountState;
      const weight = Math.min(rules.maxWeight, rules.weight + (n - rules.minAccounts) * rules.weightPerExtra);
      if (!this.#stronger(m, 'tenant.cluster.burst', weight)) continue;
      this.#signal(m, {
        id: 'tenant.cluster.burst',
        detector: 'tenant.cluster',
        weight,
        detail: `one of ${n} linked accounts created within ${rules.windowHours}h (via ${pivots()})`,
        evidence: this.#evidence(),
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
  ): void {
    if (!this.#isNew(acc, t, rules)) return;
    const d = rules.deployment;
    const limit = Math.max(
      1,
      Math.ceil((what === 'deployments' ? d.baselineDeployments : d.baselineDomains) * d.factor),
    );
    windowsContaining(list, t, d.windowHours * HOUR, (lo, hi) => {
      const n = hi - lo + 1;
      const id = what === 'deployments' ? 'tenant.deploy.burst' : 'tenant.domain.attach-burst';
      const weight = Math.min(d.maxWeight, d.weight + (n - limit) * d.weightPerExtra);
      if (n >= limit && this.#stronger(acc, id, weight)) {
        this.#signal(acc, {
          id,
          detector: 'tenant.deploy',
          weight,
          detail: `${n} ${what === 'deployments' ? 'deployments' : 'domains attached'} within ${d.windowHours}h by an account ${hours(t - (acc.createdAt as number))} old (provider baseline ${what === 'deployments' ? d.baselineDeployments : d.baselineDomains}, ×${d.factor})`,
          evidence: this.#evidence(),
        });
      }
      return true;
    });
  }

  #deployment(acc: AccountState, t: number, id: string, rules: TenantRules): void {
    for (const s of acc.deployments) if (s.id === id) return;
    insertSorted(acc.deployments, { ts: t, id });
    this.#burst(acc, acc.deployments, t, 'deployments', rules);
    this.#loginBeforeAction(acc, t, rules);
  }

  #attach(acc: AccountState, domain: string, t: number, late: boolean, rules: TenantRules): void {
    this.#lookalike(acc, domain, rules);
    if (late || acc.domains.some((s) => s.id === domain)) return;
    insertSorted(acc.domains, { ts: t, id: domain });
    this.#burst(acc, acc.domains, t, 'domains', rules);
    this.#loginBeforeAction(acc, t, rules);
  }

  #lookalike(acc: AccountState, domain: string, rules: TenantRules): void {
    if (!this.#scoreDomain) return;
    let verdict = this.#domainVerdicts.get(domain);
    if (verdict === undefined) {
      verdict = this.#scoreDomain(domain) ?? null;
      this.#domainVerdicts.set(domain, verdict);
    }
    if (!verdict?.flagged) return;
    const weight = Math.min(rules.lookalike.maxWeight, Math.round(verdict.score * rules.lookalike.factor));
    if (!this.#stronger(acc, 'tenant.domain.lookalike', weight)) return;
    this.#signal(acc, {
      id: 'tenant.domain.lookalike',
      detector: 'tenant.lookalike',
      weight,
      detail: `attached ${domain}, scored ${verdict.score} by the domain engine${verdict.brand ? ` (looks like ${verdict.brand})` : ''}`,
      evidence: [{ kind: 'entity', key: `domain:${domain}` }, ...this.#evidence()],
    });
  }

  #login(
    acc: AccountState,
    e: Extract<TenantEvent, { type: 'login' }>,
    t: number,
    late: boolean,
    rules: TenantRules,
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
    if (after.length > 0) this.#loginSignal(acc, anomaly, Math.min(...after.map((s) => s.ts)), rules);
  }

  #loginBeforeAction(acc: AccountState, t: number, rules: TenantRules): void {
    const w = rules.login.windowHours * HOUR;
    for (const a of acc.anomalies) if (a.ts <= t && t - a.ts <= w) this.#loginSignal(acc, a, t, rules);
  }

  #loginSignal(
    acc: AccountState,
    a: Stamp & { reasons: string[] },
    actionAt: number,
    rules: TenantRules,
  ): void {
    // A new device *and* a new network at once; a phone roaming abroad (same device) is not that.
    const two = a.reasons.length >= 2 && a.reasons.some((r) => r.startsWith('new device'));
    const weight = two ? rules.login.weightTwoOrMoreNew : rules.login.weightOneNew;
    const id = two ? 'tenant.login.anomalous' : 'tenant.login.new-context';
    if (weight <= 0 || !this.#stronger(acc, id, weight)) return;
    // One new thing (a new laptop, a trip) is common; two at once right before deploying is the pattern.
    this.#signal(acc, {
      id,
      detector: 'tenant.login',
      weight,
      detail: `login with ${a.reasons.join(', ')} at ${iso(a.ts)}, ${hours(actionAt - a.ts)} before a deployment or attach`,
      evidence: this.#evidence(),
    });
  }

  // ── persistence ─────────────────────────────────────────────────────────────────────────────────

  /**
   * The state as a sequence of JSON documents of at most about `maxChars` characters each: a header,
   * then the values and the accounts in slices. Serialised one slice at a time, straight from the live
   * state, so persisting costs one slice of memory instead of a copy of the state and one long string
   * (which is what a 30 MB snapshot used to cost, several times over). `restoreParts` reads it back.
   */
  *snapshotParts(maxChars = 1 << 20): Generator<string> {
    const header: SnapshotHeader = {
      version: 2,
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : null,
      events: this.#events,
      late: this.#late,
    };
    yield JSON.stringify(header);
    let buf: string[] = [];
    let size = 0;
    let kind: 'values' | 'accounts' = 'values';
    const flush = () => {
      const part = `{"${kind}":[${buf.join(',')}]}`;
      buf = [];
      size = 0;
      return part;
    };
    for (const [k, v] of this.#values) {
      const r = JSON.stringify(valueRecord(k, v));
      buf.push(r);
      size += r.length + 1;
      if (size >= maxChars) yield flush();
    }
    if (buf.length > 0) yield flush();
    kind = 'accounts';
    for (const a of this.#accounts.values()) {
      this.#trimLists(a);
      const r = JSON.stringify(accountRecord(a));
      buf.push(r);
      size += r.length + 1;
      if (size >= maxChars) yield flush();
    }
    if (buf.length > 0) yield flush();
  }

  /** Restores what `snapshotParts` wrote (each part parsed, in order). */
  static restoreParts(parts: Iterable<unknown>, options: TenantStateOptions = {}): TenantState {
    const r = TenantState.restorer(options);
    for (const p of parts) r.add(p);
    return r.done();
  }

  /** `restoreParts` one part at a time, for parts read one by one (only one part is in memory). */
  static restorer(options: TenantStateOptions = {}): {
    add(part: unknown): void;
    done(): TenantState;
  } {
    const st = new TenantState(options);
    let first = true;
    return {
      add(p: unknown): void {
        if (first) {
          const h = p as SnapshotHeader | undefined;
          if (h?.version !== 2)
            throw new Error(`unsupported tenant state snapshot version ${String(h?.version)}`);
          st.#watermark = h.watermark ?? Number.NEGATIVE_INFINITY;
          st.#events = h.events;
          st.#late = h.late;
          first = false;
          return;
        }
        const part = p as { values?: ValueRecord[]; accounts?: AccountRecord[] };
        for (const r of part.values ?? []) st.#adoptValue(fromValueRecord(r));
        for (const r of part.accounts ?? []) st.#adoptAccount(fromAccountRecord(r));
      },
      done(): TenantState {
        if (first) throw new Error('empty tenant state snapshot');
        return st;
      },
    };
  }

  /** The whole state as one object (tests, small states); `snapshotParts` is the streamed form. */
  snapshot(): TenantSnapshot {
    const values: ValueRecord[] = [];
    for (const [k, v] of this.#values) values.push(valueRecord(k, v));
    const accounts: AccountRecord[] = [];
    for (const a of this.#accounts.values()) {
      this.#trimLists(a);
      accounts.push(accountRecord(a));
    }
    return {
      version: 2,
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : null,
      events: this.#events,
      late: this.#late,
      values,
      accounts,
    };
  }

  /** Restores a `snapshot()` — or a version 1 snapshot, which stages wrote before version 2. */
  static restore(s: TenantSnapshot | TenantSnapshotV1, options: TenantStateOptions = {}): TenantState {
    if (s.version === 2) {
      const { values, accounts, ...header } = s;
      return TenantState.restoreParts([header, { values, accounts }], options);
    }
    if (s.version !== 1)
      throw new Error(
        `unsupported tenant state snapshot version ${String((s as { version: unknown }).version)}`,
      );
    const st = new TenantState(options);
    st.#watermark = s.watermark === 0 ? Number.NEGATIVE_INFINITY : s.watermark;
    st.#events = s.events;
    st.#late = s.late;
    for (const [k, kind, display, strength, until, entries] of s.values) {
      st.#adoptValue({
        key: k,
        kind,
        display,
        strength,
        entries: entries.map(([ts, account, provider]) => ({ ts, account: account as EntityKey, provider })),
        ubiquitousUntil: until ?? undefined,
        dueBucket: undefined,
      });
    }
    for (const a of s.accounts) {
      st.#adoptAccount(
        newAccount(a.key, a.provider, a.lastSeen, {
          createdAt: a.createdAt,
          country: a.country,
          bound: new Map(a.bound),
          knownAsns: a.knownAsns,
          knownCountries: a.knownCountries,
          knownDevices: a.knownDevices,
          deployments: a.deployments,
          domains: a.domains,
          anomalies: a.anomalies,
          signals: new Map(a.signals.map((x) => [x.id, x])),
        }),
      );
    }
    return st;
  }
}

// ── snapshot records ────────────────────────────────────────────────────────────────────────────────

interface SnapshotHeader {
  readonly version: 2;
  readonly watermark: number | null;
  readonly events: number;
  readonly late: number;
}

/** key, kind, display, strength, ubiquitous until, then the entries flat: ts, account, provider, … */
type ValueRecord = [string, AttributeKind, string, number, number | null, Array<number | string>];

/**
 * key, provider, createdAt, country, lastSeen, bound (flat: key, ts, …), known ASNs, countries and
 * devices, deployments and domains (flat: ts, id, …), anomalies ([ts, id, reasons]), signals.
 */
type AccountRecord = [
  EntityKey,
  string,
  number | null,
  string | null,
  number,
  Array<string | number>,
  number[],
  string[],
  string[],
  Array<number | string>,
  Array<number | string>,
  Array<[number, string, string[]]>,
  Signal[],
];

function valueRecord(key: string, v: ValueState): ValueRecord {
  const entries: Array<number | string> = [];
  for (const b of v.entries) entries.push(b.ts, b.account, b.provider);
  return [key, v.kind, v.display, v.strength, v.ubiquitousUntil ?? null, entries];
}

function fromValueRecord(r: ValueRecord): ValueState {
  const flat = r[5];
  const entries: Binding[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3)
    entries.push({
      ts: flat[i] as number,
      account: flat[i + 1] as EntityKey,
      provider: flat[i + 2] as string,
    });
  return {
    key: r[0],
    kind: r[1],
    display: r[2],
    strength: r[3],
    entries,
    ubiquitousUntil: r[4] ?? undefined,
    dueBucket: undefined,
  };
}

function flatStamps(list: readonly Stamp[]): Array<number | string> {
  const out: Array<number | string> = [];
  for (const s of list) out.push(s.ts, s.id);
  return out;
}

function stamps(flat: ReadonlyArray<number | string>): Stamp[] {
  const out: Stamp[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ ts: flat[i] as number, id: flat[i + 1] as string });
  return out;
}

function accountRecord(a: AccountState): AccountRecord {
  const bound: Array<string | number> = [];
  for (const [k, ts] of a.bound) bound.push(k, ts);
  return [
    a.key,
    a.provider,
    a.createdAt ?? null,
    a.country ?? null,
    a.lastSeen,
    bound,
    a.knownAsns,
    a.knownCountries,
    a.knownDevices,
    flatStamps(a.deployments),
    flatStamps(a.domains),
    a.anomalies.map((x) => [x.ts, x.id, x.reasons]),
    [...a.signals.values()],
  ];
}

function fromAccountRecord(r: AccountRecord): AccountState {
  const bound = new Map<string, number>();
  const flat = r[5];
  for (let i = 0; i + 1 < flat.length; i += 2) bound.set(flat[i] as string, flat[i + 1] as number);
  return newAccount(r[0], r[1], r[4], {
    createdAt: r[2] ?? undefined,
    country: r[3] ?? undefined,
    bound,
    knownAsns: r[6],
    knownCountries: r[7],
    knownDevices: r[8],
    deployments: stamps(r[9]),
    domains: stamps(r[10]),
    anomalies: r[11].map(([ts, id, reasons]) => ({ ts, id, reasons })),
    signals: new Map(r[12].map((x) => [x.id, x])),
  });
}

/** Every account object is built here, with every field, so they all share one shape (fast access). */
function newAccount(
  key: EntityKey,
  provider: string,
  lastSeen: number,
  from?: Pick<
    AccountState,
    | 'createdAt'
    | 'country'
    | 'bound'
    | 'knownAsns'
    | 'knownCountries'
    | 'knownDevices'
    | 'deployments'
    | 'domains'
    | 'anomalies'
    | 'signals'
  >,
): AccountState {
  let boundSince = Number.POSITIVE_INFINITY;
  if (from) for (const ts of from.bound.values()) if (ts < boundSince) boundSince = ts;
  // A restored account's bindings are checked against their values by the first sweep.
  const loose = from !== undefined && from.bound.size > 0;
  return {
    key,
    provider,
    createdAt: from?.createdAt,
    country: from?.country,
    lastSeen,
    boundSince,
    dueBucket: undefined,
    trimmedAt: Number.NEGATIVE_INFINITY,
    loose,
    bound: from?.bound ?? new Map(),
    knownAsns: from?.knownAsns ?? [],
    knownCountries: from?.knownCountries ?? [],
    knownDevices: from?.knownDevices ?? [],
    deployments: from?.deployments ?? [],
    domains: from?.domains ?? [],
    anomalies: from?.anomalies ?? [],
    signals: from?.signals ?? new Map(),
  };
}

function remember<T>(list: T[], value: T): void {
  if (list.includes(value)) return;
  list.push(value);
  if (list.length > MAX_KNOWN) list.shift();
}

/** Granularity of the expiry queues: one hour of event time. */
const DUE_BUCKET = HOUR;

/** The watermark past which a sweep has something to do with the value (−∞: the next sweep). */
function valueDue(v: ValueState, horizon: number): number {
  if (v.ubiquitousUntil !== undefined) return v.ubiquitousUntil;
  return v.entries.length > 0 ? (v.entries[0] as Binding).ts + horizon : Number.NEGATIVE_INFINITY;
}

interface Queued {
  dueBucket: number | undefined;
}

/**
 * Queues an item for the bucket of `due`, unless it is already queued for that bucket or an earlier
 * one (it is then looked at no later than needed, and queued again after). Each item has one live
 * reference, the one in `dueBucket`; a reference left in a later bucket is skipped when its time comes.
 */
function enqueue<T extends Queued>(queue: Map<number, T[]>, due: number, item: T): void {
  const b = due === Number.NEGATIVE_INFINITY ? Number.MIN_SAFE_INTEGER : Math.floor(due / DUE_BUCKET);
  if (item.dueBucket !== undefined && item.dueBucket <= b) return;
  item.dueBucket = b;
  const list = queue.get(b);
  if (list) list.push(item);
  else queue.set(b, [item]);
}

/** Whether a `ts`-sorted list of bindings holds the account's binding at `ts`. */
function hasEntry(entries: readonly Binding[], ts: number, account: EntityKey): boolean {
  for (let i = lowerBound(entries, ts); i < entries.length; i++) {
    const b = entries[i] as Binding;
    if (b.ts !== ts) return false;
    if (b.account === account) return true;
  }
  return false;
}

/** Removes the items of a `ts`-sorted list older than `cutoff` (a prefix), in place. */
function dropBefore(list: { ts: number }[], cutoff: number): void {
  if (list.length === 0 || (list[0] as { ts: number }).ts >= cutoff) return;
  let drop = 1;
  while (drop < list.length && (list[drop] as { ts: number }).ts < cutoff) drop += 1;
  list.splice(0, drop);
}

/**
 * For accounts' creation times in ascending order, the largest number of them created within `width`
 * of each other in a run that includes each one, counting runs of at least `min` (0: in none). Every run that
 * ends at an account starts at the earliest one within `width` before it; those starts only move
 * forward, so the runs containing account i are those ending in [i, last end whose start is ≤ i], and
 * a sliding maximum over the run sizes answers every account in one pass — where widening each
 * run's members one by one cost the size of the run for every account of a large cluster.
 */
export function largestBursts(createdAt: readonly number[], width: number, min: number): number[] {
  const n = createdAt.length;
  // The size of the run ending at each account (0 when under `min`), and where it starts.
  const size = new Array<number>(n);
  const start = new Array<number>(n);
  let lo = 0;
  for (let hi = 0; hi < n; hi++) {
    const end = createdAt[hi] as number;
    while ((createdAt[lo] as number) <= end - width) lo += 1;
    start[hi] = lo;
    size[hi] = hi - lo + 1 >= min ? hi - lo + 1 : 0;
  }
  const out = new Array<number>(n);
  // Run ends in the window, their sizes decreasing from the front.
  const ends: number[] = [];
  let head = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    while (last + 1 < n && (start[last + 1] as number) <= i) {
      last += 1;
      while (
        ends.length > head &&
        (size[ends[ends.length - 1] as number] as number) <= (size[last] as number)
      )
        ends.pop();
      ends.push(last);
    }
    while ((ends[head] as number) < i) head += 1;
    out[i] = size[ends[head] as number] as number;
  }
  return out;
}
