/**
 * Operators modelled on RaccoonO365: a crew that opens linked accounts on both providers in sign-up
 * bursts (shared devices, shared payment instruments and wallets, hosting and VPN addresses), pays in
 * crypto, registers lookalike, lure-only and hex-slug names and `workers.dev`-style tenant hosts from
 * its own templates, gets certificates for them (several names on one certificate), deploys
 * CAPTCHA-gated Microsoft 365 sign-in clones, and only later sends the first lure (go-live).
 * @module
 */
import type { Rng } from '../rng.js';
import { type Chain, newWallet, type Wallet } from '../wallets.js';
import type { EventFeed } from './events.js';
import type { Ledger } from './ledger.js';
import { type NameRegistry, operatorName } from './names.js';
import type { Net, Networks } from './networks.js';
import type { ExfilKind, NameKind, OperatorParams, PageVariant, WorldParams } from './params.js';
import { FIRST_NAMES, LAST_NAMES } from './vocab.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DISPOSABLE = [
  'mailinator.com',
  'guerrillamail.com',
  'yopmail.com',
  'temp-mail.org',
  'sharklasers.com',
  '10minutemail.com',
];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'hotmail.com', 'proton.me', 'yandex.ru', 'mail.ru'];

export interface OperatorNameRecord {
  readonly name: string;
  readonly kind: NameKind;
  readonly template: string;
  /** The account it is attached to or deployed from, if any. */
  account?: string;
  readonly registeredAt: number;
  /** When the first lure pointed at it (names with a kit page only). */
  liveAt?: number;
}

export interface KitPageSpec {
  readonly host: string;
  readonly operator: string;
  readonly variant: PageVariant;
  readonly exfil: ExfilKind;
  readonly endpoint: string;
  readonly wallet?: Wallet;
  readonly deployedAt: number;
  readonly liveAt: number;
  /** The operator's kit build (element ids, variable names) so an operator's pages look alike. */
  readonly build: string;
}

export interface CertRequest {
  readonly at: number;
  readonly names: readonly string[];
  readonly operator?: string;
}

export interface OperatorBuild {
  readonly params: OperatorParams;
  readonly accounts: string[];
  readonly names: OperatorNameRecord[];
  readonly wallets: Wallet[];
  readonly cashOut: Wallet[];
  /**
   * Fresh addresses a sweep paid into on a chain the cash-out cluster does not hold (filled in by
   * `transactions`): the operator's too, so the truth lists them with its cash-out wallets.
   */
  readonly sweptTo: Wallet[];
  readonly telegramBots: string[];
  readonly webhooks: string[];
  readonly kitPages: KitPageSpec[];
  readonly certRequests: CertRequest[];
  readonly preparedAt: number;
  readonly firstDeploymentAt: number;
  readonly goLiveAt: number;
}

