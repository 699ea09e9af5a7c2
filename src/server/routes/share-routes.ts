/**
 * Sharing over the v1 API: the URL check and export downloads (what the dashboard's export buttons
 * fetch). Thin: the URL check is src/app/url-check.ts, exports src/app/export-service.ts.
 * @module
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { buildCampaignReport } from '../../app/campaign-report.js';
import { evidenceDir } from '../../app/detectors.js';
import { EXPORT_FORMATS, type ExportFormat, runExport } from '../../app/export-service.js';
import type { Pipeline } from '../../app/pipeline.js';
import { intelCeiling } from '../../app/reader-scope.js';
import { type CheckCaller, UrlChecker } from '../../app/url-check.js';
import { PrecursorError } from '../../domain/index.js';
import { EvidenceStore } from '../../ingest/crawl/evidence-store.js';
import { type Tlp, TLP_LEVELS, tlpAllows } from '../../domain/tlp.js';
import type { ApiKeyRecord } from '../../store/store.js';
import { defineRoute } from '../route.js';

const reason = z.object({ id: z.string(), weight: z.number(), detail: z.string() });
export const CheckResultSchema = z.object({
  url: z.string(),
  verdict: z.enum(['benign', 'suspicious', 'malicious', 'invalid']),
  score: z.number(),
  reasons: z.array(reason),
  campaign: z.string().nullable(),
});

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const actorOf = (key: ApiKeyRecord | undefined) => (key ? `key:${key.id}` : 'anonymous');

export function shareRoutes(p: Pipeline) {
  const checker = new UrlChecker({ store: p.store, config: p.config, registry: () => p.registry() });
  const caller = async (key: ApiKeyRecord | undefined): Promise<CheckCaller> => ({
    tlp: await intelCeiling(p.store, p.config, key),
    internal: !key?.partner,
  });

  const exportScope = async (key: ApiKeyRecord | undefined, asked: Tlp | undefined): Promise<Tlp> => {
    const ceiling = await intelCeiling(p.store, p.config, key);
    if (ceiling === undefined)
      throw new PrecursorError('FORBIDDEN', `partner '${key?.partner}' has no grant on published intel`);
    const tlp = asked ?? (tlpAllows(ceiling, 'green') ? 'green' : ceiling);
    if (!tlpAllows(ceiling, tlp))
      throw new PrecursorError(
        'FORBIDDEN',
        `this key may export up to TLP:${ceiling.toUpperCase()}, not ${tlp.toUpperCase()}`,
      );
    return tlp;
  };

  const exportQuery = z.object({
    tlp: z.enum(TLP_LEVELS).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    personal_data: boolish,
    /** One campaign's intel only (`C-…`). */
    campaign: z.string().min(1).max(200).optional(),
  });

  const download = async (
    c: Context,
    format: ExportFormat,
    file: string | undefined,
    query: z.infer<typeof exportQuery>,
    key: ApiKeyRecord | undefined,
  ) => {
    const tlp = await exportScope(key, query.tlp);
    const result = await runExport(p.store, p.config, {
      format,
      tlp,
      ...(query.since ? { since: query.since } : {}),
      ...(query.personal_data ? { includePersonalData: true } : {}),
      ...(query.campaign ? { campaign: query.campaign } : {}),
      actor: actorOf(key),
    });
    const main = format === 'misp' ? result.files.find((f) => f.name === 'manifest.json') : result.files[0];
    const f = file === undefined ? main : result.files.find((x) => x.name === file);
    if (!f)
      throw new PrecursorError('NOT_FOUND', `no file '${file}' in the ${format} export`, {
        details: { files: result.files.map((x) => x.name) },
      });
    return c.body(f.content, 200, {
      'content-type': f.mediaType,
      'content-disposition': `attachment; filename="${f.name}"`,
      'x-precursor-export-files': result.files.map((x) => x.name).join(','),
      'x-precursor-tlp': tlp,
      'cache-control': 'no-store',
    });
  };

  return [
    defineRoute({
      method: 'get',
      path: '/v1/check',
      role: 'reader',
      tag: 'sharing',
      summary:
        'Check one URL or host name: confirmed intel (within the key’s TLP), else the stored assessment, else the domain engine live.',
      query: z.object({ url: z.string().min(1).max(8192) }),
      responses: { '200': '{url, verdict, score, reasons:[{id, weight, detail}], campaign}' },
      async handler(c, { query, key }) {
        const started = performance.now();
        const r = await checker.check(query.url, await caller(key));
        c.header('server-timing', `check;dur=${(performance.now() - started).toFixed(3)}`);
        return c.json(r);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/check',
      role: 'reader',
      tag: 'sharing',
      summary: 'Check up to 1,000 URLs or host names at once → {items: [check result, …]} in input order.',
      body: z.object({ urls: z.array(z.string().min(1).max(8192)).min(1).max(1000) }),
      responses: { '200': '{items:[{url, verdict, score, reasons, campaign}]}' },
      async handler(c, { body, key }) {
        const who = await caller(key);
        const items = [];
        for (const u of body.urls) items.push(await checker.check(u, who));
        return c.json({ items });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/exports/:format',
      role: 'reader',
      tag: 'sharing',
      summary:
        'Download published intel: stix (bundle), misp (its manifest.json; events via /v1/exports/misp/{file}), rpz, hosts, adblock, plain, csv, suricata. `?campaign=C-…` keeps one campaign’s intel. Audited; TLP up to the key’s ceiling (default green).',
      params: z.object({ format: z.enum(EXPORT_FORMATS) }),
      query: exportQuery,
      responses: {
        '200':
          'the export file (Content-Disposition: attachment); X-Precursor-Export-Files lists all files of the export',
        '403': 'TLP above the key’s ceiling, or a partner without a grant',
      },
      async handler(c, { params, query, key }) {
        return download(c, params.format, undefined, query, key);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/exports/:format/:file',
      role: 'reader',
      tag: 'sharing',
      summary:
        'One file of an export: a MISP feed (manifest.json, <event-uuid>.json, hashes.csv: point a MISP feed here with the key in an Authorization header) or Suricata’s dataset file.',
      params: z.object({ format: z.enum(EXPORT_FORMATS), file: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/) }),
      query: exportQuery,
      responses: { '200': 'the file', '404': 'no such file in this export' },
      async handler(c, { params, query, key }) {
        return download(c, params.format, params.file, query, key);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/campaigns/:id/report',
      role: 'analyst',
      tag: 'sharing',
      summary:
        'The campaign’s evidence report as one self-contained HTML page (as `precursor report campaign` writes it); `?format=json` for its JSON. Audited.',
      params: z.object({ id: z.string().min(1).max(200) }),
      query: z.object({
        tlp: z.enum(TLP_LEVELS).default('amber'),
        personal_data: boolish,
        format: z.enum(['html', 'json']).default('html'),
      }),
      responses: { '200': 'text/html (or the JSON model)', '404': 'CAMPAIGN_NOT_FOUND' },
      async handler(c, { params, query, key }) {
        const result = await buildCampaignReport(
          p.store,
          p.config,
          new EvidenceStore(evidenceDir(p.config)),
          {
            campaignId: params.id,
            tlp: query.tlp,
            ...(query.personal_data ? { includePersonalData: true } : {}),
            actor: actorOf(key),
          },
        );
        const f = result.files.find((x) => x.name === `report.${query.format}`);
        return c.body(String(f?.content ?? ''), 200, {
          'content-type': query.format === 'html' ? 'text/html; charset=utf-8' : 'application/json',
          'content-disposition': `attachment; filename="${params.id.replace(/[^A-Za-z0-9_-]/g, '_')}-report.${query.format}"`,
          'cache-control': 'no-store',
          // The report is an exhibit: nothing in it runs or loads.
          'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
        });
      },
    }),
  ];
}
