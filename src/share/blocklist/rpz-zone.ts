/**
 * DNS Response Policy Zone (draft-vixie-dnsop-dns-rpz): each listed name and its subdomains answer
 * NXDOMAIN (`name CNAME .` and `*.name CNAME .`); each listed IP becomes an `rpz-ip` trigger that
 * blocks answers pointing at it. The serial only moves when the content does, so secondaries and
 * resolvers do not transfer an unchanged zone, and always forward (RFC 1982 arithmetic) when it does.
 * @module
 */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

export interface RpzOptions {
  /** Zone name, e.g. `rpz.precursor.example` (no trailing dot needed). */
  readonly origin: string;
  readonly serial: number;
  /** Record TTL and negative-caching TTL, seconds. Default 300. */
  readonly ttl?: number;
  /** Name server and SOA contact; defaults `localhost.` and `hostmaster.<origin>.` */
  readonly nameServer?: string;
  readonly hostmaster?: string;
  /** A comment line (generation time, TLP). */
  readonly comment?: string;
}

export interface RpzSerialState {
  readonly serial: number;
  readonly digest: string;
}

/** Digest of what a zone lists; the serial bumps only when this changes. */
export function rpzDigest(names: readonly string[], ips: readonly string[]): string {
  const h = createHash('sha256');
  for (const n of [...names].sort()) h.update(`n ${n}\n`);
  for (const ip of [...ips].sort()) h.update(`i ${ip}\n`);
  return h.digest('hex');
}

/**
 * The serial for new content: unchanged content keeps its serial; changed content gets the larger of
 * previous + 1 and the Unix time, wrapped into 32 bits and never 0.
 */
export function nextRpzSerial(
  previous: RpzSerialState | undefined,
  digest: string,
  now: Date,
): RpzSerialState {
  if (previous && previous.digest === digest) return previous;
  const clock = Math.floor(now.getTime() / 1000) >>> 0;
  const bumped = previous === undefined ? clock : (previous.serial + 1) >>> 0;
  // RFC 1982: `clock` is ahead of the previous serial when it is within 2^31 forward of it.
  const ahead =
    previous !== undefined && (clock - previous.serial) >>> 0 < 2 ** 31 && clock !== previous.serial;
  const serial = (ahead ? clock : bumped) || 1;
  return { serial, digest };
}

export function rpzZone(names: readonly string[], ips: readonly string[], options: RpzOptions): string {
  const origin = options.origin.replace(/\.$/, '');
  const ttl = options.ttl ?? 300;
  const ns = options.nameServer ?? 'localhost.';
  const contact = options.hostmaster ?? `hostmaster.${origin}.`;
  const lines = [
    `; Precursor response policy zone${options.comment ? ` — ${options.comment.replace(/[\r\n]/g, ' ')}` : ''}`,
    `$TTL ${ttl}`,
    `$ORIGIN ${origin}.`,
    `@ IN SOA ${ns} ${contact} ${options.serial >>> 0} 3600 600 604800 ${ttl}`,
    `@ IN NS ${ns}`,
  ];
  for (const n of names) lines.push(`${n} CNAME .`, `*.${n} CNAME .`);
  for (const ip of ips) lines.push(`${rpzIpOwner(ip)}.rpz-ip CNAME .`);
  return `${lines.join('\n')}\n`;
}

/** `32.7.113.0.203` for 203.0.113.7; `128.7.zz.db8.2001` for 2001:db8::7 (RPZ IP trigger owner). */
export function rpzIpOwner(ip: string): string {
  if (!isIPv6(ip)) return `32.${ip.split('.').reverse().join('.')}`;
  const groups = expandIpv6(ip).map((g) => g.replace(/^0+(?=.)/, ''));
  // `zz` replaces the longest run (two or more) of zero groups, as `::` does.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const parts =
    best.at < 0 ? groups : [...groups.slice(0, best.at), 'zz', ...groups.slice(best.at + best.len)];
  return `128.${parts.reverse().join('.')}`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const last = (t.length ? t : h).at(-1);
  if (last?.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    (t.length ? t : h).splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}
