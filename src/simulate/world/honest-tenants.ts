/**
 * Honest cloud tenants of a world, on both providers. The hard cases are deliberate: organisations
 * that onboard dozens of staff from one office address with one corporate mail domain within days
 * (a linked burst that is not an operator), sign-ups through hosting ranges and shared VPN exits,
 * honest crypto payers (some paying straight from an exchange's hot wallet, which thousands share),
 * families sharing a laptop and a card, agencies opening client accounts in batches, CI-heavy
 * developers and start-ups that attach many domains and deploy all day.
 * @module
 */
import type { Rng } from '../rng.js';
import { type Chain, newWallet, type Wallet } from '../wallets.js';
import type { EventFeed } from './events.js';
import type { Ledger } from './ledger.js';
import { constructedName, type NameRegistry } from './names.js';
import type { Net, Networks } from './networks.js';
import type { WorldParams } from './params.js';
import { FIRST_NAMES, FREE_MAIL, LAST_NAMES } from './vocab.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const DISPOSABLE = ['mailinator.com', 'guerrillamail.com', 'yopmail.com', 'temp-mail.org', 'sharklasers.com'];

export interface AttachedName {
  readonly name: string;
  /** When it first needs a certificate. */
  readonly at: number;
  readonly owner: 'organisation' | 'tenant';
}

export interface OrganisationTruth {
  readonly domain: string;
  readonly provider: string;
  readonly staff: number;
  readonly officeIp: string;
  readonly hostingEgress: boolean;
  readonly firstSignup: string;
  readonly lastSignup: string;
}

export interface HonestTenants {
  readonly accounts: number;
  readonly personas: Record<string, number>;
  readonly names: AttachedName[];
  readonly organisations: OrganisationTruth[];
  /** Honest accounts whose payments came from a wallet (self-custody or an exchange). */
  readonly cryptoPayers: number;
  /** Persona of every honest account key, for error analysis (kept out of `truth.json`). */
  readonly personaOf: Map<string, string>;
}

interface Acct {
  readonly provider: string;
  readonly id: string;
  readonly created: number;
  readonly net: Net;
  readonly dev: string;
}

