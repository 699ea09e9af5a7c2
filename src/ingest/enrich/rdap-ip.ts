/**
 * RDAP (RFC 9082/9083) lookups of IP networks, for the abuse contact of the network that hosts an
 * address: the Regional Internet Registry from the IANA IP bootstrap files (`ipv4.json`, `ipv6.json`,
 * RFC 9224, longest prefix), `<base>/ip/<address>`, and the `ip network` object's handle, range
 * (`startAddress`/`endAddress`, or the `cidr0_cidrs` extension), name, country, registrant and abuse
 * contact (the `abuse` entity's vCard e-mail, nested under the registrant as ARIN does, or at the top
 * as RIPE NCC and APNIC do). One answer covers its whole range: the client caches per network, so
 * every further address of that network is answered without a request. Polite like domain RDAP (the
 * same HTTP client): one request at a time per RDAP server with a minimum interval, bounded retries
 * with backoff (429 honoured).
 * @module
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { isPrecursorError, PrecursorError } from '../../domain/index.js';
import { hostThrottle, politeGetJson, type RetryPolicy } from '../sources/ct/polite-fetch.js';
import { type RdapEntity, vcardField } from './rdap.js';

type Family = 'ipv4' | 'ipv6';

export interface IpNetworkFacts {
  /** The network's name (`CHIX`, `BBIXINTLNET`). */
  readonly network?: string;
  readonly networkHandle?: string;
  /** The range as CIDR blocks (from `cidr0_cidrs`, else `start - end`). */
  readonly networkCidr?: readonly string[];
  readonly networkStart?: string;
  readonly networkEnd?: string;
  /** `ALLOCATED PA`, `DIRECT ALLOCATION`, … as the registry names it. */
  readonly networkType?: string;
  /** The organisation holding the network (the `registrant` entity's name). */
  readonly registrant?: string;
  readonly abuseEmail?: string;
  readonly country?: string;
  /** Which registry answered (`ARIN`, `RIPE NCC`, `APNIC`, `LACNIC`, `AFRINIC`, or its host name). */
  readonly rir?: string;
}

interface BootstrapEntry {
  readonly family: Family;
  readonly bits: number;
  readonly block: BlockList;
  readonly urls: readonly string[];
}

/** IP prefix → RDAP base URLs (https preferred), from IANA's `ipv4.json` and `ipv6.json`. */
export type IpRdapBootstrap = readonly BootstrapEntry[];

const bootstrapSchema = z.object({
  services: z.array(z.tuple([z.array(z.string()), z.array(z.string())])),
});

const familyOf = (addr: string): Family | undefined => {
  const v = isIP(addr);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
};

/** Parses one or more IP bootstrap files (the IPv4 and the IPv6 one) into a single table. */
export function parseIpRdapBootstrap(...files: unknown[]): IpRdapBootstrap {
  const entries: BootstrapEntry[] = [];
  for (const json of files) {
    const r = bootstrapSchema.safeParse(json);
    if (!r.success)
      throw new PrecursorError(
        'VALIDATION_FAILED',
        `invalid RDAP IP bootstrap file: ${r.error.issues[0]?.message ?? ''}`,
      );
    for (const [prefixes, urls] of r.data.services) {
      const sorted = [...urls]
        .filter((u) => /^https?:\/\//i.test(u))
        .sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')))
        .map((u) => (u.endsWith('/') ? u : `${u}/`));
      if (sorted.length === 0) continue;
      for (const p of prefixes) {
        const [addr = '', len] = p.split('/');
        const family = familyOf(addr);
        const bits = Number(len);
        if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv4' ? 32 : 128))
          throw new PrecursorError('VALIDATION_FAILED', `invalid RDAP IP bootstrap file: bad prefix '${p}'`);
        const block = new BlockList();
        block.addSubnet(addr, bits, family);
        entries.push({ family, bits, block, urls: sorted });
      }
    }
  }
  return entries;
}

/** The RDAP base URL for an address: the longest bootstrap prefix that contains it. */
export function ipRdapBaseFor(bootstrap: IpRdapBootstrap, addr: string): string | undefined {
  const family = familyOf(addr);
  if (!family) return undefined;
  let best: BootstrapEntry | undefined;
  for (const e of bootstrap)
    if (e.family === family && (!best || e.bits > best.bits) && e.block.check(addr, family)) best = e;
  return best?.urls[0];
}

/** The canonical text of an address (IPv6 compressed, lower case), as DNS enrichment keys `ip:` entities. */
export function canonicalIp(addr: string): string | undefined {
  const family = familyOf(addr.trim());
  if (family === 'ipv4') return addr.trim();
  if (family === 'ipv6') return new URL(`http://[${addr.trim()}]/`).hostname.slice(1, -1);
  return undefined;
}

/**
 * Special-purpose blocks (RFC 6890 and the IANA special-purpose registries: private, loopback,
 * link-local, shared, documentation, benchmarking, multicast, reserved): no registry holds a network
 * for them, so they are never looked up.
 */
const blockOf = (family: Family, cidrs: readonly string[]): BlockList => {
  const b = new BlockList();
  for (const c of cidrs) {
    const [a = '', n] = c.split('/');
    b.addSubnet(a, Number(n), family);
  }
  return b;
};
// One list per family: node's BlockList matches an IPv4 address against IPv6 rules too (as
// `::ffff:a.b.c.d`), so `::/8` would swallow every IPv4 address.
const SPECIAL: Readonly<Record<Family, BlockList>> = {
  ipv4: blockOf('ipv4', [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/3',
  ]),
  ipv6: blockOf('ipv6', [
    '::/8',
    '64:ff9b::/96',
    '100::/64',
    '2001:db8::/32',
    'fc00::/7',
    'fe80::/10',
    'ff00::/8',
  ]),
};

/** Whether an address is in a special-purpose block (private, documentation, …): nobody's network. */
export function isSpecialPurposeIp(addr: string): boolean {
  const family = familyOf(addr);
  return family !== undefined && SPECIAL[family].check(addr, family);
}

const RIRS: ReadonlyArray<[RegExp, string]> = [
  [/(^|\.)arin\.net$/, 'ARIN'],
  [/(^|\.)ripe\.net$/, 'RIPE NCC'],
  [/(^|\.)apnic\.net$/, 'APNIC'],
  [/(^|\.)lacnic\.net$/, 'LACNIC'],
  [/(^|\.)afrinic\.net$/, 'AFRINIC'],
];
const rirOf = (base: string): string => {
  const host = new URL(base).hostname.toLowerCase();
  return RIRS.find(([re]) => re.test(host))?.[1] ?? host;
};

/** The shallowest entity with `role` (registries nest the abuse contact under the registrant). */
function findRole(entities: unknown, role: string, want: (e: RdapEntity) => boolean): RdapEntity | undefined {
  let level: unknown[] = Array.isArray(entities) ? entities : [];
  // Bounded: a hostile answer cannot make the walk deep or long.
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const x of level.slice(0, 200)) {
      if (x === null || typeof x !== 'object') continue;
      const e = x as RdapEntity;
      if (Array.isArray(e.roles) && e.roles.includes(role) && want(e)) return e;
      if (Array.isArray(e.entities)) next.push(...e.entities);
    }
    level = next;
  }
  return undefined;
}

