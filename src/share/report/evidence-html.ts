/**
 * A self-contained HTML evidence report for one campaign, fit to print or attach as an exhibit: no
 * external resource of any kind (inline CSS, screenshots as data URIs, a CSP that forbids scripts and
 * network loads), every value escaped, times in UTC. A pure function of its model.
 * @module
 */
import { createHash } from 'node:crypto';
import type { ExportScope, Tlp } from '../model.js';
import { makeRedactor } from '../personal-data.js';
import type { Screenshot, SnapshotHash } from './report-model.js';

export interface EvidenceReportModel {
  readonly title: string;
  readonly generated: string;
  readonly tlp: Tlp;
  readonly producer: string;
  readonly campaign: {
    readonly id: string;
    readonly name: string;
    readonly description?: string;
    readonly firstSeen: string;
    readonly lastSeen: string;
  };
  readonly indicators: readonly {
    readonly kind: string;
    readonly value: string;
    readonly confidence: number;
    /** 0–100 assessment score. */
    readonly score: number;
  }[];
  readonly timeline: readonly { readonly time: string; readonly event: string; readonly detail?: string }[];
  readonly signals: readonly {
    readonly entity: string;
    readonly id: string;
    readonly weight: number;
    readonly detail: string;
  }[];
  readonly facts: readonly {
    readonly entity: string;
    readonly source: 'rdap' | 'dns' | 'certificate' | 'http' | 'tenant' | 'other';
    readonly label: string;
    readonly value: string;
  }[];
  readonly snapshots: readonly SnapshotHash[];
  readonly screenshots: readonly (Screenshot & { readonly entity: string })[];
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const TLP_STYLE: Record<Tlp, string> = {
  clear: 'background:#fff;color:#000;border:1px solid #000',
  green: 'background:#000;color:#33ff00',
  amber: 'background:#000;color:#ffc000',
  'amber+strict': 'background:#000;color:#ffc000',
  red: 'background:#000;color:#ff2b2b',
};

const fmt = (n: number) => String(Math.round(n * 100) / 100);

const utc = (t: string) => {
  const ms = Date.parse(t);
  return Number.isNaN(ms)
    ? t
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, ' UTC');
};

export function renderEvidenceReport(
  m: EvidenceReportModel,
  scope: Pick<ExportScope, 'tlp' | 'includePersonalData'>,
): string {
  const redact = makeRedactor(
    { campaigns: [] },
    { tlp: scope.tlp, ...(scope.includePersonalData ? { includePersonalData: true } : {}) },
  );
  const e = (s: string | number) => escapeHtml(redact(String(s)));
  const table = (head: string[], rows: (string | number)[][]) =>
    rows.length === 0
      ? '<p class="none">None recorded.</p>'
      : `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
  const tlp = `TLP:${m.tlp.toUpperCase()}`;
  const timeline = [...m.timeline].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const shots = m.screenshots.filter((s) => IMAGE_TYPES.has(s.contentType));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${e(m.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#111}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}
.tlp{display:inline-block;padding:.15rem .6rem;font-weight:700;letter-spacing:.05em}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f3f3f3}.none{color:#666}figure{margin:1rem 0}img{max-width:100%;border:1px solid #999}
figcaption,.meta{color:#444;font-size:.9em}code{font-family:ui-monospace,monospace}
@media print{h2{break-after:avoid}figure,tr{break-inside:avoid}}
</style>
</head>
<body>
<p><span class="tlp" style="${TLP_STYLE[m.tlp]}">${escapeHtml(tlp)}</span></p>
<h1>${e(m.title)}</h1>
<p class="meta">Campaign <code>${e(m.campaign.id)}</code> — ${e(m.campaign.name)}. Active ${e(utc(m.campaign.firstSeen))} to ${e(utc(m.campaign.lastSeen))}. Prepared by ${e(m.producer)} on ${e(utc(m.generated))}.</p>
${m.campaign.description ? `<p>${e(m.campaign.description)}</p>` : ''}
<h2>Indicators</h2>
${table(
  ['Kind', 'Value', 'Confidence', 'Score'],
  m.indicators.map((i) => [i.kind, i.value, Math.round(i.confidence), Math.round(i.score)]),
)}
<h2>Timeline</h2>
${table(
  ['Time (UTC)', 'Event', 'Detail'],
  timeline.map((t) => [utc(t.time), t.event, t.detail ?? '']),
)}
<h2>Signals</h2>
${table(
  ['Entity', 'Signal', 'Weight', 'Detail'],
  m.signals.map((s) => [s.entity, s.id, fmt(s.weight), s.detail]),
)}
<h2>Registration, DNS and certificate facts</h2>
${table(
  ['Entity', 'Source', 'Fact', 'Value'],
  m.facts.map((f) => [f.entity, f.source, f.label, f.value]),
)}
<h2>Page snapshots</h2>
${table(
  ['URL', 'Captured (UTC)', 'SHA-256', 'Bytes'],
  m.snapshots.map((s) => [s.url, utc(s.capturedAt), s.sha256, s.bytes]),
)}
<h2>Screenshots</h2>
${
  shots.length === 0
    ? '<p class="none">None recorded.</p>'
    : shots
        .map((s) => {
          const sha = createHash('sha256').update(s.bytes).digest('hex');
          return `<figure><img alt="${e(s.caption)}" src="data:${s.contentType};base64,${Buffer.from(s.bytes).toString('base64')}"><figcaption>${e(s.entity)} — ${e(s.caption)}, captured ${e(utc(s.capturedAt))}. SHA-256 <code>${sha}</code></figcaption></figure>`;
        })
        .join('\n')
}
<p><span class="tlp" style="${TLP_STYLE[m.tlp]}">${escapeHtml(tlp)}</span></p>
</body>
</html>
`;
}
