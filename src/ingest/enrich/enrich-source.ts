/**
 * Enrichment as a `Source`: for each domain, an RDAP lookup and DNS resolution (either optional), as
 * one `enrichment` observation whose facts are merged into the domain entity (`registeredAt` is what
 * the domain engine reads for domain age). Network work happens in `read`; `parse` stays pure.
 *
 * A lookup that failed (a server down, a timeout, a resolver that refuses) is not a fact: the domain's
 * record is rejected with SOURCE_FAILED and the reason, so the run counts it, `precursor dead-letters`
 * lists it and the exit code says so — and since nothing was stored, the next run tries it again. What
 * a server *answered* is a fact, even when the answer is "no such domain" (RDAP 404, NXDOMAIN) or "no
 * RDAP service for this TLD". The dedupe key carries the day, so a successful lookup is cached for the
 * rest of that day. The cursor is the last domain done (the list is sorted).
 *
 * IP addresses (`ips`, and with `followAddresses` the A/AAAA answers of this run's DNS lookups) get an
 * RDAP lookup of their network (`rdap-ip.ts`: range, name, registrant, country, abuse contact) as an
 * `enrichment` of the `ip:` entity, with the same failure rules. Listed addresses sort with the names as
 * `ip:<address>`; followed ones come after every listed item and do not move the cursor (the per-day
 * dedupe key makes a repeat a no-op).
 * @module
 */
import type { EntityKey, Observation } from '../../domain/index.js';
import { canonicalHost } from '../canonical-host.js';
import { ok, reject, type Source } from '../source.js';
import type { DnsFacts, DnsResolver } from './dns-resolve.js';
import type { RdapClient } from './rdap.js';
import { canonicalIp, type IpRdapClient, isSpecialPurposeIp } from './rdap-ip.js';

export interface EnrichSourceOptions {
  readonly domains: readonly string[];
  readonly rdap?: RdapClient;
  readonly dns?: DnsResolver;
  /** Addresses whose network to look up with `ipRdap` (ignored without it). */
  readonly ips?: readonly string[];
  readonly ipRdap?: IpRdapClient;
  /** Also look up the networks of the addresses this run's DNS lookups answer (needs `ipRdap`). */
  readonly followAddresses?: boolean;
  /** Lookups in flight at once (default 8); RDAP is also throttled per server. */
  readonly concurrency?: number;
  /** Event time of the lookups (default: the wall clock, the moment of observation). */
  readonly now?: () => Date;
  readonly sourceId?: string;
  /** Told as each domain's lookups finish (for progress on a terminal). */
  readonly onLookup?: (p: { done: number; total: number; failed: number; name: string }) => void;
}

const IP = 'ip:';

interface EnrichContext {
  /** A domain name, or `ip:<address>`. */
  readonly name: string;
  readonly at: string;
  readonly facts: Record<string, unknown>;
  /** The lookups that failed, with why; the record is rejected when there is any. */
  readonly failures: readonly string[];
}

/** DNS error codes that are answers about the name, not a failure to ask. */
const DNS_ANSWERS = new Set(['ESERVFAIL']);

