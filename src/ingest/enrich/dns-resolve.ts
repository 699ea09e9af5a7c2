/**
 * DNS enrichment through `node:dns` (c-ares) with a configurable resolver: A, AAAA, NS, MX and CNAME
 * of a name. "No such name" and "no data" are answers (empty lists), not errors.
 * @module
 */
import { Resolver } from 'node:dns/promises';

export interface DnsFacts {
  readonly a: readonly string[];
  readonly aaaa: readonly string[];
  readonly ns: readonly string[];
  readonly mx: readonly string[];
  readonly cname: readonly string[];
  /** `NXDOMAIN` when the name does not exist; set only then. */
  readonly rcode?: 'NXDOMAIN';
  /** Lookups that failed for another reason (timeout, refused), by record type. */
  readonly errors?: Readonly<Record<string, string>>;
}

export interface DnsResolverOptions {
  /** Resolver addresses (`192.0.2.53`, `127.0.0.1:5353`); default: the system's. */
  readonly servers?: readonly string[];
  /** Per-query timeout, ms (default 3,000). */
  readonly timeoutMs?: number;
  /** Attempts per query (default 2). */
  readonly tries?: number;
}

export interface DnsResolver {
  resolve(name: string): Promise<DnsFacts>;
}

const ANSWERED_EMPTY = new Set(['ENODATA', 'ENOTFOUND']);

export function createDnsResolver(options: DnsResolverOptions = {}): DnsResolver {
  const r = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) r.setServers([...options.servers]);
  return {
    async resolve(name) {
      const errors: Record<string, string> = {};
      let nx = false;
      const run = async <T>(
        type: string,
        fn: () => Promise<T[]>,
        map: (v: T) => string,
      ): Promise<string[]> => {
        try {
          return [...new Set((await fn()).map(map).map((s) => s.toLowerCase()))].sort();
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
          if (code === 'ENOTFOUND') nx = true;
          if (!ANSWERED_EMPTY.has(code)) errors[type] = code;
          return [];
        }
      };
      const [a, aaaa, ns, mx, cname] = await Promise.all([
        run(
          'A',
          () => r.resolve4(name),
          (v: string) => v,
        ),
        run(
          'AAAA',
          () => r.resolve6(name),
          (v: string) => v,
        ),
        run(
          'NS',
          () => r.resolveNs(name),
          (v: string) => v,
        ),
        run(
          'MX',
          () => r.resolveMx(name),
          (v: { exchange: string }) => v.exchange,
        ),
        run(
          'CNAME',
          () => r.resolveCname(name),
          (v: string) => v,
        ),
      ]);
      return {
        a,
        aaaa,
        ns,
        mx,
        cname,
        ...(nx ? { rcode: 'NXDOMAIN' as const } : {}),
        ...(Object.keys(errors).length > 0 ? { errors } : {}),
      };
    },
  };
}
