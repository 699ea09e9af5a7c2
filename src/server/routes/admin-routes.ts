import { z } from 'zod';
import type { Pipeline } from '../../app/pipeline.js';
import { issueApiKey, PARTNER_NAME, ROLES, revokeApiKey } from '../api-keys.js';
import { defineRoute } from '../route.js';

export function adminRoutes(p: Pipeline) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/keys',
      role: 'admin',
      tag: 'admin',
      summary: 'Create an API key; the key is returned once and stored only as a hash.',
      body: z.object({
        role: z.enum(ROLES as ['admin', 'analyst', 'reader', 'ingest']),
        label: z.string().min(1).max(200).default('api'),
        /** The partner the key reads for: only the TAXII collections granted to it, up to the grant's TLP. */
        partner: z.string().regex(PARTNER_NAME).optional(),
      }),
      responses: { '201': 'the new key (shown once)' },
      async handler(c, { body, key }) {
        const created = await issueApiKey(p.store, {
          role: body.role,
          label: body.label,
          partner: body.partner ?? null,
          actor: key ? `key:${key.id}` : 'anonymous',
        });
        return c.json(created, 201);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/keys',
      role: 'admin',
      tag: 'admin',
      summary: 'List API keys (ids, roles, labels; never the keys).',
      async handler(c) {
        const keys = await p.store.keys.list();
        return c.json({ items: keys.map(({ hash: _h, ...k }) => k) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/keys/:id',
      role: 'admin',
      tag: 'admin',
      summary: 'Revoke an API key.',
      params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }),
      responses: { '200': 'revoked', '404': 'no such active key' },
      async handler(c, { params, key }) {
        const at = await revokeApiKey(p.store, params.id, key ? `key:${key.id}` : 'anonymous');
        return c.json({ id: params.id, revokedAt: at });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/audit',
      role: 'admin',
      tag: 'admin',
      summary: 'The append-only audit log.',
      query: z.object({
        subject: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        after: z.coerce.number().int().min(0).optional(),
      }),
      async handler(c, { query }) {
        const items = await p.store.audit.list({
          limit: query.limit,
          ...(query.subject ? { subject: query.subject } : {}),
          ...(query.after !== undefined ? { afterId: query.after } : {}),
        });
        return c.json({ items });
      },
    }),
  ];
}
