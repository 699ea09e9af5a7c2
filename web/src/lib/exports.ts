// Which downloads this server offers, read from its own OpenAPI document: the export routes belong to
// the sharing stage, and a server without them simply shows no export buttons.
import { get } from './api.js';

export interface ExportLink {
  format: string;
  label: string;
  /** Path with query, ready to fetch. */
  path: string;
  file: string;
}

interface Param {
  name: string;
  in: string;
  schema?: { enum?: string[] };
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Param[] }>>;
}

let doc: Promise<OpenApi> | null = null;
const openapi = (): Promise<OpenApi> => {
  doc ??= get<OpenApi>('/openapi.json').catch((e) => {
    doc = null;
    throw e;
  });
  return doc;
};

const LABELS: Record<string, [string, string]> = {
  stix: ['STIX 2.1 bundle', 'json'],
  misp: ['MISP feed manifest', 'json'],
  rpz: ['RPZ zone', 'rpz'],
  report: ['Evidence report', 'html'],
};

export interface Exports {
  /**
   * Downloads about this campaign only: its published intel (`/v1/exports/{format}?campaign=…`) and
   * its evidence report, when the server has them.
   */
  campaign: ExportLink[];
  /** The published intel this key may see (every confirmed campaign), in the formats defenders run. */
  published: ExportLink[];
}

export async function campaignExports(campaignId: string): Promise<Exports> {
  const d = await openapi();
  const campaign: ExportLink[] = [];
  const published: ExportLink[] = [];
  for (const [path, ops] of Object.entries(d.paths)) {
    const params = ops.get?.parameters;
    if (!params) continue;
    // A route about one campaign: `/v1/campaigns/{id}/report` and the like.
    const m = /^\/v1\/campaigns\/\{[^}]+\}\/(report|stix|misp|rpz)$/.exec(path);
    if (m?.[1]) {
      const [label, ext] = LABELS[m[1]] ?? [m[1], 'bin'];
      campaign.push({
        format: m[1],
        label,
        path: path.replace(/\{[^}]+\}/, encodeURIComponent(campaignId)),
        file: `${campaignId}-${m[1]}.${ext}`,
      });
    }
    if (path === '/v1/exports/{format}') {
      const formats = params.find((p) => p.name === 'format')?.schema?.enum ?? [];
      const perCampaign = params.some((p) => p.name === 'campaign' && p.in === 'query');
      for (const f of ['stix', 'misp', 'rpz'].filter((x) => formats.includes(x))) {
        const [label, ext] = LABELS[f] ?? [f, 'txt'];
        published.push({ format: f, label, path: `/v1/exports/${f}`, file: `precursor-${f}.${ext}` });
        if (perCampaign)
          campaign.push({
            format: f,
            label,
            path: `/v1/exports/${f}?campaign=${encodeURIComponent(campaignId)}`,
            file: `${campaignId}-${f}.${ext}`,
          });
      }
    }
  }
  return { campaign, published };
}