export function createEnrichSource(options: EnrichSourceOptions): Source {
  const id = options.sourceId ?? 'enrich';
  const now = options.now ?? (() => new Date());
  const ipRdap = options.ipRdap;
  const ipItems = (list: readonly string[]): string[] =>
    ipRdap
      ? list.flatMap((a) => {
          const ip = canonicalIp(a);
          // Private, documentation and other special-purpose addresses belong to no registry's network.
          return ip === undefined || isSpecialPurposeIp(ip) ? [] : [`${IP}${ip}`];
        })
      : [];
  const names = [
    ...new Set([
      ...options.domains.map((d) => canonicalHost(d)).flatMap((h) => (h.ok ? [h.ascii] : [])),
      ...ipItems(options.ips ?? []),
    ]),
  ].sort();
  const lookupIp = async (name: string, signal: AbortSignal): Promise<EnrichContext> => {
    const facts: Record<string, unknown> = {};
    const failures: string[] = [];
    const r = await ipRdap?.lookup(name.slice(IP.length), signal);
    const at = now().toISOString();
    // `rdapError: null` clears an earlier answer's error from the entity (attributes are merged).
    if (r?.ok) Object.assign(facts, r.facts, { rdapQuery: r.query, rdapCheckedAt: at, rdapError: null });
    else if (r?.answered) Object.assign(facts, { rdapError: r.error, rdapCheckedAt: at });
    else if (r) failures.push(`RDAP: ${r.error}`);
    return { name, at, facts, failures };
  };
  const lookup = async (name: string, signal: AbortSignal): Promise<EnrichContext> => {
    if (name.startsWith(IP)) return lookupIp(name, signal);
    const facts: Record<string, unknown> = {};
    const failures: string[] = [];
    const [rdap, dns] = await Promise.all([options.rdap?.lookup(name, signal), options.dns?.resolve(name)]);
    const at = now().toISOString();
    if (rdap) {
      if (rdap.ok)
        Object.assign(facts, rdap.facts, { rdapQuery: rdap.query, rdapCheckedAt: at, rdapError: null });
      else if (rdap.answered) Object.assign(facts, { rdapError: rdap.error, rdapCheckedAt: at });
      else failures.push(`RDAP: ${rdap.error}`);
    }
    if (dns) {
      const failed = Object.entries(dns.errors ?? {}).filter(([, code]) => !DNS_ANSWERS.has(code));
      if (failed.length > 0) failures.push(`DNS: ${failed.map(([t, code]) => `${t} ${code}`).join(', ')}`);
      else Object.assign(facts, { dns: dns satisfies DnsFacts, dnsCheckedAt: at });
    }
    return { name, at, facts, failures };
  };
  return {
    id,
    async *read(cursor, signal) {
      const listed = cursor === undefined ? names : names.filter((n) => n > cursor);
      const width = Math.max(1, options.concurrency ?? 8);
      const follow = options.followAddresses === true && ipRdap !== undefined;
      const known = new Set(names);
      const followed: string[] = [];
      let total = listed.length;
      let done = 0;
      let failed = 0;
      // A sliding window keeps `width` lookups in flight and yields in order (the cursor needs order).
      async function* inOrder(todo: readonly string[]): AsyncGenerator<EnrichContext> {
        const window: Array<Promise<EnrichContext>> = [];
        let i = 0;
        while (i < todo.length || window.length > 0) {
          while (window.length < width && i < todo.length && !signal.aborted) {
            const pending = lookup(todo[i++] as string, signal);
            // Awaited in order below; marked handled now so that one failing early is not "unhandled".
            pending.catch(() => {});
            window.push(pending);
          }
          const head = window.shift();
          if (head === undefined) return;
          try {
            yield await head;
          } catch (e) {
            if (signal.aborted) return;
            throw e;
          }
        }
      }
      const record = (c: EnrichContext, at: string) => {
        done += 1;
        if (c.failures.length > 0) failed += 1;
        options.onLookup?.({ done, total, failed, name: c.name });
        const position = c.name.startsWith(IP) ? `ip ${c.name.slice(IP.length)}` : `domain ${c.name}`;
        return { position, raw: c.name, cursor: at, context: c };
      };
      let last = cursor ?? '';
      for await (const c of inOrder(listed)) {
        if (follow) {
          const dns = c.facts.dns as DnsFacts | undefined;
          for (const item of ipItems([...(dns?.a ?? []), ...(dns?.aaaa ?? [])]))
            if (!known.has(item)) {
              known.add(item);
              followed.push(item);
              total += 1;
            }
        }
        last = c.name;
        yield record(c, c.name);
        if (signal.aborted) return;
      }
      // Addresses learnt on the way: after every listed item, leaving the cursor where it was.
      for await (const c of inOrder(followed.sort())) {
        yield record(c, last);
        if (signal.aborted) return;
      }
    },
    parse(record) {
      const c = record.context as EnrichContext | undefined;
      if (c === undefined) return reject('SCHEMA_INVALID', 'enrichment record without results');
      if (c.failures.length > 0)
        return reject(
          'SOURCE_FAILED',
          `lookup failed, to be retried on the next run: ${c.failures.join('; ')}`,
        );
      const o: Observation<'enrichment'> = {
        source: id,
        kind: 'enrichment',
        observedAt: c.at,
        dedupeKey: `${id}|${c.name}|${c.at.slice(0, 10)}`,
        payload: {
          entity: (c.name.startsWith(IP) ? c.name : `domain:${c.name}`) as EntityKey,
          facts: c.facts,
        },
      };
      return ok([o]);
    },
  };
}
