/**
 * `precursor enrich [NAME|IP...] [--flagged]`: RDAP (age, registrar, status, abuse contact) and DNS
 * (A/AAAA/NS/MX/CNAME) for the given names or the flagged domains, merged into the domain entities
 * and re-scored (domain age is a signal of the domain engine); and IP-network RDAP (range, registrant,
 * country, abuse contact) for the given addresses, those the domains resolve to and those this run's
 * DNS answers name, merged into the `ip:` entities (the hosting abuse contact of abuse reports).
 * @module
 */
import { isIP } from 'node:net';
import { resolvedAddresses } from '../../app/enrich-targets.js';
import {
  IANA_DNS_BOOTSTRAP,
  loadIpRdapBootstrap,
  readRdapBootstrap,
  shippedIpBootstrap,
} from '../../app/rdap-bootstrap.js';
import { PrecursorError } from '../../domain/index.js';
import { createDnsResolver } from '../../ingest/enrich/dns-resolve.js';
import { createEnrichSource } from '../../ingest/enrich/enrich-source.js';
import { createRdapClient, parseRdapBootstrap } from '../../ingest/enrich/rdap.js';
import { createIpRdapClient } from '../../ingest/enrich/rdap-ip.js';
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, progress, untilInterrupted, withApp } from '../runtime.js';
import { type IngestRunFlags, runSourceCommand } from './ingest.js';

interface EnrichFlags extends IngestRunFlags {
  flagged?: boolean;
  limit?: number;
  rdap?: boolean;
  dns?: boolean;
  bootstrap?: string;
  ipRdap?: boolean;
  ipv4Bootstrap?: string;
  ipv6Bootstrap?: string;
  resolver?: string[];
  rdapInterval?: number;
  timeout: number;
  retries: number;
}

export const enrichCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('enrich')
      .description(
        'RDAP and DNS facts for names (given, or the flagged domains) and RDAP network facts for their addresses, then re-score them',
      )
      .argument('[names...]', 'domain names (and IP addresses) to enrich')
      .option('--flagged', 'enrich the flagged domains in the store')
      .option('--limit <n>', 'at most this many stored domains', parseIntFlag('--limit', 1), 1000)
      .option('--bootstrap <file|url>', 'IANA RDAP bootstrap dns.json', IANA_DNS_BOOTSTRAP)
      .option('--ipv4-bootstrap <file|url>', 'IANA RDAP bootstrap ipv4.json (default: the shipped copy)')
      .option('--ipv6-bootstrap <file|url>', 'IANA RDAP bootstrap ipv6.json (default: the shipped copy)')
      .option(
        '--rdap-interval <ms>',
        'minimum ms between requests to one RDAP server',
        parseIntFlag('--rdap-interval', 0),
        500,
      )
      .option('--resolver <addr...>', 'DNS resolvers, e.g. 9.9.9.9 or 127.0.0.1:5353 (default: the system)')
      .option(
        '--timeout <ms>',
        'longest wait for one RDAP request or DNS query',
        parseIntFlag('--timeout', 1, 600_000),
        10_000,
      )
      .option('--retries <n>', 'RDAP retries after a failed request', parseIntFlag('--retries', 0, 10), 2)
      .option('--no-rdap', 'skip RDAP (domains and IP networks)')
      .option('--no-ip-rdap', 'skip RDAP of IP networks')
      .option('--no-dns', 'skip DNS')
      .option('--no-detect', 'store facts only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (names: string[], opts: EnrichFlags) =>
        withApp(cmd, io, async (app) => {
          const domains = names.filter((n) => isIP(n) === 0);
          const ips = names.filter((n) => isIP(n) !== 0);
          if (opts.flagged) {
            const views = await app.pipeline.store.entities.list({
              type: 'domain',
              flagged: true,
              limit: opts.limit ?? 1000,
            });
            domains.push(...views.map((v) => v.entity.key.slice('domain:'.length)));
          }
          if (domains.length === 0 && ips.length === 0)
            throw new PrecursorError('VALIDATION_FAILED', 'give names to enrich, or --flagged');
          const ipRdapOn = opts.rdap !== false && opts.ipRdap !== false;
          if (ipRdapOn) ips.push(...(await resolvedAddresses(app.pipeline.store.entities, domains)));
          // Every wait is bounded: one request or query by --timeout, RDAP by --retries with backoff
          // of at most 5 s between attempts (a server's Retry-After included).
          const retry = { timeoutMs: opts.timeout, retries: opts.retries, maxDelayMs: 5_000 };
          return untilInterrupted(async (signal) => {
            let rdap: ReturnType<typeof createRdapClient> | undefined;
            if (opts.rdap !== false && domains.length > 0) {
              const src = opts.bootstrap ?? IANA_DNS_BOOTSTRAP;
              rdap = createRdapClient({
                bootstrap: parseRdapBootstrap(
                  await readRdapBootstrap(src, io.cwd, signal, retry, '--bootstrap'),
                ),
                minIntervalMs: opts.rdapInterval ?? 500,
                retry,
              });
            }
            const ipRdap = ipRdapOn
              ? createIpRdapClient({
                  bootstrap: await loadIpRdapBootstrap(
                    {
                      ipv4: opts.ipv4Bootstrap ?? shippedIpBootstrap('ipv4'),
                      ipv6: opts.ipv6Bootstrap ?? shippedIpBootstrap('ipv6'),
                    },
                    io.cwd,
                    signal,
                    retry,
                    (f) => `--${f}-bootstrap`,
                  ),
                  minIntervalMs: opts.rdapInterval ?? 500,
                  retry,
                })
              : undefined;
            const bar = progress(io);
            const source = createEnrichSource({
              domains,
              ...(rdap ? { rdap } : {}),
              ...(ipRdap ? { ipRdap, ips, followAddresses: true } : {}),
              ...(opts.dns !== false
                ? {
                    dns: createDnsResolver({
                      ...(opts.resolver ? { servers: opts.resolver } : {}),
                      timeoutMs: opts.timeout,
                    }),
                  }
                : {}),
              onLookup: (p) =>
                bar.update(
                  `enrich: ${p.done}/${p.total} ${ips.length > 0 || p.name.startsWith('ip:') ? 'domains and addresses' : 'domains'} looked up, ${p.failed} failed (${p.name})`,
                ),
            });
            // Each run enriches its own list from the start; the per-day dedupe key is the cache.
            return runSourceCommand(app, io, source, { ...opts, fromStart: true }, signal, {
              resumable: true,
            });
          });
        }),
      ),
    );
  },
} satisfies CliCommand;
