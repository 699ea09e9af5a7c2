/**
 * `precursor report campaign ID`: an evidence package for one campaign — a self-contained HTML
 * report fit for an exhibit (timeline, indicators, signals, RDAP/DNS/certificate/HTTP facts, snapshot
 * hashes, screenshots), the same as JSON, the screenshots as files, and per-registrar / per-host
 * abuse reports (a plain-text e-mail and XARF v4 `content/phishing` JSON per site) addressed to the
 * RDAP abuse contacts. Assembled from the store (campaign, members, links, assessments, published
 * intel) and the evidence store (snapshot manifests and screenshots); rendering is src/share/report.
 * The report is an audited action (`report.campaign`).
 * @module
 */
import { isIP } from 'node:net';
import type { Config } from '../config/config-schema.js';
import { type Entity, type EntityKey, PrecursorError, parseEntityKey } from '../domain/index.js';
import type { Tlp } from '../domain/tlp.js';
import type { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import type { PublishedIndicator } from '../share/model.js';
import { checkPersonalDataScope } from '../share/personal-data.js';
import { abuseReports } from '../share/report/abuse-email.js';
import { type EvidenceReportModel, renderEvidenceReport } from '../share/report/evidence-html.js';
import type { AbuseRecipient, PhishingSite, Screenshot, SnapshotHash } from '../share/report/report-model.js';
import type { Aggregates } from '../store/store.js';

export interface ReportRequest {
  readonly campaignId: string;
  readonly tlp: Tlp;
  readonly includePersonalData?: boolean;
  readonly actor: string;
  readonly now?: Date;
}

export interface ReportFile {
  /** Relative path inside the report directory. */
  readonly name: string;
  readonly content: string | Uint8Array;
}

export interface ReportResult {
  readonly files: readonly ReportFile[];
  readonly sites: number;
  readonly abuseReports: number;
}

type Facts = EvidenceReportModel['facts'][number];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'x';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The hosting networks of a site's addresses that have an abuse contact (IP-network RDAP on the `ip:`
 * entities), one recipient per contact with the addresses it hosts; their RDAP facts join the report.
 */
async function hostingNetworks(
  store: Aggregates,
  addresses: readonly string[],
  facts: Facts[],
): Promise<AbuseRecipient[]> {
  const byContact = new Map<string, { recipient: AbuseRecipient; addresses: string[] }>();
  for (const ip of addresses) {
    const key = `ip:${ip}` as EntityKey;
    const a = (await store.entities.get(key))?.attrs ?? {};
    const abuse = str(a.abuseEmail);
    const cidr = strings(a.networkCidr).join(', ') || undefined;
    const name = str(a.registrant) ?? str(a.network) ?? str(a.asName);
    for (const [label, v] of [
      ['network', [str(a.network), str(a.networkHandle), cidr].filter(Boolean).join(' ') || undefined],
      ['holder', [str(a.registrant), str(a.country)].filter(Boolean).join(', ') || undefined],
      ['network abuse contact', abuse],
      ['registry', str(a.rir)],
    ] as const)
      if (v && !facts.some((f) => f.entity === key && f.label === label))
        facts.push({ entity: key, source: 'rdap', label, value: v });
    if (!abuse) continue;
    const g = byContact.get(abuse.toLowerCase());
    if (g) g.addresses.push(ip);
    else
      byContact.set(abuse.toLowerCase(), {
        recipient: {
          kind: 'host',
          name: name ?? ip,
          abuseEmail: abuse,
          ...(str(a.networkHandle) ? { handle: str(a.networkHandle) as string } : {}),
          ...(cidr ? { network: cidr } : {}),
        },
        addresses: [ip],
      });
  }
  return [...byContact.values()].map((g) => ({ ...g.recipient, addresses: g.addresses }));
}

