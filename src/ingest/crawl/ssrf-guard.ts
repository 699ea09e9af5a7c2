/**
 * The SSRF guard: every connection the crawler (or the browser, through the guarded proxy) makes is
 * to an address this module resolved and checked itself. Resolution and connection use the same
 * answer (the address is *pinned*), so a name that answers with a public address for the check and a
 * private one for the connection (DNS rebinding) gets nowhere. Redirects go through the guard again.
 * @module
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CrawlError } from './crawl-error.js';
import { type AddressVerdict, classifyAddress } from './ip-policy.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Name → addresses. Injectable so tests (and labs) can play DNS without a DNS server. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface SsrfGuardOptions {
  /** Lets private/loopback targets through: for tests and labs only (`--allow-private`). */
  readonly allowPrivate?: boolean;
  readonly resolver?: Resolver;
  /**
   * Which addresses are public; defaults to `classifyAddress`. Tests swap it to treat one loopback
   * address as "the internet" so that redirects and rebinding to the others can be proven refused.
   */
  readonly policy?: (address: string) => AddressVerdict;
  /**
   * The simulated internet of the live demo (`precursor demo`): its host names are served by one web
   * server on a loopback address. Only the demo sets it, in process — no flag, configuration key or
   * environment variable reaches it — and it opens exactly that address and port to exactly those
   * names, over plain HTTP, while every other name stays behind the full guard.
   */
  readonly scenario?: ScenarioNetwork;
}

/** A loopback web server standing in for the internet of a simulated world (see `SsrfGuardOptions`). */
export interface ScenarioNetwork {
  /** A loopback address (127.0.0.0/8 or ::1); anything else is refused when the guard is built. */
  readonly address: string;
  readonly port: number;
  /** Whether the simulated world has this host name (lower case, no trailing dot). */
  has(hostname: string): boolean;
}

/** A target whose address was checked; connect to `address`, never re-resolve `hostname`. */
export interface PinnedTarget {
  readonly url: URL;
  readonly hostname: string;
  readonly port: number;
  readonly address: string;
  readonly family: 4 | 6;
  /**
   * Set only for a name of the demo's simulated world: connect to `address`:`port` over plain HTTP,
   * sending the URL's host name, whatever the URL's scheme and port.
   */
  readonly scenario?: true;
}

const isLoopback = (address: string): boolean =>
  address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));

const stripBrackets = (h: string): string => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

export class SsrfGuard {
  readonly allowPrivate: boolean;
  readonly #resolver: Resolver;
  readonly #policy: (address: string) => AddressVerdict;
  readonly #scenario: ScenarioNetwork | undefined;

  constructor(options: SsrfGuardOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.#resolver = options.resolver ?? systemResolver;
    this.#policy = options.policy ?? classifyAddress;
    const scenario = options.scenario;
    if (scenario && (!isLoopback(scenario.address) || !Number.isInteger(scenario.port) || scenario.port < 1))
      throw new Error(
        `SsrfGuard: a scenario network must be a loopback address and port, not ${scenario.address}:${scenario.port}`,
      );
    this.#scenario = scenario;
  }

  /** Parses and checks the scheme; throws `BAD_URL`. */
  parse(raw: string | URL): URL {
    let url: URL;
    try {
      url = new URL(String(raw));
    } catch {
      throw new CrawlError('BAD_URL', String(raw), `not an absolute URL: ${String(raw).slice(0, 200)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CrawlError('BAD_URL', url.href, `scheme ${url.protocol} is not crawled`);
    }
    if (url.username || url.password) url.username = url.password = '';
    return url;
  }

  /** Checks one address; throws `SSRF_REFUSED` unless it is public (or private targets are allowed). */
  checkAddress(address: string, forUrl: string): void {
    if (this.allowPrivate) return;
    const v = this.#policy(address);
    if (!v.allowed) {
      throw new CrawlError('SSRF_REFUSED', forUrl, `refused ${forUrl}: ${address} is ${v.reason}`);
    }
  }

  /**
   * Resolves a host once and checks every answer. A name with any non-public answer is refused as a
   * whole: mixing a public and a private record is itself a rebinding trick.
   */
  async resolveHost(hostname: string, forUrl: string = hostname): Promise<ResolvedAddress> {
    const host = stripBrackets(hostname);
    const literal = isIP(host);
    if (literal !== 0) {
      this.checkAddress(host, forUrl);
      return { address: host, family: literal === 6 ? 6 : 4 };
    }
    let answers: readonly ResolvedAddress[];
    try {
      answers = await this.#resolver(host);
    } catch (e) {
      throw new CrawlError('DNS_FAILED', forUrl, `cannot resolve ${host}`, { cause: e });
    }
    if (answers.length === 0) throw new CrawlError('DNS_FAILED', forUrl, `no address for ${host}`);
    for (const a of answers) this.checkAddress(a.address, forUrl);
    return answers[0] as ResolvedAddress;
  }

  async pin(raw: string | URL): Promise<PinnedTarget> {
    const url = this.parse(raw);
    const scenario = this.#scenario;
    const name = stripBrackets(url.hostname).toLowerCase().replace(/\.$/, '');
    if (scenario && isIP(name) === 0 && scenario.has(name)) {
      const family = isIP(scenario.address) === 6 ? 6 : 4;
      return { url, hostname: name, port: scenario.port, address: scenario.address, family, scenario: true };
    }
    const resolved = await this.resolveHost(url.hostname, url.href);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { url, hostname: stripBrackets(url.hostname), port, ...resolved };
  }
}
