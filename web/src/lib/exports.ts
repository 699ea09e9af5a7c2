// Which downloads this server offers, read from its own OpenAPI document: the export routes are the
// sharing stage's, and a server without them simply shows no export buttons.
import { get } from './api.js';

export interface ExportLink {
  format: 'stix' | 'misp' | 'rpz' | 'report' | string;
  label: string;
  /** Path with query, ready to fetch. */
  path: string;
  file: string;
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; summary?: string }>>;
}

let doc: Promise<OpenApi> | null = null;
const openapi = (): Promise<OpenApi> => {
  doc ??= get<OpenApi>('/openapi.json').catch((e) => {
    doc = null;
    throw e;
  });
  return doc;
};

const FORMATS: [RegExp, string, string, string][] = [
  [/stix/i, 'stix', 'STIX 2.1 bundle', 'json'],
  [/misp/i, 'misp', 'MISP event', 'json'],
  [/rpz/i, 'rpz', 'RPZ zone', 'rpz'],
  [/report/i, 'report', 'Evidence report', 'html'],
];

/** Export links for one campaign, in the order STIX, MISP, RPZ, report. */
export async function campaignExports(campaignId: string): Promise<ExportLink[]> {
  const d = await openapi();
  const out: ExportLink[] = [];
  for (const [re, format, label, ext] of FORMATS) {
    let best: ExportLink | null = null;
    for (const [path, ops] of Object.entries(d.paths)) {
      const op = ops.get;
      if (!op || !re.test(path) || path.startsWith('/taxii')) continue;
      const params = op.parameters ?? [];
      const campaignParam = params.find((p) => p.in === 'query' && /^campaign(_?id)?$/i.test(p.name));
      const pathParams = params.filter((p) => p.in === 'path');
      let filled = path;
      if (pathParams.length === 1 && /campaign/i.test(path))
        filled = path.replace(/\{[^}]+\}/, encodeURIComponent(campaignId));
      else if (pathParams.length > 0) continue;
      const q =
        campaignParam && filled === path ? `?${campaignParam.name}=${encodeURIComponent(campaignId)}` : '';
      if (filled === path && !q) continue; // an export of everything, not of this campaign
      const candidate = { format, label, path: filled + q, file: `${campaignId}-${format}.${ext}` };
      if (!best || candidate.path.length < best.path.length) best = candidate;
    }
    if (best) out.push(best);
  }
  return out;
}