const safeVcard = (e: RdapEntity | undefined, field: string): string | undefined =>
  Array.isArray(e?.vcardArray?.[1]) ? vcardField(e, field) : undefined;

interface NetworkRange {
  readonly family: Family;
  readonly block: BlockList;
}

/**
 * The facts of an RDAP `ip network` response (RFC 9083 §5.4) and the range they hold for, or
 * undefined when the document is not an ip network object. Lenient about missing parts.
 */
export function ipNetworkFacts(doc: unknown): { facts: IpNetworkFacts; range?: NetworkRange } | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if (d.objectClassName !== 'ip network' && typeof d.startAddress !== 'string') return undefined;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  const start = canonicalIp(text(d.startAddress) ?? '');
  const end = canonicalIp(text(d.endAddress) ?? '');
  const cidrs = (Array.isArray(d.cidr0_cidrs) ? d.cidr0_cidrs : []).flatMap((c: unknown) => {
    const x = (c ?? {}) as { v4prefix?: unknown; v6prefix?: unknown; length?: unknown };
    const prefix = canonicalIp(text(x.v4prefix) ?? text(x.v6prefix) ?? '');
    const length = Number(x.length);
    const family = prefix ? familyOf(prefix) : undefined;
    return prefix &&
      family &&
      Number.isInteger(length) &&
      length >= 0 &&
      length <= (family === 'ipv4' ? 32 : 128)
      ? [{ prefix, length, family }]
      : [];
  });
  let range: NetworkRange | undefined;
  const family = start ? familyOf(start) : cidrs[0]?.family;
  if (family) {
    const block = new BlockList();
    try {
      if (start && end && familyOf(end) === family) block.addRange(start, end, family);
      else for (const c of cidrs) if (c.family === family) block.addSubnet(c.prefix, c.length, family);
      range = { family, block };
    } catch {
      // A range the wrong way round (start after end): the facts stand, the range is not cached.
      range = undefined;
    }
  }
  const withEmail = (e: RdapEntity) => safeVcard(e, 'email') !== undefined;
  const abuse = findRole(d.entities, 'abuse', withEmail);
  const registrant = findRole(d.entities, 'registrant', () => true);
  const country = text(d.country);
  const facts: Record<string, unknown> = {
    network: text(d.name),
    networkHandle: text(d.handle),
    networkCidr: cidrs.length
      ? cidrs.map((c) => `${c.prefix}/${c.length}`)
      : start && end
        ? [`${start} - ${end}`]
        : undefined,
    networkStart: start,
    networkEnd: end,
    networkType: text(d.type),
    registrant: safeVcard(registrant, 'fn') ?? text(registrant?.handle),
    abuseEmail: safeVcard(abuse, 'email'),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined,
  };
  return {
    facts: Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as IpNetworkFacts,
    ...(range ? { range } : {}),
  };
}

