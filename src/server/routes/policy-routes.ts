/**
 * The review policy over HTTP: read the live one (reader), dry-run a candidate (analyst: it reads
 * only), apply one (admin). Each handler calls the same functions as `precursor policy`.
 * @module
 */
import { z } from 'zod';
import type { Pipeline } from '../../app/pipeline.js';
import { isPrecursorError, PrecursorError } from '../../domain/index.js';
import { applyPolicy, describeLivePolicy, dryRunPolicy } from '../../review/policy-admin.js';
import { defineRoute } from '../route.js';

/** A candidate that does not load is the request's fault: 400 naming the rule, not a server error. */
async function candidate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isPrecursorError(e) && e.code === 'CONFIG_INVALID')
      throw new PrecursorError('VALIDATION_FAILED', `body.policy: ${e.message}`, {
        details: { in: 'body', issues: [{ field: 'policy', reason: e.message }], ...e.details },
      });
    throw e;
  }
}

const Body = z.object({ policy: z.string().min(1).max(1_000_000) }).strict();

export function policyRoutes(p: Pipeline) {
  const file = () => p.config.review.policy;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/policy',
      role: 'reader',
      tag: 'policy',
      summary: 'The live review policy: name, revision, hash, source, text, queues and rules.',
      async handler(c) {
        return c.json(await describeLivePolicy(p.store, file()));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/policy/test',
      role: 'analyst',
      tag: 'policy',
      summary:
        'Dry run of a candidate policy (`{"policy": "<YAML>"}`) over the stored campaigns and flagged entities, beside the live one; changes nothing.',
      body: Body,
      responses: {
        '200': 'the dry run',
        '500': 'CONFIG_INVALID: the candidate does not load (the message names the rule)',
      },
      async handler(c, { body }) {
        return c.json(
          await candidate(() =>
            dryRunPolicy(p.store, body.policy, 'request', {
              configuredFile: file(),
              webhooks: Object.keys(p.config.webhooks),
            }),
          ),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/policy',
      role: 'admin',
      tag: 'policy',
      summary:
        'Apply a policy (`{"policy": "<YAML>"}`): validated, recorded, audited; live for every process.',
      body: Body,
      async handler(c, { body, key }) {
        return c.json(
          await candidate(() =>
            applyPolicy(p.store, body.policy, 'request', key ? `key:${key.id}` : 'anonymous', {
              configuredFile: file(),
              webhooks: Object.keys(p.config.webhooks),
            }),
          ),
        );
      },
    }),
  ];
}
