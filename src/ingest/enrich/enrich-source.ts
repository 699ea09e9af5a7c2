/**
 * Enrichment as a `Source`: for each domain, an RDAP lookup and DNS resolution (either optional), as
 * one `enrichment` observation whose facts are merged into the domain entity (`registeredAt` is what
 * the domain engine reads for domain age). Network work happens in `read`; `parse` stays pure.
 * The cursor is the last domain done (the list is sorted), and the dedupe key carries the day, so a
 * re-run the same day is a no-op: a cache of one day.
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
}

interface EnrichContext {
  readonly name: string;
  readonly at: string;
  readonly facts: Record<string, unknown>;
}

export function createEnrichSource(options: EnrichSourceOptions): Source {
  const id = options.sourceId ?? 'enrich';
  const now = options.now ?? (() => new Date());
  const names = [
    ...new Set(options.domains.map((d) => canonicalHost(d)).flatMap((h) => (h.ok ? [h.ascii] : []))),
  ].sort();
  const lookup = async (name: string, signal: AbortSignal): Promise<EnrichContext> => {
    const facts: Record<string, unknown> = {};
    const [rdap, dns] = await Promise.all([options.rdap?.lookup(name, signal), options.dns?.resolve(name)]);
    const at = now().toISOString();
    if (rdap) {
      if (rdap.ok) Object.assign(facts, rdap.facts, { rdapQuery: rdap.query, rdapCheckedAt: at });
      else Object.assign(facts, { rdapError: rdap.error, rdapCheckedAt: at });
    }
    if (dns) Object.assign(facts, { dns: dns satisfies DnsFacts, dnsCheckedAt: at });
    return { name, at, facts };
  };
  return {
    id,
    async *read(cursor, signal) {
      const todo = cursor === undefined ? names : names.filter((n) => n > cursor);
      const width = Math.max(1, options.concurrency ?? 8);
      // A sliding window keeps `width` lookups in flight and yields in order (the cursor needs order).
      const window: Array<Promise<EnrichContext>> = [];
      let i = 0;
      while (i < todo.length || window.length > 0) {
        while (window.length < width && i < todo.length && !signal.aborted)
          window.push(lookup(todo[i++] as string, signal));
        const head = window.shift();
        if (head === undefined) break;
        const c = await head;
        yield { position: `domain ${c.name}`, raw: c.name, cursor: c.name, context: c };
        if (signal.aborted) return;
      }
    },
    parse(record) {
      const c = record.context as EnrichContext | undefined;
      if (c === undefined) return reject('SCHEMA_INVALID', 'enrichment record without results');
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
