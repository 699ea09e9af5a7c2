/**
 * `precursor enrich [NAME...] [--flagged]`: RDAP (age, registrar, status, abuse contact) and DNS
 * (A/AAAA/NS/MX/CNAME) for the given names or the flagged domains, merged into the domain entities
 * and re-scored (domain age is a signal of the domain engine).
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PrecursorError } from '../../domain/index.js';
import { createDnsResolver } from '../../ingest/enrich/dns-resolve.js';
import { createEnrichSource } from '../../ingest/enrich/enrich-source.js';
import { createRdapClient, parseRdapBootstrap } from '../../ingest/enrich/rdap.js';
import { politeGetJson, type RetryPolicy } from '../../ingest/sources/ct/polite-fetch.js';
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, progress, untilInterrupted, withApp } from '../runtime.js';
import { type IngestRunFlags, runSourceCommand } from './ingest.js';

const IANA_DNS_BOOTSTRAP = 'https://data.iana.org/rdap/dns.json';

interface EnrichFlags extends IngestRunFlags {
  flagged?: boolean;
  limit?: number;
  rdap?: boolean;
  dns?: boolean;
  bootstrap?: string;
  resolver?: string[];
  rdapInterval?: number;
  timeout: number;
  retries: number;
}

export const enrichCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('enrich')
      .description('RDAP and DNS facts for names (given, or the flagged domains), then re-score them')
      .argument('[names...]', 'domain names to enrich')
      .option('--flagged', 'enrich the flagged domains in the store')
      .option('--limit <n>', 'at most this many stored domains', parseIntFlag('--limit', 1), 1000)
      .option('--bootstrap <file|url>', 'IANA RDAP bootstrap dns.json', IANA_DNS_BOOTSTRAP)
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
      .option('--no-rdap', 'skip RDAP')
      .option('--no-dns', 'skip DNS')
      .option('--no-detect', 'store facts only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(io, setExit, async (names: string[], opts: EnrichFlags) =>
        withApp(cmd, io, async (app) => {
          const domains = [...names];
          if (opts.flagged) {
            const views = await app.pipeline.store.entities.list({
              type: 'domain',
              flagged: true,
              limit: opts.limit ?? 1000,
            });
            domains.push(...views.map((v) => v.entity.key.slice('domain:'.length)));
          }
          if (domains.length === 0)
            throw new PrecursorError('VALIDATION_FAILED', 'give names to enrich, or --flagged');
          // Every wait is bounded: one request or query by --timeout, RDAP by --retries with backoff
          // of at most 5 s between attempts (a server's Retry-After included).
          const retry = { timeoutMs: opts.timeout, retries: opts.retries, maxDelayMs: 5_000 };
          return untilInterrupted(async (signal) => {
            let rdap: ReturnType<typeof createRdapClient> | undefined;
            if (opts.rdap !== false) {
              const src = opts.bootstrap ?? IANA_DNS_BOOTSTRAP;
              rdap = createRdapClient({
                bootstrap: parseRdapBootstrap(await readBootstrap(src, io.cwd, signal, retry)),
                minIntervalMs: opts.rdapInterval ?? 500,
                retry,
              });
            }
            const bar = progress(io);
            const source = createEnrichSource({
              domains,
              ...(rdap ? { rdap } : {}),
              ...(opts.dns !== false
                ? {
                    dns: createDnsResolver({
                      ...(opts.resolver ? { servers: opts.resolver } : {}),
                      timeoutMs: opts.timeout,
                    }),
                  }
                : {}),
              onLookup: (p) =>
                bar.update(`enrich: ${p.done}/${p.total} domains looked up, ${p.failed} failed (${p.name})`),
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

/** The IANA RDAP bootstrap from a URL (bounded like every lookup) or a file. */
async function readBootstrap(
  src: string,
  cwd: string,
  signal: AbortSignal,
  retry: RetryPolicy,
): Promise<unknown> {
  if (/^https?:\/\//.test(src)) return politeGetJson(src, signal, retry);
  const text = readFileSync(resolve(cwd, src), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PrecursorError('VALIDATION_FAILED', `--bootstrap ${src}: not JSON: ${(e as Error).message}`);
  }
}
