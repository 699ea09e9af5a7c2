/**
 * Which IP addresses a crawler may connect to. A suspicious page chooses its own URLs, redirects and
 * DNS answers, so anything that is not plainly public unicast is refused: loopback, RFC 1918, CGNAT,
 * link-local (where cloud metadata lives), documentation and benchmark ranges, multicast, reserved,
 * and the IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4), which are judged by
 * the address they carry so `::ffff:127.0.0.1` cannot slip past.
 * @module
 */
import { isIP } from 'node:net';

export interface AddressVerdict {
  readonly allowed: boolean;
  /** Why it is refused (`loopback`, `private`, …) or `public`. */
  readonly reason: string;
}

type V4Range = readonly [base: number, bits: number, reason: string];

const v4 = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const V4_BLOCKED: readonly V4Range[] = [
  [v4(0, 0, 0, 0), 8, 'this-network'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'cgnat'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'ietf-protocol'],
  [v4(192, 0, 2, 0), 24, 'documentation'],
  [v4(192, 88, 99, 0), 24, 'reserved'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'benchmark'],
  [v4(198, 51, 100, 0), 24, 'documentation'],
  [v4(203, 0, 113, 0), 24, 'documentation'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

function parseV4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

function classifyV4(n: number): AddressVerdict {
  for (const [base, bits, reason] of V4_BLOCKED) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return { allowed: false, reason };
  }
  return { allowed: true, reason: 'public' };
}

/** Expands an IPv6 literal into eight 16-bit groups; undefined when it is not one. */
function parseV6(ip: string): number[] | undefined {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // A dotted tail (`::ffff:1.2.3.4`) stands for the last two groups: rewrite it as hex and parse once.
  const lastColon = s.lastIndexOf(':');
  const tailText = s.slice(lastColon + 1);
  if (tailText.includes('.')) {
    const n = parseV4(tailText);
    if (n === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const fill = 8 - head.length - rest.length;
  if (fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}

const embeddedV4 = (g: readonly number[], i: number): number => (((g[i] ?? 0) << 16) | (g[i + 1] ?? 0)) >>> 0;

function classifyV6(g: readonly number[]): AddressVerdict {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, , g7 = 0] = g;
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return { allowed: false, reason: 'unspecified' };
  if (zeroTo(7) && g7 === 1) return { allowed: false, reason: 'loopback' };
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d: judge the IPv4 inside.
  if (zeroTo(5) && g5 === 0xffff) return tagged(classifyV4(embeddedV4(g, 6)), 'ipv4-mapped');
  if (zeroTo(6)) return tagged(classifyV4(embeddedV4(g, 6)), 'ipv4-compatible');
  // SIIT translated ::ffff:0:a.b.c.d
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return tagged(classifyV4(embeddedV4(g, 6)), 'ipv4-translated');
  // NAT64 well-known prefix 64:ff9b::/96 and local-use 64:ff9b:1::/48 reach IPv4 through a translator.
  if (g0 === 0x64 && g1 === 0xff9b) {
    if (g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return tagged(classifyV4(embeddedV4(g, 6)), 'nat64');
    if (g2 === 1) return { allowed: false, reason: 'nat64-local' };
  }
  // 6to4 2002:AABB:CCDD::/48 carries an IPv4 address in groups 1–2.
  if (g0 === 0x2002) return tagged(classifyV4(embeddedV4(g, 1)), '6to4');
  if (g0 === 0x2001 && g1 === 0) return { allowed: false, reason: 'teredo' };
  if (g0 === 0x2001 && g1 === 0xdb8) return { allowed: false, reason: 'documentation' };
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return { allowed: false, reason: 'discard' };
  if ((g0 & 0xfe00) === 0xfc00) return { allowed: false, reason: 'unique-local' };
  if ((g0 & 0xffc0) === 0xfe80) return { allowed: false, reason: 'link-local' };
  if ((g0 & 0xffc0) === 0xfec0) return { allowed: false, reason: 'site-local' };
  if ((g0 & 0xff00) === 0xff00) return { allowed: false, reason: 'multicast' };
  // Only global unicast 2000::/3 is routable on the public internet.
  if ((g0 & 0xe000) !== 0x2000) return { allowed: false, reason: 'reserved' };
  return { allowed: true, reason: 'public' };
}

function tagged(v: AddressVerdict, form: string): AddressVerdict {
  return v.allowed ? v : { allowed: false, reason: `${v.reason} (${form})` };
}

/** Judges one IP literal (IPv4 dotted quad or IPv6, brackets allowed). Anything unparsable is refused. */
export function classifyAddress(address: string): AddressVerdict {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(ip.split('%')[0] ?? '');
  if (family === 4) {
    const n = parseV4(ip);
    return n === undefined ? { allowed: false, reason: 'unparsable' } : classifyV4(n);
  }
  if (family === 6) {
    const g = parseV6(ip);
    return g === undefined ? { allowed: false, reason: 'unparsable' } : classifyV6(g);
  }
  return { allowed: false, reason: 'not-an-ip' };
}
