/**
 * One seeded world with ground truth: honest and operator tenants on two providers, the certificates
 * of every name (certstream messages), wallet transactions, kit and honest pages, and `truth.json`
 * (documented in `docs/simulate.md`). Deterministic: the same options give byte-identical files.
 * Each part draws from its own forked generator, so changing one part leaves the others' draws alone.
 * @module
 */
import { Rng } from '../rng.js';
import { walletEntityKey } from '../wallets.js';
import {
  type CertEntry,
  certstreamMessage,
  CPANEL_ISSUER,
  FREE_ISSUERS,
  ISSUERS,
  issue,
  numberEntries,
} from './certs.js';
import { EventFeed } from './events.js';
import { honestTenants } from './honest-tenants.js';
import { Ledger } from './ledger.js';
import {
  brandSecondary,
  cdnHost,
  constructedName,
  NameRegistry,
  platformHost,
  popularNames,
  siteSubdomain,
} from './names.js';
import { Networks } from './networks.js';
import { buildOperator, type CertRequest, type OperatorBuild } from './operators.js';
import { type HonestPageKind, honestPage, kitPage, type PageFile } from './pages.js';
import { type WorldOptions, type WorldParams, worldParams } from './params.js';
import { transactions } from './transactions.js';
import type { WorldTruth } from './truth.js';
import { CPANEL_HOSTS } from './vocab.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface World {
  readonly params: WorldParams;
  /** JSON lines, arrival order. */
  readonly tenantEvents: string[];
  /** Certstream messages in `seen` order, rendered one by one (a month holds a quarter of a million). */
  certstreamLines(): Generator<string>;
  readonly certstreamCount: number;
  /** JSON lines, time order. */
  readonly transactions: string[];
  /** Every host name of the world, sorted. */
  readonly names: string[];
  readonly pages: PageFile[];
  readonly truth: WorldTruth;
  /** Persona of every honest account, for error analysis; not part of the truth file. */
  readonly personaOf: ReadonlyMap<string, string>;
}

const iso = (t: number) => new Date(Math.round(t)).toISOString();

