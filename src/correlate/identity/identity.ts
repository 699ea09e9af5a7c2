/**
 * Identity across providers: the attributes an event binds to an account (mailbox, payment
 * fingerprint, wallet, device, IP, hosting ASN), normalised so that the same person or operator gets
 * the same key on every provider, each with its link pivot and the class of its value (a hosting or a
 * mobile-carrier address, a company's or a free mail domain). The strength comes from the pivot model
 * (`../pivots.ts`), which gives ubiquitous classes (a big mail provider's domain, a CGNAT or
 * mobile-carrier address, an ISP's ASN) none: such values bind nothing, since they would weld
 * unrelated accounts together.
 * @module
 */
import { BlockList, isIP } from 'node:net';
import type { EntityKey, EntityType, LinkPivot, PivotClass, TenantEvent } from '../../domain/index.js';
import { DEFAULT_PIVOTS, type PivotModel } from '../pivots.js';
import { ipVersion } from './ip-version.js';
import { classifyMailDomain, type MailDomainClass } from './mail-domains.js';

export type AttributeKind = 'email' | 'email-domain' | 'payment' | 'wallet' | 'device' | 'ip' | 'asn';

export interface IdentityAttribute {
  readonly kind: AttributeKind;
  /** The attribute entity (`email:…`, `payment:fp:…`, `ip:…`), identical on every provider. */
  readonly key: EntityKey;
  readonly type: EntityType;
  readonly display: string;
  readonly pivot: LinkPivot;
  /** 0..1 (never 0: such values are not attributes): the pivot model's strength for the value's class. */
  readonly strength: number;
}

export interface IdentityConfig {
  /** Domains whose mailboxes ignore dots in the local part (`j.doe@gmail.com` = `jdoe@gmail.com`). */
  readonly dotInsensitiveDomains: readonly string[];
  /** Domain aliases folded onto one (`googlemail.com` → `gmail.com`). */
  readonly domainAliases: Readonly<Record<string, string>>;
  /** Sub-address separators stripped from local parts (`jdoe+cloud2@…` → `jdoe@…`). */
  readonly subaddressSeparators: readonly string[];
  /** Extra domains to treat as free mail (on top of the maintained list). */
  readonly extraFreeMailDomains: readonly string[];
  /** ASNs of mobile carriers: their addresses are shared by thousands behind carrier NAT. */
  readonly mobileAsns: readonly number[];
  /** ASNs of hosting and cloud ranges: an address there is one machine, and the ASN itself is a weak hint. */
  readonly hostingAsns: readonly number[];
  /** CIDR ranges that never link (CGNAT, private, documentation ranges are added by the code too). */
  readonly sharedRanges: readonly string[];
}

export const DEFAULT_IDENTITY_CONFIG: IdentityConfig = Object.freeze({
  dotInsensitiveDomains: ['gmail.com'],
  domainAliases: { 'googlemail.com': 'gmail.com' },
  subaddressSeparators: ['+'],
  extraFreeMailDomains: [],
  // T-Mobile US, Verizon Wireless, AT&T Mobility, Sprint, Vodafone DE/UK/IT, Telefónica DE, Orange FR
  // mobile, Jio, Airtel, China Mobile, Telkomsel, Turkcell, MTN NG, Safaricom, Claro BR, Vivo BR.
  mobileAsns: [
    21928, 6167, 20057, 10507, 3209, 25135, 30722, 6805, 51207, 55836, 45609, 9808, 23693, 16135, 29465,
    33771, 28573, 26599,
  ],
  // AWS, Google Cloud, Azure, DigitalOcean, OVH, Hetzner, Linode/Akamai, Vultr/Choopa, Contabo, Scaleway,
  // Oracle Cloud, Alibaba Cloud, Tencent Cloud, M247, Leaseweb, HostGator/Unified Layer, Hostinger.
  hostingAsns: [
    16509, 14618, 15169, 396982, 8075, 14061, 16276, 24940, 63949, 20473, 51167, 12876, 31898, 45102, 132203,
    9009, 60781, 46606, 47583,
  ],
  sharedRanges: ['100.64.0.0/10'],
});

// ── email ─────────────────────────────────────────────────────────────────────────────────────────