export async function buildCampaignReport(
  store: Aggregates,
  config: Config,
  evidence: Pick<EvidenceStore, 'manifest' | 'get'>,
  req: ReportRequest,
): Promise<ReportResult> {
  checkPersonalDataScope({ tlp: req.tlp, ...(req.includePersonalData ? { includePersonalData: true } : {}) });
  const now = req.now ?? new Date();
  const campaign = await store.campaigns.get(req.campaignId);
  if (!campaign) throw new PrecursorError('CAMPAIGN_NOT_FOUND', `no campaign ${req.campaignId}`);
  const memberKeys = campaign.members.map((m) => m.key);
  const entities = await store.entities.getMany(memberKeys);
  const published = new Map(
    (await store.intel.latest({ kind: 'indicator', keys: memberKeys })).map((r) => [
      r.key,
      r.body as unknown as PublishedIndicator,
    ]),
  );
  const facts: Facts[] = [];
  const signals: EvidenceReportModel['signals'][number][] = [];
  const snapshots: SnapshotHash[] = [];
  const screenshots: (Screenshot & { entity: string })[] = [];
  const files: ReportFile[] = [];
  const sites: PhishingSite[] = [];

  // Sites: every URL member, and every domain member without one (its root).
  const urlMembers = memberKeys.filter((k) => k.startsWith('url:')).map((k) => k.slice(4));
  const domainMembers = memberKeys.filter((k) => k.startsWith('domain:')).map((k) => k.slice(7));
  const siteUrls = [...urlMembers];
  for (const d of domainMembers) if (!urlMembers.some((u) => hostOf(u) === d)) siteUrls.push(`https://${d}/`);

  const seenSnapshots = new Set<string>();
  for (const key of memberKeys) {
    const a = await store.assessments.get(key);
    for (const c of a?.contributions ?? [])
      signals.push({ entity: key, id: c.id, weight: c.weight, detail: c.detail });
  }

  for (const url of siteUrls.sort()) {
    const host = hostOf(url);
    if (!host) continue;
    const domainKey = `domain:${host}` as EntityKey;
    const domain = entities.get(domainKey) ?? (await store.entities.get(domainKey));
    const urlEntity = entities.get(`url:${url}` as EntityKey);
    const attrs = domain?.attrs ?? {};
    const links = domain ? await store.entities.links(domainKey) : [];
    const other = (l: { from: EntityKey; to: EntityKey }) => (l.from === domainKey ? l.to : l.from);
    const dns = (attrs.dns ?? {}) as Record<string, unknown>;
    const addresses = [
      ...new Set([
        // A URL on a bare address is hosted at that address.
        ...(isIP(host.replace(/^\[|\]$/g, '')) !== 0 ? [host.replace(/^\[|\]$/g, '')] : []),
        ...strings(dns.a),
        ...strings(dns.aaaa),
        ...links.filter((l) => l.pivot === 'resolves-to').map((l) => other(l).slice(3)),
      ]),
    ].filter((ip) => isIP(ip) !== 0);
    const nameservers = [...new Set([...strings(dns.ns), ...strings(attrs.nameservers)])];
    const registrar: AbuseRecipient | undefined =
      str(attrs.abuseEmail) && str(attrs.registrar)
        ? {
            kind: 'registrar',
            name: str(attrs.registrar) as string,
            abuseEmail: str(attrs.abuseEmail) as string,
          }
        : undefined;
    const hosts = await hostingNetworks(store, addresses, facts);
    const hostRecipient = hosts[0];
    const certLink = links.find((l) => l.pivot === 'cert-name');
    const cert: Entity | undefined = certLink ? await store.entities.get(other(certLink)) : undefined;
    const siteSnapshots: SnapshotHash[] = [];
    const siteShots: Screenshot[] = [];
    for (const l of links.filter((x) => x.pivot === 'serves')) {
      const snapKey = other(l);
      const hash = snapKey.startsWith('snapshot:sha256:')
        ? snapKey.slice('snapshot:sha256:'.length)
        : undefined;
      if (!hash || seenSnapshots.has(hash)) continue;
      seenSnapshots.add(hash);
      const manifest = await evidence.manifest(hash);
      if (!manifest) continue;
      const snap = {
        url: manifest.finalUrl,
        capturedAt: manifest.fetchedAt,
        sha256: hash,
        bytes: (await evidence.get(hash))?.length ?? 0,
      };
      siteSnapshots.push(snap);
      snapshots.push(snap);
      facts.push({
        entity: domainKey,
        source: 'http',
        label: `HTTP ${manifest.status ?? '?'}`,
        value: manifest.finalUrl,
      });
      const shotHash = manifest.blobs.screenshot;
      const bytes = shotHash ? await evidence.get(shotHash) : undefined;
      if (shotHash && bytes) {
        const shot: Screenshot = {
          caption: `${manifest.finalUrl} at ${manifest.fetchedAt}`,
          contentType: 'image/png',
          bytes,
          capturedAt: manifest.fetchedAt,
        };
        siteShots.push(shot);
        screenshots.push({ ...shot, entity: domainKey });
        files.push({ name: `screenshots/${shotHash}.png`, content: bytes });
      }
    }
    for (const [label, v] of [
      ['registrar', str(attrs.registrar)],
      ['registered', str(attrs.registeredAt)],
      ['expires', str(attrs.expiresAt)],
      ['abuse contact', str(attrs.abuseEmail)],
      ['status', strings(attrs.rdapStatus).join(', ') || undefined],
    ] as const)
      if (v) facts.push({ entity: domainKey, source: 'rdap', label, value: v });
    if (addresses.length)
      facts.push({ entity: domainKey, source: 'dns', label: 'addresses', value: addresses.join(', ') });
    if (nameservers.length)
      facts.push({ entity: domainKey, source: 'dns', label: 'name servers', value: nameservers.join(', ') });
    if (cert)
      facts.push({
        entity: domainKey,
        source: 'certificate',
        label: cert.key,
        value: `${str(cert.attrs.issuer) ?? 'unknown issuer'}, valid ${str(cert.attrs.notBefore) ?? '?'} – ${str(cert.attrs.notAfter) ?? '?'}`,
      });
    const ind = published.get(`url:${url}` as EntityKey) ?? published.get(domainKey);
    const siteSignals = signals.filter((s) => s.entity === domainKey || s.entity === `url:${url}`);
    sites.push({
      url,
      domain: host,
      ...(addresses.length ? { addresses } : {}),
      ...(nameservers.length ? { nameservers } : {}),
      firstSeen: (urlEntity ?? domain)?.firstSeen ?? campaign.firstSeen,
      verifiedAt: (urlEntity ?? domain)?.lastSeen ?? campaign.lastSeen,
      ...(cert
        ? {
            certificate: {
              issuer: str(cert.attrs.issuer) ?? 'unknown',
              subject: cert.display,
              validFrom: str(cert.attrs.notBefore) ?? campaign.firstSeen,
              validTo: str(cert.attrs.notAfter) ?? campaign.lastSeen,
              sha256: cert.key.slice('cert:sha256:'.length),
            },
          }
        : {}),
      ...(str(attrs.registeredAt) ? { domainCreated: str(attrs.registeredAt) as string } : {}),
      ...(registrar ? { registrar } : {}),
      ...(hostRecipient ? { host: hostRecipient, hosts } : {}),
      confidence: ind?.confidence ?? Math.round(Math.max(0, ...siteSignals.map((s) => s.weight))),
      signals: siteSignals.map(({ id, weight, detail }) => ({ id, weight, detail })),
      ...(siteShots.length ? { screenshots: siteShots } : {}),
      ...(siteSnapshots.length ? { snapshots: siteSnapshots } : {}),
    });
  }

  const history = await Promise.all(
    [...published.keys()].map(async (k) => ({ key: k, versions: await store.intel.history('indicator', k) })),
  );
  const timeline: EvidenceReportModel['timeline'][number][] = [
    ...campaign.timeline.map((t) => ({ time: t.at, event: t.kind, detail: t.detail })),
    ...history.flatMap((h) =>
      h.versions.map((v) => ({
        time: v.modified,
        event: v.revoked ? 'revoked' : 'published',
        detail: `${h.key} version ${v.version}, TLP:${v.tlp.toUpperCase()}${v.caseId ? `, case ${v.caseId}` : ''}`,
      })),
    ),
  ];
  const producer = config.share.producer;
  const model: EvidenceReportModel = {
    title: `Phishing campaign ${campaign.name} (${campaign.id})`,
    generated: now.toISOString(),
    tlp: req.tlp,
    producer: producer.name,
    campaign: {
      id: campaign.id,
      name: campaign.name,
      description: campaign.explanation,
      firstSeen: campaign.firstSeen,
      lastSeen: campaign.lastSeen,
    },
    indicators: campaign.members
      .filter((m) => ['domain', 'url', 'ip'].includes(parseEntityKey(m.key)?.type ?? ''))
      .map((m) => {
        const ind = published.get(m.key);
        return { kind: m.type, value: m.display, confidence: ind?.confidence ?? m.score, score: m.score };
      }),
    timeline,
    signals,
    facts,
    snapshots,
    screenshots,
  };
  const scope = { tlp: req.tlp, ...(req.includePersonalData ? { includePersonalData: true } : {}) };
  const reporter = {
    org: producer.name,
    contact: producer.contact ?? `abuse@${producer.domain ?? 'precursor.invalid'}`,
    domain: producer.domain ?? 'precursor.invalid',
  };
  const reports = abuseReports(
    { reporter, campaign: { id: campaign.id, name: campaign.name }, sites, ...scope },
    now,
  );
  files.unshift(
    { name: 'report.html', content: renderEvidenceReport(model, scope) },
    {
      name: 'report.json',
      content: `${JSON.stringify(
        {
          ...model,
          screenshots: screenshots.map(({ bytes: _b, ...s }) => s),
          sites: sites.map(({ screenshots: _s, ...x }) => x),
        },
        null,
        1,
      )}\n`,
    },
  );
  for (const r of reports) {
    const base = `abuse/${r.recipient.kind}-${slug(r.recipient.name)}-${slug(r.to)}`;
    files.push({ name: `${base}.txt`, content: `To: ${r.to}\nSubject: ${r.subject}\n\n${r.text}` });
    for (const [i, x] of r.xarf.entries())
      files.push({ name: `${base}-${i + 1}.xarf.json`, content: `${JSON.stringify(x, null, 1)}\n` });
  }
  await store.audit.append({
    at: now.toISOString(),
    actor: req.actor,
    action: 'report.campaign',
    subject: `campaign:${campaign.id}`,
    detail: {
      tlp: req.tlp,
      personalData: req.includePersonalData === true,
      sites: sites.length,
      abuseReports: reports.length,
    },
  });
  return { files, sites: sites.length, abuseReports: reports.length };
}