export interface IpRdapClientOptions {
  readonly bootstrap: IpRdapBootstrap;
  /** Minimum time between two requests to the same RDAP server, ms (default 500). */
  readonly minIntervalMs?: number;
  readonly retry?: RetryPolicy;
  /** How long an answer is reused, ms (default a day): networks are reassigned, rarely. */
  readonly cacheTtlMs?: number;
  /** Networks kept in the cache (default 10,000; the oldest is dropped first). */
  readonly maxCachedNetworks?: number;
  /** Injected for tests (default `Date.now`). */
  readonly now?: () => number;
}

export type IpRdapResult =
  /** `query`: the address whose lookup answered (another address of the same network when cached). */
  | { readonly ok: true; readonly facts: IpNetworkFacts; readonly query: string }
  /**
   * `answered`: the registry's own answer (no RDAP service for the address, no such network): a fact
   * to keep; otherwise the lookup failed (unreachable, timed out, 429/5xx after retries, an answer
   * that is not an ip network object) and is to be retried.
   */
  | { readonly ok: false; readonly error: string; readonly answered: boolean };

export interface IpRdapClient {
  lookup(addr: string, signal: AbortSignal): Promise<IpRdapResult>;
}

interface Cached {
  readonly family: Family;
  readonly block: BlockList;
  readonly expiresAt: number;
  readonly result: IpRdapResult;
}

export function createIpRdapClient(options: IpRdapClientOptions): IpRdapClient {
  const minInterval = options.minIntervalMs ?? 500;
  const ttl = options.cacheTtlMs ?? 86_400_000;
  const maxNetworks = Math.max(1, options.maxCachedNetworks ?? 10_000);
  const now = options.now ?? Date.now;
  const throttle = hostThrottle(minInterval);
  /** Per RDAP server, the tail of its queue: lookups to one server run one after another. */
  const queues = new Map<string, Promise<unknown>>();
  const networks: Cached[] = [];

  const cached = (ip: string, family: Family): IpRdapResult | undefined => {
    const t = now();
    for (let i = networks.length - 1; i >= 0; i--) {
      const c = networks[i] as Cached;
      if (c.expiresAt <= t) networks.splice(i, 1);
      else if (c.family === family && c.block.check(ip, family)) return c.result;
    }
    return undefined;
  };
  const remember = (family: Family, block: BlockList, result: IpRdapResult): void => {
    networks.push({ family, block, expiresAt: now() + ttl, result });
    if (networks.length > maxNetworks) networks.splice(0, networks.length - maxNetworks);
  };
  const single = (ip: string, family: Family): BlockList => {
    const b = new BlockList();
    b.addAddress(ip, family);
    return b;
  };
  const serial = <T>(host: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(host) ?? Promise.resolve()).then(fn, fn);
    queues.set(
      host,
      run.catch(() => {}),
    );
    return run;
  };

  const query = async (ip: string, family: Family, base: string, signal: AbortSignal) => {
    // Another lookup of this server may have just learnt the network this address is in.
    const hit = cached(ip, family);
    if (hit) return hit;
    await throttle(new URL(base).host, signal);
    let doc: unknown;
    try {
      // The address is canonical (digits, hex, dots, colons): safe in a path as it is, and colons stay
      // unescaped as RIR servers expect (`/ip/2001:db8::1`).
      doc = await politeGetJson(`${base}ip/${ip}`, signal, options.retry ?? {});
    } catch (e) {
      if (!isPrecursorError(e)) throw e;
      // 404: the registry holds no network for the address (reserved, or not delegated there).
      if (e.details.status === 404) {
        const r = { ok: false, answered: true, error: `not found (HTTP 404 from ${base})` } as const;
        remember(family, single(ip, family), r);
        return r;
      }
      return { ok: false, answered: false, error: e.message } as const;
    }
    let parsed: ReturnType<typeof ipNetworkFacts>;
    try {
      parsed = ipNetworkFacts(doc);
    } catch {
      parsed = undefined;
    }
    if (!parsed)
      return {
        ok: false,
        answered: false,
        error: `${base}ip/${ip} answered with something that is not an RDAP ip network object`,
      } as const;
    const r = { ok: true, query: ip, facts: { ...parsed.facts, rir: rirOf(base) } } as const;
    // Cached for the whole range only when the range holds the address asked about.
    const covers = parsed.range?.family === family && parsed.range.block.check(ip, family);
    remember(family, covers && parsed.range ? parsed.range.block : single(ip, family), r);
    return r;
  };

  return {
    async lookup(addr, signal) {
      const ip = canonicalIp(addr);
      const family = ip ? familyOf(ip) : undefined;
      if (!ip || !family) return { ok: false, answered: true, error: `'${addr}' is not an IP address` };
      if (isSpecialPurposeIp(ip))
        return { ok: false, answered: true, error: `${ip} is a special-purpose address, in no network` };
      const hit = cached(ip, family);
      if (hit) return hit;
      const base = ipRdapBaseFor(options.bootstrap, ip);
      if (base === undefined)
        return { ok: false, answered: true, error: `no RDAP server for ${ip} in the bootstrap files` };
      return serial(new URL(base).host, () => query(ip, family, base, signal));
    },
  };
}