export function buildOperator(
  rng: Rng,
  params: WorldParams,
  op: OperatorParams,
  feed: EventFeed,
  nets: Networks,
  names: NameRegistry,
  ledger: Ledger,
): OperatorBuild {
  const start = Date.parse(params.start);
  const prepStart = start + op.startDay * DAY;
  const goLiveAt = prepStart + op.prepDays * DAY;
  const [main, second] = params.providers;
  const device = () => `dev-${rng.hex(12)}`;
  const devices = Array.from({ length: op.devices }, device);
  const ownIps: Net[] = Array.from({ length: rng.int(1, 3) }, () => nets.hosting());
  const wallets: Wallet[] = Array.from({ length: op.wallets }, (_, i) =>
    newWallet(rng, op.chains[i % op.chains.length] as Chain),
  );
  const cashOut: Wallet[] = Array.from({ length: rng.int(1, 3) }, () => newWallet(rng, rng.pick(op.chains)));
  const prepaid = Array.from({ length: rng.int(1, 3) }, () => `prepaid-${rng.hex(12)}`);
  const baseMailbox = `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}${rng.int(10, 99)}`;
  const botId = `${rng.int(5_000_000_000, 7_999_999_999)}`;
  const telegramBots = [`${botId}:AA${rng.hex(8).toUpperCase()}${rng.hex(25)}`];
  const webhookHost = `${rng.hex(6)}-${rng.pick(['relay', 'gate', 'panel', 'api'])}.${rng.pick(['ru', 'xyz', 'top', 'online'])}`;
  names.add(webhookHost);
  const webhooks = [
    `https://${webhookHost}/${rng.pick(['next.php', 'post.php', 'gate.php', 'api/v1/collect'])}`,
  ];
  const build = rng.hex(6);

  // ── accounts: sign-up bursts during the first part of the preparation ──
  const burstCentres = Array.from(
    { length: op.bursts },
    () => prepStart + rng.range(0, op.prepDays * 0.5) * DAY,
  );
  const accounts: { key: string; provider: string; id: string; created: number; slug: string }[] = [];
  for (let i = 0; i < op.accounts; i++) {
    const provider = rng.chance(op.firstProviderShare) ? main : second;
    const created = (rng.pick(burstCentres) as number) + rng.next() * op.burstHours * HOUR;
    const net = rng.chance(0.6) ? rng.pick(ownIps) : rng.chance(0.6) ? nets.vpn() : nets.residential();
    const email =
      op.emailStyle === 'disposable'
        ? `${rng.hex(8)}@${rng.pick(DISPOSABLE)}`
        : op.emailStyle === 'plus-tagged' && rng.chance(0.6)
          ? `${baseMailbox}+${rng.hex(3)}@gmail.com`
          : `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}${rng.int(1, 9999)}@${rng.pick(FREE_MAIL)}`;
    const id = feed.accountId(provider === main ? 'a' : 'b');
    const dev = rng.chance(0.8) ? rng.pick(devices) : device();
    feed.emit({
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
    const payAt = created + rng.exp(2 * HOUR);
    const crypto = rng.chance(op.cryptoShare);
    const wallet = rng.pick(wallets);
    const method = crypto ? 'crypto' : rng.chance(0.7) ? 'prepaid' : 'voucher';
    const fp = crypto
      ? `w-${wallet.address.slice(-12)}`
      : method === 'prepaid'
        ? rng.pick(prepaid)
        : `v-${rng.hex(10)}`;
    const payFields = crypto ? { wallet_address: wallet.address, chain: wallet.chain } : {};
    feed.emit({
      type: 'payment.method_added',
      provider,
      account_id: id,
      ts: payAt,
      method,
      fingerprint: fp,
      ...payFields,
    });
    const usd = rng.int(5, 60);
    const paidAt = payAt + rng.exp(HOUR);
    feed.emit({
      type: 'payment.made',
      provider,
      account_id: id,
      ts: paidAt,
      method,
      fingerprint: fp,
      ...payFields,
      amount: usd,
      currency: 'USD',
    });
    if (crypto) ledger.pay(paidAt, wallet, provider, usd);
    accounts.push({
      key: `account:${provider}/${id}`,
      provider,
      id,
      created,
      slug: `${rng.pick(['dev', 'app', 'team', 'acc'])}-${rng.hex(5)}`,
    });
  }
  const workersAccounts = accounts.filter((a) => a.provider === main);
  const anyAccounts = accounts;

  // ── names, registered through the preparation window ──
  const kinds = Object.entries(op.nameMix) as [NameKind, number][];
  const records: OperatorNameRecord[] = [];
  for (let i = 0; i < op.names; i++) {
    let kind = rng.weighted(kinds);
    if (kind === 'tenant-subdomain' && workersAccounts.length === 0) kind = 'lure';
    const owner = kind === 'tenant-subdomain' ? rng.pick(workersAccounts) : rng.pick(anyAccounts);
    let made: ReturnType<typeof operatorName> | undefined;
    const name = names.claim(() => {
      made = operatorName(rng, op, kind, owner?.slug ?? 'acc');
      return made.name;
    }, 40);
    if (!name || !made) continue;
    const registeredAt =
      Math.max(owner?.created ?? prepStart, prepStart) + rng.range(0, op.prepDays * 0.8) * DAY;
    records.push({
      name,
      kind,
      template: (made as ReturnType<typeof operatorName>).template,
      registeredAt: Math.min(registeredAt, goLiveAt - HOUR),
      ...(owner && (kind === 'tenant-subdomain' || rng.chance(0.7)) ? { account: owner.key } : {}),
    });
  }

  // ── certificates: registrable names share certificates in the operator's habit ──
  const certRequests: CertRequest[] = [];
  const registrable = records.filter((r) => r.kind !== 'tenant-subdomain');
  for (let i = 0; i < registrable.length; ) {
    const group = registrable.slice(i, i + Math.max(1, op.namesPerCertificate - (rng.chance(0.3) ? 1 : 0)));
    i += group.length;
    const at = Math.max(...group.map((g) => g.registeredAt)) + rng.exp(3 * HOUR);
    const sans = group.flatMap((g) =>
      rng.chance(0.8) ? [g.name, `www.${g.name}`] : [g.name, `*.${g.name}`],
    );
    certRequests.push({ at, names: sans, operator: op.id });
  }

  // ── events per name: attach, deploy (before go-live), kit pages ──
  const byKey = new Map(accounts.map((a) => [a.key, a]));
  const kitPages: KitPageSpec[] = [];
  let firstDeploymentAt = Number.POSITIVE_INFINITY;
  for (const r of records) {
    const a = r.account ? byKey.get(r.account) : undefined;
    if (a && r.kind !== 'tenant-subdomain')
      feed.emit({
        type: 'domain.attached',
        provider: a.provider,
        account_id: a.id,
        ts: r.registeredAt + rng.exp(2 * HOUR),
        domain: r.name,
      });
    const kit = rng.chance(op.kitShare);
    if (!kit && r.kind !== 'tenant-subdomain') continue;
    const host =
      r.kind !== 'tenant-subdomain' && rng.chance(0.2)
        ? `${rng.pick(['login', 'secure', 'auth', rng.hex(4)])}.${r.name}`
        : r.name;
    const deployedAt = Math.min(goLiveAt - HOUR * rng.range(1, 24), r.registeredAt + rng.range(2, 30) * HOUR);
    if (a) {
      feed.emit({
        type: 'login',
        provider: a.provider,
        account_id: a.id,
        ts: deployedAt - rng.exp(HOUR),
        ...(() => {
          const n = rng.chance(0.5) ? rng.pick(ownIps) : nets.vpn();
          return { ip: n.ip, asn: n.asn, country: n.country };
        })(),
        device_id: rng.chance(0.7) ? rng.pick(devices) : device(),
      });
      feed.emit({
        type: 'deployment.created',
        provider: a.provider,
        account_id: a.id,
        ts: deployedAt,
        kind: r.kind === 'tenant-subdomain' ? 'worker' : rng.pick(['site', 'worker', 'function']),
        url: `https://${host}/${rng.pick(['', 'login', 'auth/', 'secure/?id=' + rng.hex(8)])}`,
        domains: [host],
      });
      firstDeploymentAt = Math.min(firstDeploymentAt, deployedAt);
    }
    if (!kit) continue;
    const liveAt = goLiveAt + rng.exp(op.prepDays * 0.3 * DAY);
    r.liveAt = liveAt;
    const exfil = rng.chance(0.9) ? op.exfil : op.exfil === 'telegram' ? 'webhook' : 'telegram';
    kitPages.push({
      host,
      operator: op.id,
      variant: rng.weighted(Object.entries(op.pageVariants) as [PageVariant, number][]),
      exfil,
      endpoint:
        exfil === 'telegram'
          ? `https://api.telegram.org/bot${telegramBots[0]}/sendMessage`
          : (webhooks[0] as string),
      ...(rng.chance(op.walletOnPage) ? { wallet: rng.pick(wallets) } : {}),
      deployedAt,
      liveAt,
      build,
    });
  }
  // Host names under registrable operator names (login.<name>) belong to the operator too.
  for (const p of kitPages)
    if (!records.some((r) => r.name === p.host)) {
      const parent = records.find((r) => p.host.endsWith(`.${r.name}`));
      if (parent) certRequests.push({ at: p.deployedAt - rng.exp(HOUR), names: [p.host], operator: op.id });
    }
  return {
    params: op,
    accounts: accounts.map((a) => a.key),
    names: records,
    wallets,
    cashOut,
    sweptTo: [],
    telegramBots,
    webhooks,
    kitPages,
    certRequests,
    preparedAt: Math.min(...accounts.map((a) => a.created)),
    firstDeploymentAt,
    goLiveAt,
  };
}
