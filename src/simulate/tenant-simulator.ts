/**
 * A seeded, deterministic month of cloud-tenant traffic with ground truth: tens of thousands of honest
 * accounts of many kinds (free-mail individuals, colleagues behind one office address, families
 * sharing a laptop and a card, agencies opening client accounts in batches, CI-heavy developers on
 * VPSs, honest crypto payers, people with accounts on two clouds, CGNAT and mobile users) and a few
 * operators preparing phishing infrastructure on two providers with different degrees of care.
 *
 * Events come out in *arrival* order: some are late (delivered hours after their `ts`), some are sent
 * twice, and a few are malformed, as in real feeds. The truth names every operator account and each
 * operator's first phishing deployment.
 * @module
 */
import { Rng } from './rng.js';
import { FREE_MAIL } from './world/vocab.js';

export interface SimulationOptions {
  readonly seed: string | number;
  /** First day (UTC, default 2026-03-01). */
  readonly start?: string;
  readonly days?: number;
  /** Honest accounts on the main provider (default 30,000). */
  readonly honestAccounts?: number;
  readonly operators?: number;
  /** The provider whose month this is, and the second one operators spread to. */
  readonly providers?: readonly [string, string];
  /** Prefix of account and event ids (lets a bench chain months without collisions). */
  readonly idPrefix?: string;
  /** Fractions of events delivered late (up to 12h), twice, or malformed. */
  readonly lateRate?: number;
  readonly duplicateRate?: number;
  readonly malformedRate?: number;
}

export interface OperatorTruth {
  readonly id: string;
  readonly style: string;
  readonly accounts: readonly string[];
  /** ISO time of the operator's first phishing deployment. */
  readonly firstDeploymentAt: string;
  readonly lookalikeDomains: readonly string[];
}

export interface SimulationTruth {
  readonly seed: string;
  readonly start: string;
  readonly days: number;
  readonly providers: readonly string[];
  readonly honestAccounts: number;
  /** Honest accounts by persona. */
  readonly personas: Readonly<Record<string, number>>;
  readonly operators: readonly OperatorTruth[];
  /** Account keys (`account:<provider>/<id>`) of honest accounts that belong to a persona worth auditing. */
  readonly events: number;
  readonly malformed: number;
  readonly duplicates: number;
  readonly late: number;
}

export interface Simulation {
  /** Event objects (or, for malformed ones, whatever a broken producer sends), in arrival order. */
  readonly events: unknown[];
  readonly truth: SimulationTruth;
  /** Persona of every account (`operator` for operators), for error analysis; not part of the truth file. */
  readonly personaOf: ReadonlyMap<string, string>;
}

export { Rng } from './rng.js';

// ── the world ──────────────────────────────────────────────────────────────────────────────────────