export interface NormalisedEmail {
  readonly mailbox: string;
  readonly domain: string;
  readonly domainClass: MailDomainClass;
}

// The tenant state normalises a sign-up's address for its own rules and again for the identity
// attributes, one call after the other: the last answer is kept.
let lastAddress: string | undefined;
let lastConfig: IdentityConfig | undefined;
let lastEmail: NormalisedEmail | undefined;

export function normaliseEmail(
  address: string,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
): NormalisedEmail | undefined {
  if (address === lastAddress && config === lastConfig) return lastEmail;
  lastEmail = normalise(address, config);
  lastAddress = address;
  lastConfig = config;
  return lastEmail;
}

function normalise(address: string, config: IdentityConfig): NormalisedEmail | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  let local = address.slice(0, at).trim().toLowerCase();
  let domain = address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  domain = config.domainAliases[domain] ?? domain;
  for (const sep of config.subaddressSeparators) {
    const i = local.indexOf(sep);
    if (i > 0) local = local.slice(0, i);
  }
  if (config.dotInsensitiveDomains.includes(domain)) local = local.replaceAll('.', '');
  if (local === '') return undefined;
  return {
    mailbox: `${local}@${domain}`,
    domain,
    domainClass: classifyMailDomain(domain, config.extraFreeMailDomains),
  };
}

// ── network ───────────────────────────────────────────────────────────────────────────────────────

const ALWAYS_SHARED: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['0.0.0.0', 8, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['::1', 128, 'ipv6'],
];

const blockLists = new WeakMap<readonly string[], BlockList>();

