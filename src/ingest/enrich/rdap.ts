/**
 * RDAP (RFC 9082/9083) domain lookups: the server from the IANA bootstrap file (`dns.json`, RFC 9224),
 * the registrable domain (tldts) as the query, and the facts that matter for phishing triage:
 * registration date (domain age), registrar, status, abuse contact. Polite: one request at a time per
 * RDAP server with a minimum interval, retries with backoff (429 honoured), and a per-run cache.
 * @module
 */
import { getDomain } from 'tldts';
import { z } from 'zod';
import { isPrecursorError, PrecursorError } from '../../domain/index.js';
import { hostThrottle, politeGetJson, type RetryPolicy } from '../sources/ct/polite-fetch.js';

export interface RdapFacts {
  readonly registeredAt?: string;
  readonly expiresAt?: string;
  readonly lastChangedAt?: string;
  readonly registrar?: string;
  readonly rdapStatus?: readonly string[];
  readonly abuseEmail?: string;
  readonly nameservers?: readonly string[];
}

const bootstrapSchema = z.object({
  services: z.array(z.tuple([z.array(z.string()), z.array(z.string())])),
});

/** TLD (or suffix) → RDAP base URLs (https preferred), from an IANA bootstrap file. */
export type RdapBootstrap = ReadonlyMap<string, readonly string[]>;

export function parseRdapBootstrap(json: unknown): RdapBootstrap {
  const r = bootstrapSchema.safeParse(json);
  if (!r.success)
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `invalid RDAP bootstrap file: ${r.error.issues[0]?.message ?? ''}`,
    );
  const map = new Map<string, string[]>();
  for (const [suffixes, urls] of r.data.services) {
    const sorted = [...urls].sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')));
    for (const s of suffixes)
      map.set(
        s.toLowerCase(),
        sorted.map((u) => (u.endsWith('/') ? u : `${u}/`)),
      );
  }
  return map;
}

/** The RDAP base URL for a name: the longest bootstrap suffix it ends with. */
export function rdapBaseFor(bootstrap: RdapBootstrap, domain: string): string | undefined {
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length; i++) {
    const urls = bootstrap.get(labels.slice(i).join('.'));
    if (urls?.[0]) return urls[0];
  }
  return undefined;
}

type Vcard = [string, Array<[string, Record<string, unknown>, string, unknown]>];
/** An RDAP entity (RFC 9083 §5.1), as far as the enrichment reads it. */
export interface RdapEntity {
  roles?: string[];
  handle?: string;
  vcardArray?: Vcard;
  entities?: RdapEntity[];
}

/** The first non-empty value of a jCard property (`fn`, `email`) of an entity. */
export const vcardField = (e: RdapEntity | undefined, field: string): string | undefined => {
  const v = e?.vcardArray?.[1]?.find((p) => Array.isArray(p) && p[0] === field)?.[3];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

const isoDate = (s: unknown): string | undefined => {
  if (typeof s !== 'string') return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

/** The triage facts of an RDAP domain response (RFC 9083 §5.3). Lenient: missing parts are omitted. */
export function rdapFacts(doc: unknown): RdapFacts {
  if (doc === null || typeof doc !== 'object') return {};
  const d = doc as {
    events?: Array<{ eventAction?: string; eventDate?: string }>;
    status?: string[];
    entities?: RdapEntity[];
    nameservers?: Array<{ ldhName?: string }>;
  };
  const event = (action: string) => isoDate(d.events?.find((e) => e.eventAction === action)?.eventDate);
  const registrar = d.entities?.find((e) => e.roles?.includes('registrar'));
  const abuse = [...(registrar?.entities ?? []), ...(d.entities ?? [])].find((e) =>
    e.roles?.includes('abuse'),
  );
  const facts: Record<string, unknown> = {
    registeredAt: event('registration'),
    expiresAt: event('expiration'),
    lastChangedAt: event('last changed'),
    registrar: vcardField(registrar, 'fn') ?? registrar?.handle,
    rdapStatus: Array.isArray(d.status) ? d.status.filter((s) => typeof s === 'string') : undefined,
    abuseEmail: vcardField(abuse, 'email'),
    nameservers: d.nameservers?.flatMap((n) =>
      typeof n.ldhName === 'string' ? [n.ldhName.toLowerCase()] : [],
    ),
  };
  return Object.fromEntries(
    Object.entries(facts).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as RdapFacts;
}

export interface RdapClientOptions {
  readonly bootstrap: RdapBootstrap;
  /** Minimum time between two requests to the same RDAP server, ms (default 500). */
  readonly minIntervalMs?: number;
  readonly retry?: RetryPolicy;
  /**
   * How long an answer is reused, ms (default one day): a long-running `precursor run` must see a
   * domain's registration change. A failed lookup (unreachable, 5xx after retries) is never reused.
   */
  readonly cacheTtlMs?: number;
  /** Injected for tests. */
  readonly now?: () => number;
}

export type RdapResult =
  | { readonly ok: true; readonly facts: RdapFacts; readonly query: string }
  /**
   * `answered`: the registry's own answer (no RDAP service for the TLD, no such domain: a fact to
   * keep); otherwise the lookup failed (unreachable, timed out, 5xx after retries) and is to be retried.
   */
  | { readonly ok: false; readonly error: string; readonly answered: boolean };

export interface RdapClient {
  lookup(name: string, signal: AbortSignal): Promise<RdapResult>;
}

export function createRdapClient(options: RdapClientOptions): RdapClient {
  const minInterval = options.minIntervalMs ?? 500;
  const ttl = options.cacheTtlMs ?? 86_400_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { readonly at: number; readonly result: Promise<RdapResult> }>();
  const throttle = hostThrottle(minInterval);
  const query = async (registrable: string, signal: AbortSignal): Promise<RdapResult> => {
    const base = rdapBaseFor(options.bootstrap, registrable);
    if (base === undefined)
      return {
        ok: false,
        answered: true,
        error: `no RDAP server for '${registrable}' in the bootstrap file`,
      };
    const url = `${base}domain/${encodeURIComponent(registrable)}`;
    await throttle(new URL(base).host, signal);
    try {
      return {
        ok: true,
        query: registrable,
        facts: rdapFacts(await politeGetJson(url, signal, options.retry ?? {})),
      };
    } catch (e) {
      if (!isPrecursorError(e)) throw e;
      // 404: the registry says there is no such domain (not registered, or already deleted).
      const status = e.details.status;
      if (status === 404) return { ok: false, answered: true, error: `not found (HTTP 404 from ${base})` };
      return { ok: false, answered: false, error: e.message };
    }
  };
  return {
    lookup(name, signal) {
      // Registration facts belong to the registrable domain, not to `login.secure.example.com`.
      const registrable = getDomain(name, { allowPrivateDomains: false }) ?? name;
      const hit = cache.get(registrable);
      if (hit !== undefined && now() - hit.at < ttl) return hit.result;
      const result = query(registrable, signal);
      const entry = { at: now(), result };
      cache.set(registrable, entry);
      // Concurrent callers share the one request; a failure or an abort is forgotten once settled
      // (only if no newer entry took its place), so the next round asks again.
      const forget = (): void => {
        if (cache.get(registrable) === entry) cache.delete(registrable);
      };
      result.then((r) => {
        if (!r.ok && !r.answered) forget();
      }, forget);
      return result;
    },
  };
}
