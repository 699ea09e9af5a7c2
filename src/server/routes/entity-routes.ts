import { z } from 'zod';
import { ENTITY_TYPES, type EntityKey, PrecursorError, parseEntityKey } from '../../domain/index.js';
import type { Pipeline } from '../../app/pipeline.js';
import { defineRoute } from '../route.js';
import { entityDetail } from '../../app/entity-lookup.js';
import { observedEntity } from '../../app/observed-entity.js';

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export function entityRoutes(p: Pipeline) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/entities',
      role: 'reader',
      tag: 'entities',
      summary: 'List entities with their latest assessment (keyset pagination by key).',
      query: z.object({
        type: z.enum(ENTITY_TYPES).optional(),
        flagged: boolish,
        min_score: z.coerce.number().min(0).max(100).optional(),
        search: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        after: z.string().max(2000).optional(),
        order: z.enum(['key', 'score']).default('key'),
        offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
      }),
      async handler(c, { query }) {
        const rows = await p.store.entities.list({
          limit: query.limit,
          order: query.order,
          ...(query.offset !== undefined ? { offset: query.offset } : {}),
          ...(query.type ? { type: query.type } : {}),
          ...(query.flagged !== undefined ? { flagged: query.flagged } : {}),
          ...(query.min_score !== undefined ? { minScore: query.min_score } : {}),
          ...(query.search ? { search: query.search } : {}),
          ...(query.after ? { after: query.after } : {}),
        });
        const last = rows[rows.length - 1];
        const full = rows.length === query.limit && last;
        // Keyset cursor for key order; the next offset for score order.
        const next = !full
          ? null
          : query.order === 'key'
            ? last.entity.key
            : String((query.offset ?? 0) + rows.length);
        return c.json({ items: rows, next });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/entities/:key',
      role: 'reader',
      tag: 'entities',
      summary: 'One entity: facts, assessment with its explanation, history, links.',
      params: z.object({ key: z.string().min(3).max(4000) }),
      responses: { '200': 'the entity', '404': 'no such entity' },
      async handler(c, { params }) {
        // The router has already decoded the path parameter once (a bad escape is a 400 before this).
        const key = params.key;
        if (!parseEntityKey(key))
          throw new PrecursorError(
            'VALIDATION_FAILED',
            `path.key: '${key}' is not an entity key (type:value)`,
          );
        const d = await entityDetail(p.store, key as EntityKey, (k) => observedEntity(p, k));
        return c.json({
          entity: d.entity,
          assessment: d.assessment ?? null,
          history: d.history,
          links: d.links,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/stats',
      role: 'reader',
      tag: 'entities',
      summary: 'Counts of observations, entities, flagged entities, links and dead letters.',
      async handler(c) {
        return c.json(await p.store.stats());
      },
    }),
  ];
}
