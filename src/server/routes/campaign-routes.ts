/**
 * `/v1/campaigns`: the campaigns the correlate stage keeps, riskiest first, and one in full.
 * @module
 */
import { z } from 'zod';
import { campaignDetail, listCampaigns } from '../../app/campaigns-service.js';
import type { Pipeline } from '../../app/pipeline.js';
import { defineRoute } from '../route.js';

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export function campaignRoutes(p: Pipeline) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/campaigns',
      role: 'reader',
      tag: 'campaigns',
      summary:
        'List campaigns, riskiest first (then by id); page with `after` = the `next` of the previous page.',
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(50),
        after: z.string().min(1).max(200).optional(),
        min_risk: z.coerce.number().min(0).max(100).optional(),
        flagged: boolish,
        state: z.enum(['active', 'dissolved', 'all']).default('active'),
      }),
      async handler(c, { query }) {
        const page = await listCampaigns(p.store, {
          limit: query.limit,
          state: query.state,
          ...(query.after ? { after: query.after } : {}),
          ...(query.min_risk !== undefined ? { minRisk: query.min_risk } : {}),
          ...(query.flagged !== undefined ? { flagged: query.flagged } : {}),
        });
        return c.json(page);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/campaigns/:id',
      role: 'reader',
      tag: 'campaigns',
      summary: 'One campaign: members, pivots, timeline, growth, lead time and explanation.',
      params: z.object({ id: z.string().min(1).max(200) }),
      responses: { '200': 'the campaign', '404': 'no such campaign (CAMPAIGN_NOT_FOUND)' },
      async handler(c, { params }) {
        return c.json(await campaignDetail(p.store, params.id));
      },
    }),
  ];
}
