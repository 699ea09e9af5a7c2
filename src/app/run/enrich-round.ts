/**
 * One enrichment round of `precursor run`: RDAP and DNS facts for flagged domains this process has not
 * looked up today, and RDAP facts of the networks their addresses are in (those the store knows and
 * those this round's DNS answers name), through the same enrichment source as `precursor enrich`
 * (failed lookups become dead letters and are tried again next round). The detect pass that follows
 * re-scores them.
 * @module
 */
import type { Config } from '../../config/config-schema.js';
import { createDnsResolver } from '../../ingest/enrich/dns-resolve.js';
import { createEnrichSource } from '../../ingest/enrich/enrich-source.js';
import { createRdapClient, parseRdapBootstrap, type RdapClient } from '../../ingest/enrich/rdap.js';
import { createIpRdapClient, type IpRdapClient } from '../../ingest/enrich/rdap-ip.js';
import { resolvedAddresses } from '../enrich-targets.js';
import type { AppContext } from '../open-app.js';
import { IANA_DNS_BOOTSTRAP, loadIpRdapBootstrap, readRdapBootstrap } from '../rdap-bootstrap.js';

export function createEnrichRound(app: AppContext, settings: Config['run']['enrich'], cwd: string) {
  const retry = { timeoutMs: settings.timeoutMs, retries: 2, maxDelayMs: 5_000 };
  let rdap: RdapClient | undefined;
  // Kept for the life of the process: its cache per network range spans rounds (for a day).
  let ipRdap: IpRdapClient | undefined;
  let day = '';
  const done = new Set<string>();
  return async (signal: AbortSignal): Promise<number> => {
    const today = new Date().toISOString().slice(0, 10);
    if (today !== day) {
      day = today;
      done.clear();
    }
    const flagged = await app.pipeline.store.entities.list({ type: 'domain', flagged: true, limit: 10_000 });
    const domains = flagged
      .map((v) => v.entity.key.slice('domain:'.length))
      .filter((d) => !done.has(d))
      .slice(0, settings.limit);
    if (domains.length === 0) return 0;
    if (settings.rdap && !rdap) {
      const src = settings.bootstrap ?? IANA_DNS_BOOTSTRAP;
      const json = await readRdapBootstrap(src, cwd, signal, retry, 'run.enrich.bootstrap');
      rdap = createRdapClient({ bootstrap: parseRdapBootstrap(json), minIntervalMs: 500, retry });
    }
    const ipOn = settings.rdap && settings.ipRdap;
    if (ipOn && !ipRdap) {
      const bootstrap = await loadIpRdapBootstrap(
        { ipv4: settings.ipv4Bootstrap, ipv6: settings.ipv6Bootstrap },
        cwd,
        signal,
        retry,
        (f) => `run.enrich.${f}Bootstrap`,
      );
      ipRdap = createIpRdapClient({ bootstrap, minIntervalMs: 500, retry });
    }
    const source = createEnrichSource({
      domains,
      sourceId: 'enrich:run',
      ...(settings.rdap && rdap ? { rdap } : {}),
      ...(ipOn && ipRdap
        ? {
            ipRdap,
            ips: await resolvedAddresses(app.pipeline.store.entities, domains),
            followAddresses: true,
          }
        : {}),
      ...(settings.dns ? { dns: createDnsResolver({ timeoutMs: settings.timeoutMs }) } : {}),
    });
    await app.pipeline.ingest(source, { ignoreCheckpoint: true, detect: false, signal });
    for (const d of domains) done.add(d);
    return domains.length;
  };
}