const DISPOSABLE = [
  'mailinator.com',
  'guerrillamail.com',
  '10minutemail.com',
  'yopmail.com',
  'temp-mail.org',
  'sharklasers.com',
];
// [asn, country, first octets] for residential ISPs.
const RESIDENTIAL: Array<[number, string, string]> = [
  [3320, 'DE', '79.2'],
  [7922, 'US', '73.15'],
  [701, 'US', '71.10'],
  [2856, 'GB', '81.98'],
  [3215, 'FR', '90.12'],
  [3352, 'ES', '83.44'],
  [1136, 'NL', '84.80'],
  [4134, 'CN', '116.22'],
  [9829, 'IN', '117.200'],
  [28573, 'BR', '177.33'],
];
const MOBILE: Array<[number, string, string]> = [
  [21928, 'US', '172.58'],
  [55836, 'IN', '49.36'],
  [3209, 'DE', '100.70'],
  [26599, 'BR', '100.80'],
];
const HOSTING: Array<[number, string, string]> = [
  [16509, 'US', '3.80'],
  [14061, 'NL', '167.99'],
  [24940, 'DE', '95.216'],
  [16276, 'FR', '51.75'],
  [20473, 'US', '45.77'],
];
const FIRST = [
  'anna',
  'ben',
  'chen',
  'dmitri',
  'elif',
  'fatima',
  'george',
  'hana',
  'ivan',
  'julia',
  'kofi',
  'lena',
  'maria',
  'noah',
  'olga',
  'priya',
  'quinn',
  'raj',
  'sara',
  'tom',
  'uma',
  'victor',
  'wei',
  'yusuf',
  'zoe',
];
const LAST = [
  'smith',
  'muller',
  'garcia',
  'kim',
  'singh',
  'rossi',
  'novak',
  'silva',
  'tanaka',
  'khan',
  'lopez',
  'meyer',
  'costa',
  'ivanova',
  'nguyen',
];
const WORDS = [
  'bakery',
  'studio',
  'labs',
  'garden',
  'travel',
  'fitness',
  'photo',
  'coffee',
  'design',
  'books',
  'cycle',
  'dental',
  'law',
  'pixel',
  'forge',
];
const TLDS = ['com', 'io', 'de', 'net', 'co.uk', 'fr', 'app', 'dev'];
const LURES: Array<[string, string[]]> = [
  [
    'microsoft',
    [
      'rnicrosoft-online',
      'microsoft-login-verify',
      'micros0ft-365',
      'office365-secure-signin',
      'outlook-mailbox-verify',
    ],
  ],
  ['paypal', ['paypal-account-review', 'paypa1-secure', 'paypal-resolution-center']],
  ['apple', ['apple-id-unlock', 'appleid-verify-support', 'icloud-find-locate']],
  ['amazon', ['amazon-order-refund', 'arnazon-billing']],
  ['coinbase', ['coinbase-wallet-restore', 'c0inbase-login']],
];
const LURE_TLDS = ['com', 'net', 'top', 'xyz', 'online', 'info'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Pending {
  arrival: number;
  seq: number;
  event: unknown;
}

interface Net {
  ip: string;
  asn: number;
  country: string;
}

export function simulateTenants(options: SimulationOptions): Simulation {
  const rng = new Rng(options.seed);
  const start = Date.parse(options.start ?? '2026-03-01T00:00:00Z');
  const days = options.days ?? 30;
  const end = start + days * DAY;
  const [main, second] = options.providers ?? ['cloud-a', 'cloud-b'];
  const prefix = options.idPrefix ?? '';
  const lateRate = options.lateRate ?? 0.01;
  const dupRate = options.duplicateRate ?? 0.003;
  const badRate = options.malformedRate ?? 0.001;
  const out: Pending[] = [];
  let seq = 0;
  let nextId = 0;
  const counts = { malformed: 0, duplicates: 0, late: 0 };
  const personas: Record<string, number> = {};
  const personaOf = new Map<string, string>();
  let persona = 'individual';

  const emit = (e: Record<string, unknown>) => {
    const ts = e.ts as number;
    if (ts >= end + 7 * DAY) return;
    const event = { event_id: `${prefix}ev${(nextId++).toString(36)}`, ...e, ts: new Date(ts).toISOString() };
    let arrival = ts + rng.exp(20_000);
    if (rng.chance(lateRate)) {
      arrival += rng.next() * 12 * HOUR;
      counts.late += 1;
    }
    if (rng.chance(badRate)) {
      counts.malformed += 1;
      const broken: Record<string, unknown> = { ...event };
      const how = rng.int(0, 3);
      if (how === 0) delete broken.account_id;
      else if (how === 1) broken.ts = 'not-a-time';
      else if (how === 2) broken.type = 'account.teleported';
      else broken.provider = '';
      out.push({ arrival, seq: seq++, event: broken });
      return;
    }
    out.push({ arrival, seq: seq++, event });
    if (rng.chance(dupRate)) {
      counts.duplicates += 1;
      out.push({ arrival: arrival + rng.exp(60_000), seq: seq++, event });
    }
  };

  const ipIn = (pool: [number, string, string], shared = false): Net => {
    const [asn, country, head] = pool;
    const parts = head.split('.').length;
    const rest = Array.from({ length: 4 - parts }, (_, i) =>
      shared && i < 4 - parts - 1 ? 0 : rng.int(1, 254),
    );
    return { ip: `${head}.${rest.join('.')}`, asn, country };
  };
  const residential = () => ipIn(rng.pick(RESIDENTIAL));
  const mobile = (): Net => {
    const [asn, country, head] = rng.pick(MOBILE);
    // Carrier NAT: thousands share a handful of addresses.
    return { ip: `${head}.${rng.int(0, 3)}.${rng.int(1, 6)}`, asn, country };
  };
  const hosting = () => ipIn(rng.pick(HOSTING));
  const device = () => `dev-${rng.hex(12)}`;
  // Real mailboxes are unique per person; a small name space would invent shared mailboxes.
  const person = () =>
    `${rng.pick(FIRST)}${rng.pick(['.', '_', ''])}${rng.pick(LAST)}${rng.int(1, 9999)}${rng.hex(2)}`;
  const ownDomain = () =>
    `${rng.pick(LAST)}-${rng.pick(WORDS)}${rng.chance(0.3) ? rng.int(2, 99) : ''}.${rng.pick(TLDS)}`;
  const card = () => `card-${rng.hex(16)}`;

  interface Acct {
    provider: string;
    id: string;
    created: number;
    net: Net;
    dev: string;
  }

  const account = (provider: string, created: number, email: string, net: Net, dev: string): Acct => {
    const id = `${prefix}${provider === main ? 'a' : 'b'}${(nextId++).toString(36)}`;
    personaOf.set(`account:${provider}/${id}`, persona);
    emit({
      type: 'account.created',
      provider,
      account_id: id,
      ts: created,
      email,
      ip: net.ip,
      asn: net.asn,
      country: net.country,
      device_id: dev,
      user_agent: 'Mozilla/5.0',
    });
    return { provider, id, created, net, dev };
  };

  /** The ordinary life of an honest account over the rest of the month. */
  const honestLife = (
    a: Acct,
    o: {
      deploys: number;
      pay: 'card' | 'bank' | 'crypto' | 'prepaid';
      fp?: string;
      wallet?: string;
      domains?: number;
      heavy?: boolean;
      roam?: boolean;
    },
  ) => {
    let t = a.created + rng.exp(6 * HOUR);
    const fp = o.fp ?? card();
    if (rng.chance(0.85)) {
      emit({
        type: 'payment.method_added',
        provider: a.provider,
        account_id: a.id,
        ts: t,
        method: o.pay,
        fingerprint: o.wallet ? `wallet-${o.wallet.slice(-10)}` : fp,
        ...(o.wallet ? { wallet_address: o.wallet, chain: 'eth' } : {}),
        ...(o.pay === 'card' ? { bin_country: rng.chance(0.97) ? a.net.country : 'US' } : {}),
      });
    }
    for (let i = 0; i < o.deploys; i++) {
      t += o.heavy ? rng.exp(1.5 * HOUR) : rng.exp(3 * DAY);
      if (t > end) break;
      if (rng.chance(0.5)) {
        const net = o.roam && rng.chance(0.3) ? mobile() : a.net;
        emit({
          type: 'login',
          provider: a.provider,
          account_id: a.id,
          ts: t - rng.exp(HOUR),
          ip: net.ip,
          asn: net.asn,
          country: net.country,
          device_id: rng.chance(0.95) ? a.dev : device(),
        });
      }
      emit({
        type: 'deployment.created',
        provider: a.provider,
        account_id: a.id,
        ts: t,
        kind: rng.pick(['site', 'worker', 'function', 'bucket', 'vm']),
      });
      if (rng.chance(0.3))
        emit({
          type: 'resource.usage',
          provider: a.provider,
          account_id: a.id,
          ts: t + HOUR,
          metric: 'requests',
          value: rng.int(10, 100_000),
        });
    }
    for (let i = 0; i < (o.domains ?? 0); i++) {
      emit({
        type: 'domain.attached',
        provider: a.provider,
        account_id: a.id,
        ts: a.created + rng.exp(5 * DAY),
        domain: ownDomain(),
      });
    }
    if (rng.chance(0.6))
      emit({
        type: 'payment.made',
        provider: a.provider,
        account_id: a.id,
        ts: Math.min(end - 1, a.created + 20 * DAY),
        method: o.pay,
        fingerprint: o.wallet ? `wallet-${o.wallet.slice(-10)}` : fp,
        amount: rng.int(1, 400),
        currency: 'USD',
      });
  };

  const total = options.honestAccounts ?? 30_000;
  const when = () => start + rng.next() * days * DAY;
  let made = 0;
  const count = (persona: string, n = 1) => {
    personas[persona] = (personas[persona] ?? 0) + n;
    made += n;
  };
  const mainDomains = (n: number) =>
    Array.from(
      { length: n },
      () =>
        `${rng.pick(WORDS)}${rng.pick(['', '-co', '-group', '-gmbh'])}${rng.int(1, 999)}.${rng.pick(TLDS)}`,
    );
  const companies = mainDomains(Math.max(50, Math.round(total / 15)));
  const companyState = new Map<string, { net: Net; card: string }>();

  while (made < total) {
    const r = rng.next();
    persona =
      r < 0.5
        ? 'individual'
        : r < 0.72
          ? 'corporate'
          : r < 0.8
            ? 'family'
            : r < 0.81
              ? 'agency'
              : r < 0.86
                ? 'ci-developer'
                : r < 0.88
                  ? 'disposable-mail'
                  : 'mobile';
    if (r < 0.5) {
      // An individual on free mail, residential (or mobile) network.
      const net = rng.chance(0.25) ? mobile() : residential();
      const email = `${person()}@${rng.pick(FREE_MAIL)}`;
      const a = account(main, when(), email, net, device());
      const pay = rng.chance(0.04)
        ? 'crypto'
        : rng.chance(0.04)
          ? 'prepaid'
          : rng.chance(0.15)
            ? 'bank'
            : 'card';
      honestLife(a, {
        deploys: rng.int(0, 6),
        pay,
        ...(pay === 'crypto' ? { wallet: `0x${rng.hex(40)}` } : {}),
        domains: rng.chance(0.2) ? 1 : 0,
        roam: rng.chance(0.1),
      });
      count(pay === 'crypto' ? 'individual-crypto' : 'individual');
      if (pay === 'crypto') personaOf.set(`account:${main}/${a.id}`, 'individual-crypto');
      if (rng.chance(0.08)) {
        // The same person on the second cloud, with the same mailbox: cross-provider, honest.
        persona = 'individual-second-cloud';
        const b = account(second, when(), email.replace('@', rng.chance(0.5) ? '+cloud@' : '@'), net, a.dev);
        honestLife(b, { deploys: rng.int(0, 3), pay: 'card' });
        count('individual-second-cloud');
      }
    } else if (r < 0.72) {
      // Colleagues: company mail, one office address, sometimes one company card.
      const company = rng.pick(companies);
      let st = companyState.get(company);
      if (!st) {
        st = { net: residential(), card: card() };
        companyState.set(company, st);
      }
      const a = account(main, when(), `${person()}@${company}`, st.net, device());
      const shared = rng.chance(0.4);
      honestLife(a, {
        deploys: rng.int(1, 8),
        pay: 'card',
        ...(shared ? { fp: st.card } : {}),
        domains: rng.chance(0.1) ? 1 : 0,
      });
      count('corporate');
    } else if (r < 0.8) {
      // A family: 2–4 accounts, one home address, a shared laptop, often one card.
      const n = rng.int(2, 4);
      const net = residential();
      const laptop = device();
      const fam = card();
      const t0 = when();
      for (let i = 0; i < n; i++) {
        const a = account(
          main,
          t0 + (rng.chance(0.4) ? rng.exp(2 * HOUR) : rng.exp(6 * DAY)),
          `${person()}@${rng.pick(FREE_MAIL)}`,
          net,
          rng.chance(0.5) ? laptop : device(),
        );
        honestLife(a, { deploys: rng.int(0, 3), pay: 'card', ...(rng.chance(0.6) ? { fp: fam } : {}) });
      }
      count('family', n);
    } else if (r < 0.81) {
      // An agency: a burst of client accounts on its own card, plus-addressed ops mailbox, many sites.
      const agency = `${rng.pick(WORDS)}-agency${rng.int(1, 99)}.com`;
      const net = residential();
      const agencyCard = card();
      const ops = rng.pick(['ops', 'dev', 'hosting', 'admin']);
      let t = when();
      const n = rng.int(5, 15);
      for (let i = 0; i < n; i++) {
        t += rng.chance(0.5) ? rng.exp(30 * 60_000) : rng.exp(2 * DAY);
        const a = account(
          main,
          Math.min(t, end - HOUR),
          rng.chance(0.5) ? `${ops}+client${i}@${agency}` : `${person()}@${agency}`,
          net,
          device(),
        );
        honestLife(a, { deploys: rng.int(2, 10), pay: 'card', fp: agencyCard, domains: rng.int(1, 3) });
      }
      count('agency', n);
    } else if (r < 0.86) {
      // A developer on a VPS whose CI deploys all day (heavy but honest).
      const a = account(
        main,
        when(),
        `${person()}@${rng.chance(0.5) ? rng.pick(FREE_MAIL) : rng.pick(companies)}`,
        hosting(),
        device(),
      );
      honestLife(a, { deploys: rng.int(5, 40), pay: 'card', heavy: rng.chance(0.5) });
      count('ci-developer');
    } else if (r < 0.88) {
      // Someone who keeps their real address private: a throwaway mailbox, otherwise ordinary.
      const a = account(
        main,
        when(),
        `${person()}${rng.int(1, 9999)}@${rng.pick(DISPOSABLE)}`,
        residential(),
        device(),
      );
      honestLife(a, { deploys: rng.int(0, 4), pay: rng.chance(0.3) ? 'prepaid' : 'card' });
      count('disposable-mail');
    } else {
      // Students and mobile-first users behind carrier NAT.
      const a = account(main, when(), `${person()}@${rng.pick(FREE_MAIL)}`, mobile(), device());
      honestLife(a, { deploys: rng.int(0, 3), pay: rng.chance(0.1) ? 'prepaid' : 'card', roam: true });
      count('mobile');
    }
  }

  // ── operators ───────────────────────────────────────────────────────────────────────────────────
  const styles = ['crypto-wallet', 'prepaid-cards', 'careless-mailbox', 'stealthy'];
  const operators: OperatorTruth[] = [];
  persona = 'operator';
  for (let k = 0; k < (options.operators ?? 4); k++) {
    const style = styles[k % styles.length] as string;
    const [brand, lures] = rng.pick(LURES);
    const prep = start + (3 + rng.next() * (days - 12)) * DAY;
    const launch = prep + (1 + rng.next() * 4) * DAY;
    const n = style === 'stealthy' ? rng.int(3, 5) : rng.int(5, 10);
    const wallet = `T${rng.hex(33)}`;
    const prepaid = Array.from({ length: 2 }, () => `prepaid-${rng.hex(12)}`);
    const devices = Array.from({ length: style === 'stealthy' ? n : 2 }, device);
    const base = `${rng.pick(FIRST)}${rng.int(100, 999)}`;
    const domains = lures
      .slice(0, rng.int(2, lures.length))
      .map((l) => `${l}${rng.chance(0.5) ? `-${rng.int(1, 99)}` : ''}.${rng.pick(LURE_TLDS)}`);
    const accounts: string[] = [];
    let firstDeploy = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const provider = i % 2 === 0 ? main : second;
      const created = prep + (style === 'stealthy' ? rng.next() * 4 * DAY : rng.exp(8 * HOUR));
      const net = style === 'stealthy' ? residential() : rng.chance(0.7) ? hosting() : residential();
      const email =
        style === 'careless-mailbox'
          ? `${base}+${i}@gmail.com`
          : rng.chance(style === 'stealthy' ? 0.1 : 0.5)
            ? `${rng.hex(8)}@${rng.pick(DISPOSABLE)}`
            : `${person()}${rng.int(1, 99)}@${rng.pick(FREE_MAIL)}`;
      const a = account(
        provider,
        created,
        email,
        net,
        style === 'stealthy' ? (devices[i] as string) : rng.pick(devices),
      );
      accounts.push(`account:${provider}/${a.id}`);
      const payAt = created + rng.exp(2 * HOUR);
      if (style === 'crypto-wallet') {
        emit({
          type: 'payment.method_added',
          provider,
          account_id: a.id,
          ts: payAt,
          method: 'crypto',
          fingerprint: `w-${wallet.slice(-8)}-${i}`,
          wallet_address: wallet,
          chain: 'tron',
        });
      } else if (style === 'prepaid-cards') {
        emit({
          type: 'payment.method_added',
          provider,
          account_id: a.id,
          ts: payAt,
          method: 'prepaid',
          fingerprint: rng.pick(prepaid),
          bin_country: 'US',
        });
      } else if (style === 'careless-mailbox') {
        emit({
          type: 'payment.method_added',
          provider,
          account_id: a.id,
          ts: payAt,
          method: rng.pick(['voucher', 'crypto']),
          fingerprint: `v-${rng.hex(10)}`,
          ...(rng.chance(0.5) ? { wallet_address: `0x${rng.hex(40)}`, chain: 'eth' } : {}),
        });
      } else {
        emit({
          type: 'payment.method_added',
          provider,
          account_id: a.id,
          ts: payAt,
          method: 'card',
          fingerprint: card(),
          bin_country: a.net.country,
        });
      }
      // Launch: a login from elsewhere, then a burst of deployments with lookalike domains attached.
      const go = launch + rng.exp(6 * HOUR);
      const away = hosting();
      emit({
        type: 'login',
        provider,
        account_id: a.id,
        ts: go - rng.exp(HOUR),
        ip: away.ip,
        asn: away.asn,
        country: rng.pick(['RU', 'NG', 'VN', 'BR', 'US']),
        device_id: device(),
      });
      const deploys = style === 'stealthy' ? rng.int(1, 3) : rng.int(8, 25);
      let t = go;
      for (let d = 0; d < deploys; d++) {
        t += rng.exp(style === 'stealthy' ? 10 * HOUR : 20 * 60_000);
        const domain = rng.pick(domains);
        emit({
          type: 'deployment.created',
          provider,
          account_id: a.id,
          ts: t,
          kind: rng.pick(['worker', 'site', 'function']),
          url: `https://${domain}/login`,
          domains: [domain],
        });
        if (t < firstDeploy) firstDeploy = t;
      }
      if (style !== 'stealthy')
        for (const d of domains)
          emit({ type: 'domain.attached', provider, account_id: a.id, ts: go + rng.exp(HOUR), domain: d });
    }
    operators.push({
      id: `op-${k + 1}`,
      style: `${style} (${brand})`,
      accounts,
      firstDeploymentAt: new Date(firstDeploy).toISOString(),
      lookalikeDomains: domains,
    });
  }

  out.sort((a, b) => a.arrival - b.arrival || a.seq - b.seq);
  return {
    events: out.map((p) => p.event),
    personaOf,
    truth: {
      seed: String(options.seed),
      start: new Date(start).toISOString(),
      days,
      providers: [main, second],
      honestAccounts: made,
      personas,
      operators,
      events: out.length,
      ...counts,
    },
  };
}