function sharedBlockList(ranges: readonly string[]): BlockList {
  let bl = blockLists.get(ranges);
  if (!bl) {
    bl = new BlockList();
    for (const [net, prefix, type] of ALWAYS_SHARED) bl.addSubnet(net, prefix, type);
    for (const r of ranges) {
      const [net, p] = r.split('/');
      if (net === undefined || p === undefined) throw new Error(`shared range '${r}' is not CIDR`);
      bl.addSubnet(net, Number(p), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    }
    blockLists.set(ranges, bl);
  }
  return bl;
}

/** The /64 of an IPv6 address, in a canonical textual form (`2001:db8:1:2::/64`). */
export function ipv6Prefix64(address: string): string {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

/** `residential`: an address neither shared, a mobile carrier's nor a hosting range's. */
export type NetworkClass = 'shared' | 'mobile' | 'hosting' | 'residential';

/** The private, loopback, link-local, unspecified and CGNAT (100.64.0.0/10) IPv4 ranges. */
function alwaysSharedV4(ip: string): boolean {
  const d1 = ip.indexOf('.');
  const a = Number(ip.slice(0, d1));
  const b = Number(ip.slice(d1 + 1, ip.indexOf('.', d1 + 1)));
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export function classifyNetwork(
  ip: string,
  asn: number | undefined,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
): NetworkClass {
  const v = ipVersion(ip);
  if (v === 0) return 'shared';
  // BlockList.check allocates per call; the default ranges have a fast path.
  if (v === 4 && config.sharedRanges === DEFAULT_IDENTITY_CONFIG.sharedRanges) {
    if (alwaysSharedV4(ip)) return 'shared';
  } else if (sharedBlockList(config.sharedRanges).check(ip, v === 6 ? 'ipv6' : 'ipv4')) return 'shared';
  if (asn !== undefined && config.mobileAsns.includes(asn)) return 'mobile';
  if (asn !== undefined && config.hostingAsns.includes(asn)) return 'hosting';
  return 'residential';
}

// ── attributes of an event ────────────────────────────────────────────────────────────────────────

function networkAttributes(
  ip: string,
  asn: number | undefined,
  config: IdentityConfig,
  pivots: PivotModel,
): IdentityAttribute[] {
  const cls = classifyNetwork(ip, asn, config);
  const out: IdentityAttribute[] = [];
  // An IPv6 address stands for its /64 (one subscriber's network), whatever its range.
  const v6 = ipVersion(ip) === 6;
  const ipClass: PivotClass<'same-ip'> = v6 && cls !== 'shared' && cls !== 'mobile' ? 'ipv6-prefix' : cls;
  const ipStrength = pivots.strength('same-ip', ipClass);
  if (ipStrength > 0) {
    const value = v6 ? ipv6Prefix64(ip) : ip;
    out.push({
      kind: 'ip',
      key: `ip:${value}`,
      type: 'ip',
      display: value,
      pivot: 'same-ip',
      strength: ipStrength,
    });
  }
  const asnStrength = asn === undefined ? 0 : pivots.strength('same-asn', cls);
  if (asnStrength > 0) {
    out.push({
      kind: 'asn',
      key: `asn:AS${asn}`,
      type: 'asn',
      display: `AS${asn}`,
      pivot: 'same-asn',
      strength: asnStrength,
    });
  }
  return out;
}

export function emailAttributes(
  address: string,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
  pivots: PivotModel = DEFAULT_PIVOTS,
): IdentityAttribute[] {
  const e = normaliseEmail(address, config);
  if (!e) return [];
  const out: IdentityAttribute[] = [];
  const mailbox = pivots.strength('same-email');
  if (mailbox > 0)
    out.push({
      kind: 'email',
      key: `email:${e.mailbox}`,
      type: 'email',
      display: e.mailbox,
      pivot: 'same-email',
      strength: mailbox,
    });
  // Colleagues share a company's domain; nobody is related by sharing gmail.com or a throwaway domain.
  const domain = pivots.strength('same-email-domain', e.domainClass);
  if (domain > 0) {
    out.push({
      kind: 'email-domain',
      key: `domain:${e.domain}`,
      type: 'domain',
      display: e.domain,
      pivot: 'same-email-domain',
      strength: domain,
    });
  }
  return out;
}

/** A wallet key: EVM addresses are case-insensitive hex; other chains keep their case (base58). */
export function walletKey(chain: string | undefined, address: string): EntityKey {
  const c = (chain ?? 'unknown').toLowerCase();
  const a =
    /^0x[0-9a-f]{40}$/i.test(address) || /^(bc1|tb1|ltc1)/i.test(address) ? address.toLowerCase() : address;
  return `wallet:${c}:${a}`;
}

/** Every identity attribute an event binds to its account (values whose class links nothing left out). */
export function identityAttributes(
  event: TenantEvent,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
  pivots: PivotModel = DEFAULT_PIVOTS,
): IdentityAttribute[] {
  const device = (out: IdentityAttribute[], id: string | undefined) => {
    const strength = pivots.strength('same-device');
    if (id !== undefined && strength > 0)
      out.push({
        kind: 'device',
        key: `device:${id}`,
        type: 'device',
        display: id,
        pivot: 'same-device',
        strength,
      });
  };
  switch (event.type) {
    case 'account.created':
    case 'login': {
      const out = event.type === 'account.created' ? emailAttributes(event.email, config, pivots) : [];
      device(out, event.device_id);
      out.push(...networkAttributes(event.ip, event.asn, config, pivots));
      return out;
    }
    case 'account.updated': {
      const out = event.email !== undefined ? emailAttributes(event.email, config, pivots) : [];
      device(out, event.device_id);
      return out;
    }
    case 'payment.method_added':
    case 'payment.made': {
      const out: IdentityAttribute[] = [];
      const payment = pivots.strength('same-payment');
      if (payment > 0)
        out.push({
          kind: 'payment',
          key: `payment:fp:${event.fingerprint}`,
          type: 'payment',
          display: `${event.method} ${event.fingerprint.slice(0, 24)}`,
          pivot: 'same-payment',
          strength: payment,
        });
      const wallet = pivots.strength('same-wallet');
      if (event.wallet_address !== undefined && wallet > 0) {
        const key = walletKey(event.chain, event.wallet_address);
        out.push({
          kind: 'wallet',
          key,
          type: 'wallet',
          display: key.slice('wallet:'.length),
          pivot: 'same-wallet',
          strength: wallet,
        });
      }
      return out;
    }
    case 'account.closed':
    case 'domain.attached':
    case 'deployment.created':
    case 'resource.usage':
      return [];
  }
}

export const accountKey = (provider: string, accountId: string): EntityKey =>
  `account:${provider}/${accountId}`;