export function generateWorld(options: WorldOptions): World {
  const params = worldParams(options);
  const root = new Rng(`world/${params.seed}`);
  const rngTenants = root.fork('tenants');
  const rngOps = root.fork('operators');
  const rngCerts = root.fork('certificates');
  const rngPages = root.fork('pages');
  const rngTx = root.fork('transactions');
  const rngNames = root.fork('names');
  const start = Date.parse(params.start);
  const end = start + params.days * DAY;

  const registry = new NameRegistry();
  const popular = popularNames();
  for (const n of popular) registry.add(n);
  const feed = new EventFeed(rngTenants.fork('feed'), end, params.lateRate, params.duplicateRate);
  const nets = new Networks(rngTenants.fork('nets'), Math.max(8, Math.round(params.honestTenants / 600)));
  const ledger = new Ledger(rngTx.fork('ledger'), params.providers);

  // Operators first (their names are claimed before honest constructed names can take them).
  const ops: OperatorBuild[] = params.operators.map((op) =>
    buildOperator(rngOps.fork(op.id), params, op, feed, nets, registry, ledger),
  );
  const honest = honestTenants(rngTenants, params, feed, nets, registry, ledger);

  // ── certificates ──
  const entries: CertEntry[] = [];
  const opCerts = new Map<string, { sha256: string; precert: boolean; names: readonly string[] }[]>();
  const issueFor = (
    req: CertRequest,
    rng: Rng,
    issuer = rng.pick(FREE_ISSUERS),
    precert = rng.chance(params.honest.precertPairs),
  ) => {
    const es = issue(rng, Math.min(Math.max(req.at, start), end - HOUR), req.names, issuer, precert);
    for (const e of es) {
      entries.push(e);
      if (req.operator) {
        const list = opCerts.get(req.operator) ?? [];
        list.push({ sha256: e.sha256, precert: e.precert, names: e.names });
        opCerts.set(req.operator, list);
      }
    }
    return es.length;
  };
  let messages = 0;
  for (const op of ops)
    for (const r of op.certRequests)
      messages += issueFor(r, rngCerts, rngCerts.pick(FREE_ISSUERS), rngCerts.chance(0.9));
  for (const a of honest.names) {
    const sans =
      a.owner === 'organisation'
        ? [a.name, `www.${a.name}`, ...(rngCerts.chance(0.5) ? [`app.${a.name}`] : [])]
        : rngCerts.chance(0.3)
          ? CPANEL_HOSTS.map((h) => `${h}.${a.name}`).concat(a.name)
          : [a.name, `www.${a.name}`];
    messages += issueFor({ at: a.at - rngCerts.range(0, 2) * DAY, names: sans }, rngCerts);
  }
  const sources = Object.entries(params.honest.certSources) as [string, number][];
  const honestIssuer = () => {
    let total = 0;
    for (const i of ISSUERS) total += i.weight;
    let r = rngCerts.next() * total;
    for (const i of ISSUERS) {
      r -= i.weight;
      if (r < 0) return i;
    }
    return ISSUERS[0] as (typeof ISSUERS)[number];
  };
  const when = () => {
    // More issuance in the UTC working day than at night.
    for (;;) {
      const t = start + rngCerts.next() * params.days * DAY;
      const hour = new Date(t).getUTCHours();
      if (rngCerts.chance(hour >= 6 && hour <= 20 ? 1 : 0.6)) return t;
    }
  };
  const site = () => rngNames.pick(popular);
  // CDN customers and brands with secondary domains are mostly the big sites.
  const bigSite = () => popular[Math.floor(rngNames.next() ** 2 * Math.min(popular.length, 5000))] as string;
  let constructed = 0;
  while (messages < params.certstreamMessages) {
    const src = rngCerts.weighted(sources);
    let sans: string[];
    let issuer = honestIssuer();
    if (src === 'tranco') {
      const s = site();
      sans = rngNames.chance(0.6) ? [s, `www.${s}`] : [s];
    } else if (src === 'tranco-subdomain') {
      const s = site();
      sans = Array.from({ length: rngNames.int(1, 3) }, () => siteSubdomain(rngNames, s));
    } else if (src === 'cdn') {
      sans = [cdnHost(rngNames, bigSite())];
      issuer = ISSUERS.find((i) => i.O === 'DigiCert Inc') ?? issuer;
    } else if (src === 'brand-secondary') {
      const n = registry.claim(() => brandSecondary(rngNames, bigSite()));
      if (!n) continue;
      sans = [n, `*.${n}`];
    } else if (src === 'platform') {
      const h = registry.claim(() => platformHost(rngNames));
      if (!h) continue;
      sans = [h];
    } else {
      const n = registry.claim(() => constructedName(rngNames, params.honest.lureNoise));
      if (!n) continue;
      constructed += 1;
      if (src === 'cpanel') {
        sans = [n, ...CPANEL_HOSTS.map((h) => `${h}.${n}`)];
        issuer = CPANEL_ISSUER;
      } else if (src === 'wildcard') sans = [`*.${n}`, n];
      else sans = [n, `www.${n}`];
    }
    messages += issueFor({ at: when(), names: [...new Set(sans)] }, rngCerts, issuer);
  }
  const indexes = numberEntries(rngCerts, entries);
  function* certstreamLines(): Generator<string> {
    for (let i = 0; i < entries.length; i++)
      yield certstreamMessage(entries[i] as CertEntry, indexes[i] as number);
  }

  // ── pages ──
  const pages: PageFile[] = [];
  for (const op of ops)
    for (const spec of op.kitPages) pages.push(...kitPage(rngPages.fork(spec.host), spec));
  const honestHosts: { host: string; kind: HonestPageKind }[] = [];
  const pageable = honest.names.slice(0, Math.max(6, Math.round(honest.names.length * 0.05)));
  for (const a of pageable) {
    const kind = rngPages.weighted<HonestPageKind>([
      ['home', 5],
      ['signin', 2],
      ['contact', 2],
    ]);
    const host = kind === 'signin' && rngPages.chance(0.5) ? `app.${a.name}` : a.name;
    if (honestHosts.some((h) => h.host === host)) continue;
    honestHosts.push({ host, kind });
    pages.push(...honestPage(rngPages.fork(host), host, kind));
  }

  // ── transactions ──
  const txs = transactions(rngTx, ledger, ops, start, params.days, params.scale === 'small' ? 20 : 120);

  // ── names of the world ──
  const all = new Set<string>();
  const bare = (n: string) => (n.startsWith('*.') ? n.slice(2) : n);
  for (const e of entries) for (const n of e.names) all.add(bare(n));
  for (const op of ops) {
    for (const r of op.names) all.add(r.name);
    for (const p of op.kitPages) all.add(p.host);
  }
  for (const h of honestHosts) all.add(h.host);
  for (const a of honest.names) all.add(a.name);
  // Code-unit order with a plain comparator: the default sort's string conversions cost seconds here.
  const names = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // ── truth ──
  const nameLabels: WorldTruth['names'] = {};
  for (const op of ops) {
    for (const r of op.names)
      nameLabels[r.name] = {
        operator: op.params.id,
        kind: r.kind,
        template: r.template,
        registeredAt: iso(r.registeredAt),
        ...(r.account ? { account: r.account } : {}),
        ...(r.liveAt !== undefined ? { liveAt: iso(r.liveAt) } : {}),
      };
    const hosts = new Set<string>();
    for (const c of opCerts.get(op.params.id) ?? []) for (const n of c.names) hosts.add(bare(n));
    for (const p of op.kitPages) hosts.add(p.host);
    for (const h of hosts) {
      if (nameLabels[h]) continue;
      const parent = op.names.find((r) => h.endsWith(`.${r.name}`));
      if (!parent) continue;
      nameLabels[h] = {
        operator: op.params.id,
        kind: 'host',
        of: parent.name,
        registeredAt: iso(parent.registeredAt),
      };
    }
  }
  const truth: WorldTruth = {
    version: 1,
    seed: params.seed,
    scale: params.scale,
    start: params.start,
    end: iso(end),
    days: params.days,
    providers: [...params.providers],
    counts: {
      tenantEvents: feed.size,
      duplicateEvents: feed.duplicates,
      lateEvents: feed.late,
      certstreamMessages: entries.length,
      certificates: new Set(entries.map((e) => e.serial)).size,
      transactions: txs.length,
      names: names.length,
      operatorNames: Object.keys(nameLabels).length,
      pages: new Set(pages.map((p) => p.path.split('/')[0])).size,
      honestAccounts: honest.accounts,
      operatorAccounts: ops.reduce((n, o) => n + o.accounts.length, 0),
      constructedHonestNames: constructed,
    },
    operators: ops.map((op) => ({
      id: op.params.id,
      accounts: op.accounts,
      names: op.names.map((r) => r.name),
      hosts: Object.entries(nameLabels)
        .filter(([, l]) => l.operator === op.params.id && l.kind === 'host')
        .map(([h]) => h),
      wallets: op.wallets.map((w) => ({ chain: w.chain, address: w.address, key: walletEntityKey(w) })),
      cashOutWallets: [...op.cashOut, ...op.sweptTo].map((w) => ({
        chain: w.chain,
        address: w.address,
        key: walletEntityKey(w),
      })),
      certificates: (opCerts.get(op.params.id) ?? []).map((c) => ({
        sha256: c.sha256,
        precert: c.precert,
        names: [...c.names],
      })),
      kitPages: op.kitPages.map((p) => ({
        host: p.host,
        variant: p.variant,
        exfil: p.exfil,
        endpoint: p.endpoint,
        ...(p.wallet ? { wallet: p.wallet.address } : {}),
        deployedAt: iso(p.deployedAt),
        liveAt: iso(p.liveAt),
      })),
      telegramBots: op.telegramBots,
      webhooks: op.webhooks,
      preparedAt: iso(op.preparedAt),
      firstDeploymentAt: Number.isFinite(op.firstDeploymentAt) ? iso(op.firstDeploymentAt) : null,
      goLiveAt: iso(op.goLiveAt),
    })),
    names: nameLabels,
    honest: {
      personas: honest.personas,
      organisations: honest.organisations,
      cryptoPayers: honest.cryptoPayers,
      pages: honestHosts,
    },
    params,
  };
  return {
    params,
    tenantEvents: feed.lines(),
    certstreamLines,
    certstreamCount: entries.length,
    transactions: txs.map((t) => JSON.stringify(t)),
    names,
    pages,
    truth,
    personaOf: honest.personaOf,
  };
}