export function honestTenants(
  rng: Rng,
  params: WorldParams,
  feed: EventFeed,
  nets: Networks,
  names: NameRegistry,
  ledger: Ledger,
): HonestTenants {
  const h = params.honest;
  const start = Date.parse(params.start);
  const end = start + params.days * DAY;
  const [main, second] = params.providers;
  const personas: Record<string, number> = {};
  const personaOf = new Map<string, string>();
  const attached: AttachedName[] = [];
  const organisations: OrganisationTruth[] = [];
  let made = 0;
  let cryptoPayers = 0;
  const when = () => start + rng.next() * params.days * DAY;
  const device = () => `dev-${rng.hex(12)}`;
  const person = () =>
    `${rng.pick(FIRST_NAMES)}${rng.pick(['.', '_', ''])}${rng.pick(LAST_NAMES)}${rng.int(1, 9999)}${rng.hex(2)}`;
  const card = () => `card-${rng.hex(16)}`;
  const provider = () => (rng.chance(0.6) ? main : second);
  const newDomain = (at: number, owner: AttachedName['owner']): string => {
    const n = names.claim(() => constructedName(rng, 0)) as string;
    attached.push({ name: n, at, owner });
    return n;
  };

  const account = (p: string, at: number, email: string, net: Net, dev: string, persona: string): Acct => {
    const id = feed.accountId(p === main ? 'a' : 'b');
    // Every counted account signs up inside the month.
    const created = Math.min(at, end - 2 * HOUR);
    personaOf.set(`account:${p}/${id}`, persona);
    personas[persona] = (personas[persona] ?? 0) + 1;
    made += 1;
    feed.emit({
      type: 'account.created',
      provider: p,
      account_id: id,
      ts: created,
      email,
      ip: net.ip,
      asn: net.asn,
      country: net.country,
      device_id: dev,
      user_agent: 'Mozilla/5.0',
    });
    return { provider: p, id, created, net, dev };
  };

  /** An honest account's month: a payment method, some deployments and logins, attached domains. */
  const life = (
    a: Acct,
    o: {
      deploys: number;
      pay: 'card' | 'bank' | 'crypto' | 'prepaid';
      fp?: string;
      wallet?: Wallet;
      domains?: readonly string[];
      heavy?: boolean;
      roam?: boolean;
    },
  ) => {
    let t = a.created + rng.exp(6 * HOUR);
    const fp = o.fp ?? (o.wallet ? `w-${o.wallet.address.slice(-12)}` : card());
    const walletFields = o.wallet ? { wallet_address: o.wallet.address, chain: o.wallet.chain } : {};
    if (rng.chance(0.85) || o.wallet) {
      feed.emit({
        type: 'payment.method_added',
        provider: a.provider,
        account_id: a.id,
        ts: t,
        method: o.pay,
        fingerprint: fp,
        ...walletFields,
        ...(o.pay === 'card' ? { bin_country: rng.chance(0.97) ? a.net.country : 'US' } : {}),
      });
    }
    for (let i = 0; i < o.deploys; i++) {
      t += o.heavy ? rng.exp(1.5 * HOUR) : rng.exp(3 * DAY);
      if (t > end) break;
      if (rng.chance(0.5)) {
        const net = o.roam && rng.chance(0.3) ? nets.mobile() : a.net;
        feed.emit({
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
      const site = o.domains && o.domains.length > 0 && rng.chance(0.5) ? rng.pick(o.domains) : undefined;
      feed.emit({
        type: 'deployment.created',
        provider: a.provider,
        account_id: a.id,
        ts: t,
        kind: rng.pick(['site', 'worker', 'function', 'bucket', 'vm']),
        ...(site ? { url: `https://${site}/`, domains: [site] } : {}),
      });
      if (rng.chance(0.3))
        feed.emit({
          type: 'resource.usage',
          provider: a.provider,
          account_id: a.id,
          ts: t + HOUR,
          metric: 'requests',
          value: rng.int(10, 100_000),
        });
    }
    for (const d of o.domains ?? [])
      feed.emit({
        type: 'domain.attached',
        provider: a.provider,
        account_id: a.id,
        ts: a.created + rng.exp(2 * DAY),
        domain: d,
      });
    if (rng.chance(0.6) || o.wallet) {
      const at = Math.min(end - HOUR, a.created + rng.range(1, 20) * DAY);
      const usd = rng.int(5, 400);
      feed.emit({
        type: 'payment.made',
        provider: a.provider,
        account_id: a.id,
        ts: at,
        method: o.pay,
        fingerprint: fp,
        ...walletFields,
        amount: usd,
        currency: 'USD',
      });
      if (o.wallet) ledger.pay(at, o.wallet, a.provider, usd);
    }
  };

  const weights = Object.entries(h.personas) as [string, number][];
  while (made < params.honestTenants) {
    const persona = rng.weighted(weights);
    if (persona === 'individual' || persona === 'vpn-user' || persona === 'mobile') {
      const net =
        persona === 'vpn-user'
          ? nets.vpn()
          : persona === 'mobile' || rng.chance(0.2)
            ? nets.mobile()
            : nets.residential();
      const email = `${person()}@${rng.pick(FREE_MAIL)}`;
      const p = provider();
      const created = when();
      const a = account(p, created, email, net, device(), persona);
      const domains = rng.chance(0.15) ? [newDomain(created, 'tenant')] : [];
      life(a, {
        deploys: rng.int(0, 6),
        pay: rng.chance(0.15) ? 'bank' : rng.chance(0.04) ? 'prepaid' : 'card',
        domains,
        roam: persona === 'mobile' || rng.chance(0.1),
      });
      if (rng.chance(h.secondCloudShare) && made < params.honestTenants) {
        // The same person on the other cloud, with the same mailbox and laptop: cross-provider, honest.
        const b = account(
          p === main ? second : main,
          when(),
          email.replace('@', rng.chance(0.5) ? '+cloud@' : '@'),
          net,
          a.dev,
          `${persona}-second-cloud`,
        );
        life(b, { deploys: rng.int(0, 3), pay: 'card' });
      }
    } else if (persona === 'organisation') {
      // Staff of one organisation onboard within days: one office address, one mail domain, often one card.
      const p = provider();
      const t0 = when();
      const domain = newDomain(t0, 'organisation');
      const hostingEgress = rng.chance(h.orgHostingEgress);
      const office = hostingEgress ? nets.hosting() : nets.residential();
      const companyCard = card();
      const n = Math.min(rng.int(h.orgSize[0], h.orgSize[1]), params.honestTenants - made);
      let first = Number.POSITIVE_INFINITY;
      let last = 0;
      for (let i = 0; i < n; i++) {
        const created = Math.min(end - HOUR, t0 + rng.next() * h.orgOnboardDays * DAY);
        first = Math.min(first, created);
        last = Math.max(last, created);
        const a = account(
          p,
          created,
          `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}${i}@${domain}`,
          office,
          device(),
          persona,
        );
        life(a, {
          deploys: rng.int(0, 5),
          pay: 'card',
          ...(rng.chance(0.5) ? { fp: companyCard } : {}),
          domains: i === 0 ? [domain] : i === 1 && rng.chance(0.5) ? [`app.${domain}`] : [],
        });
      }
      if (n > 0)
        organisations.push({
          domain,
          provider: p,
          staff: n,
          officeIp: office.ip,
          hostingEgress,
          firstSignup: new Date(first).toISOString(),
          lastSignup: new Date(last).toISOString(),
        });
    } else if (persona === 'family') {
      const n = Math.min(rng.int(2, 4), params.honestTenants - made);
      const net = nets.residential();
      const laptop = device();
      const fam = card();
      const t0 = when();
      const p = provider();
      for (let i = 0; i < n; i++) {
        const a = account(
          p,
          t0 + (rng.chance(0.4) ? rng.exp(2 * HOUR) : rng.exp(6 * DAY)),
          `${person()}@${rng.pick(FREE_MAIL)}`,
          net,
          rng.chance(0.5) ? laptop : device(),
          persona,
        );
        life(a, { deploys: rng.int(0, 3), pay: 'card', ...(rng.chance(0.6) ? { fp: fam } : {}) });
      }
    } else if (persona === 'agency') {
      const agency = names.claim(() => constructedName(rng, 0)) as string;
      attached.push({ name: agency, at: when(), owner: 'organisation' });
      const net = nets.residential();
      const agencyCard = card();
      const ops = rng.pick(['ops', 'dev', 'hosting', 'admin']);
      let t = when();
      const n = Math.min(rng.int(5, 15), params.honestTenants - made);
      const p = provider();
      for (let i = 0; i < n; i++) {
        t += rng.chance(0.5) ? rng.exp(30 * 60_000) : rng.exp(2 * DAY);
        const a = account(
          p,
          Math.min(t, end - HOUR),
          rng.chance(0.5) ? `${ops}+client${i}@${agency}` : `${person()}@${agency}`,
          net,
          device(),
          persona,
        );
        const domains = Array.from({ length: rng.int(1, 3) }, () => newDomain(t, 'tenant'));
        life(a, { deploys: rng.int(2, 10), pay: 'card', fp: agencyCard, domains });
      }
    } else if (persona === 'ci-developer' || persona === 'startup') {
      const created = when();
      const a = account(
        provider(),
        created,
        `${person()}@${rng.pick(FREE_MAIL)}`,
        nets.hosting(),
        device(),
        persona,
      );
      const domains =
        persona === 'startup'
          ? Array.from({ length: rng.int(1, 6) }, () => newDomain(created, 'tenant'))
          : [];
      life(a, {
        deploys: persona === 'startup' ? rng.int(10, 60) : rng.int(5, 40),
        pay: 'card',
        heavy: rng.chance(0.5),
        domains,
      });
    } else if (persona === 'disposable-mail') {
      const a = account(
        provider(),
        when(),
        `${person()}${rng.int(1, 9999)}@${rng.pick(DISPOSABLE)}`,
        nets.residential(),
        device(),
        persona,
      );
      life(a, { deploys: rng.int(0, 4), pay: rng.chance(0.3) ? 'prepaid' : 'card' });
    } else {
      // An honest crypto payer: a self-custody wallet, or (15%) straight from an exchange's hot wallet.
      const chain = rng.weighted<Chain>([
        ['ethereum', 3],
        ['bitcoin', 2],
        ['tron', 3],
      ]);
      const fromExchange = rng.chance(0.15);
      const wallet = fromExchange ? ledger.exchange(chain) : newWallet(rng, chain);
      const created = when();
      const a = account(
        provider(),
        created,
        `${person()}@${rng.pick(FREE_MAIL)}`,
        rng.chance(0.2) ? nets.vpn() : nets.residential(),
        device(),
        persona,
      );
      cryptoPayers += 1;
      life(a, {
        deploys: rng.int(0, 8),
        pay: 'crypto',
        wallet,
        domains: rng.chance(0.3) ? [newDomain(created, 'tenant')] : [],
      });
    }
  }
  return { accounts: made, personas, names: attached, organisations, cryptoPayers, personaOf };
}
