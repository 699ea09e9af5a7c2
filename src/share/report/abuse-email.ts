/**
 * Abuse reports per recipient: the sites of a case grouped by their registrar's and their hosts' RDAP
 * abuse contacts (a site whose addresses lie in two providers' networks goes to both, each told only
 * of the addresses in its own network), each with a plain-text e-mail body (URLs defanged so a mail
 * filter or a careless click does not fetch them; the attached XARF reports carry them exactly) and
 * its XARF reports.
 * @module
 */
import { makeRedactor } from '../personal-data.js';
import type { AbuseCase, AbuseRecipient, PhishingSite } from './report-model.js';
import { type XarfPhishingReport, xarfReport } from './xarf-report.js';

export interface AbuseReport {
  readonly recipient: AbuseRecipient;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly xarf: readonly XarfPhishingReport[];
}

/** `hxxps://login-micros0ft[.]com/…` */
export function defang(url: string): string {
  return url.replace(/^http/i, 'hxxp').replace(/\./g, '[.]');
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

export function abuseReports(input: AbuseCase, now: Date): AbuseReport[] {
  const c = redactCase(input);
  const groups = new Map<string, { recipient: AbuseRecipient; sites: PhishingSite[] }>();
  for (const site of c.sites)
    for (const r of [site.registrar, ...hostsOf(site)]) {
      if (!r) continue;
      const key = `${r.kind}|${r.abuseEmail.toLowerCase()}`;
      const g = groups.get(key) ?? { recipient: r, sites: [] };
      if (!g.sites.includes(site)) g.sites.push(site);
      groups.set(key, g);
    }
  return [...groups.values()].map(({ recipient, sites }) => ({
    recipient,
    to: oneLine(recipient.abuseEmail),
    subject: oneLine(
      `[Phishing] ${sites.length} ${sites.length === 1 ? 'site' : 'sites'}${brands(sites)} ${recipient.kind === 'registrar' ? 'registered through' : 'hosted at'} ${recipient.name}`,
    ),
    text: body(c, recipient, sites),
    xarf: sites.map((s) =>
      xarfReport(c, s, now, recipient.kind === 'host' ? hostEntry(s, recipient) : undefined),
    ),
  }));
}

/** The hosting networks of a site with an abuse contact (`hosts`, or the single `host` of older callers). */
const hostsOf = (site: PhishingSite): readonly AbuseRecipient[] =>
  site.hosts ?? (site.host ? [site.host] : []);

/** The site's entry for this host's abuse desk: which of its addresses are in that desk's networks. */
function hostEntry(site: PhishingSite, r: AbuseRecipient): AbuseRecipient | undefined {
  return hostsOf(site).find((h) => h.abuseEmail.toLowerCase() === r.abuseEmail.toLowerCase());
}

function brands(sites: readonly PhishingSite[]): string {
  const b = [...new Set(sites.map((s) => s.targetBrand).filter(Boolean))];
  return b.length ? ` impersonating ${b.join(', ')}` : '';
}

function body(c: AbuseCase, r: AbuseRecipient, sites: readonly PhishingSite[]): string {
  const ask =
    r.kind === 'registrar'
      ? 'We ask you to suspend these domain registrations under your anti-abuse policy (ICANN RAA 3.18).'
      : 'We ask you to take the phishing content offline and preserve the account data for law enforcement.';
  const lines = [
    `Dear ${r.name} abuse team,`,
    '',
    `${c.reporter.org} has confirmed the following ${sites.length === 1 ? 'site' : 'sites'} as credential phishing${brands(sites)}.`,
    ask,
    '',
  ];
  for (const s of sites) {
    lines.push(`- ${defang(s.url)}`);
    lines.push(
      `  Domain: ${s.domain}${s.domainCreated ? ` (registered ${s.domainCreated.slice(0, 10)})` : ''}`,
    );
    const here = r.kind === 'host' ? hostEntry(s, r) : undefined;
    if (here?.addresses?.length)
      lines.push(
        `  Hosted at: ${here.addresses.join(', ')}${here.network ? ` (network ${here.network}${here.handle ? `, ${here.handle}` : ''})` : ''}${s.asn ? ` (AS${s.asn})` : ''}`,
      );
    else if (s.addresses?.length)
      lines.push(`  Addresses: ${s.addresses.join(', ')}${s.asn ? ` (AS${s.asn})` : ''}`);
    lines.push(
      `  First seen: ${new Date(s.firstSeen).toISOString()}; last verified: ${new Date(s.verifiedAt).toISOString()}`,
    );
    if (s.certificate) lines.push(`  Certificate: ${s.certificate.issuer}, SHA-256 ${s.certificate.sha256}`);
    for (const sig of [...s.signals].sort((a, b) => b.weight - a.weight).slice(0, 5))
      lines.push(`  Evidence: ${oneLine(sig.detail)}`);
    for (const snap of s.snapshots ?? [])
      lines.push(`  Snapshot SHA-256: ${snap.sha256} (${new Date(snap.capturedAt).toISOString()})`);
    lines.push('');
  }
  lines.push(
    'Machine-readable XARF v4 reports (content/phishing) with screenshots are attached; URLs above are defanged (hxxp, [.]).',
    ...(c.campaign ? [`Our reference: campaign ${c.campaign.id}.`] : []),
    '',
    `${c.reporter.org}`,
    `${c.reporter.contact}`,
    '',
  );
  return lines.join('\n');
}

/** Abuse desks are third parties: signal details lose personal data unless the case allows it. */
function redactCase(c: AbuseCase): AbuseCase {
  const redact = makeRedactor(
    { campaigns: [] },
    { tlp: c.tlp, ...(c.includePersonalData ? { includePersonalData: true } : {}) },
  );
  return {
    ...c,
    sites: c.sites.map((s) => ({
      ...s,
      signals: s.signals.map((g) => ({ ...g, detail: redact(g.detail) })),
    })),
  };
}
