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
 * @module
 */
import type { EntityKey, Observation } from '../../domain/index.js';
import { canonicalHost } from '../canonical-host.js';
import { ok, reject, type Source } from '../source.js';
import type { DnsFacts, DnsResolver } from './dns-resolve.js';
import type { RdapClient } from './rdap.js';

export interface EnrichSourceOptions {
  readonly domains: readonly string[];
  readonly rdap?: RdapClient;
  readonly dns?: DnsResolver;
  /** Lookups in flight at once (default 8); RDAP is also throttled per server. */
  readonly concurrency?: number;
  /** Event time of the lookups (default: the wall clock, the moment of observation). */
  readonly now?: () => Date;
  readonly sourceId?: string;
  /** Told as each domain's lookups finish (for progress on a terminal). */
  readonly onLookup?: (p: { done: number; total: number; failed: number; name: string }) => void;
}

interface EnrichContext {
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
  const names = [
    ...new Set(options.domains.map((d) => canonicalHost(d)).flatMap((h) => (h.ok ? [h.ascii] : []))),
  ].sort();
  const lookup = async (name: string, signal: AbortSignal): Promise<EnrichContext> => {
    const facts: Record<string, unknown> = {};
    const failures: string[] = [];
    const [rdap, dns] = await Promise.all([options.rdap?.lookup(name, signal), options.dns?.resolve(name)]);
    const at = now().toISOString();
    if (rdap) {
      if (rdap.ok) Object.assign(facts, rdap.facts, { rdapQuery: rdap.query, rdapCheckedAt: at });
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
      const todo = cursor === undefined ? names : names.filter((n) => n > cursor);
      const width = Math.max(1, options.concurrency ?? 8);
      let done = 0;
      let failed = 0;
      // A sliding window keeps `width` lookups in flight and yields in order (the cursor needs order).
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
        if (head === undefined) break;
        let c: EnrichContext;
        try {
          c = await head;
        } catch (e) {
          if (signal.aborted) return;
          throw e;
        }
        done += 1;
        if (c.failures.length > 0) failed += 1;
        options.onLookup?.({ done, total: todo.length, failed, name: c.name });
        yield { position: `domain ${c.name}`, raw: c.name, cursor: c.name, context: c };
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
        payload: { entity: `domain:${c.name}` as EntityKey, facts: c.facts },
      };
      return ok([o]);
    },
  };
}
