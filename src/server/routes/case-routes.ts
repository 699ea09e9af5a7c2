/**
 * The review queue over HTTP: list and read cases (reader), claim, release, reopen and decide
 * (analyst). Each handler parses and calls the review service, which the CLI calls too.
 * @module
 */
import { z } from 'zod';
import type { Pipeline } from '../../app/pipeline.js';
import { reviewServiceFor } from '../../app/review-service-for.js';
import { CASE_STATES, DECISIONS, TLP_LEVELS } from '../../domain/index.js';
import type { IntelPublisher } from '../../review/intel-port.js';
import type { ApiKeyRecord } from '../../store/store.js';
import { defineRoute } from '../route.js';

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();
const Id = z.object({ id: z.string().min(1).max(64) });
const actor = (key: ApiKeyRecord | undefined) => (key ? `key:${key.id}` : 'anonymous');
const CONFLICT =
  'illegal transition (CASE_ILLEGAL_TRANSITION): details name the state and the states allowed';

export function caseRoutes(p: Pipeline, options: { intel?: IntelPublisher } = {}) {
  const service = () => reviewServiceFor(p.store, p.config, options);
  return [
    defineRoute({
      method: 'get',
      path: '/v1/cases',
      role: 'reader',
      tag: 'cases',
      summary:
        'The review queue: cases, most urgent first (priority, then oldest), keyset paging by id. Superseded cases are left out unless `state=superseded` or `includeSuperseded=true`.',
      query: z.object({
        state: z.enum(CASE_STATES).optional(),
        includeSuperseded: boolish,
        queue: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        after: z.string().max(64).optional(),
      }),
      async handler(c, { query }) {
        return c.json(await service().list(query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cases/:id',
      role: 'reader',
      tag: 'cases',
      summary: 'One case: members with signals, rule traces, evidence, actions, history, decision.',
      params: Id,
      responses: { '200': 'the case', '404': 'no such case (CASE_NOT_FOUND)' },
      async handler(c, { params }) {
        return c.json(await service().get(params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:id/claim',
      role: 'analyst',
      tag: 'cases',
      summary:
        'Claim a case for review (open or escalated → in-review); repeating one’s own claim is a no-op.',
      params: Id,
      responses: { '200': 'the case after the claim', '404': 'no such case', '409': CONFLICT },
      async handler(c, { params, key }) {
        return c.json(await service().claim(params.id, actor(key)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:id/release',
      role: 'analyst',
      tag: 'cases',
      summary: 'Give a claimed case back to the queue (in-review → open).',
      params: Id,
      responses: { '200': 'the case', '404': 'no such case', '409': CONFLICT },
      async handler(c, { params, key }) {
        return c.json(await service().release(params.id, actor(key)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:id/reopen',
      role: 'analyst',
      tag: 'cases',
      summary:
        'Take back a decision (confirmed-malicious or benign → open; the next decision reverses it) or bring back a superseded case.',
      params: Id,
      body: z.object({ note: z.string().min(1).max(10_000) }).strict(),
      responses: { '200': 'the case', '404': 'no such case', '409': CONFLICT },
      async handler(c, { params, key, body }) {
        return c.json(await service().reopen(params.id, actor(key), body.note));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:id/decision',
      role: 'analyst',
      tag: 'cases',
      summary:
        'Decide a case you claimed. One transaction: the transition, the history, the audit entry, the outbox actions and the feedback (benign: suppress and down-weight; malicious: publish).',
      params: Id,
      body: z
        .object({
          as: z.enum(DECISIONS),
          note: z.string().min(1).max(10_000),
          tlp: z.enum(TLP_LEVELS).optional(),
        })
        .strict(),
      responses: {
        '200': '{case, actions, feedback, audit}',
        '404': 'no such case (CASE_NOT_FOUND)',
        '409': CONFLICT,
      },
      async handler(c, { params, key, body }) {
        return c.json(await service().decide(params.id, body, actor(key)));
      },
    }),
  ];
}
