import { z } from 'zod';
import type { Pipeline } from '../../app/pipeline.js';
import { observeValue } from '../../ingest/sources/list/observe-value.js';
import { createMemorySource } from '../../ingest/sources/memory-source.js';
import { defineRoute } from '../route.js';

export function ingestRoutes(p: Pipeline) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/ingest/names',
      role: 'ingest',
      tag: 'ingest',
      summary:
        'Submit host names or URLs; each is stored as an observation and scored. Bad values are dead-lettered.',
      body: z.object({
        source: z
          .string()
          .regex(/^[a-z0-9][a-z0-9:._/-]{0,99}$/)
          .default('api'),
        observed_at: z.iso.datetime({ offset: true }).optional(),
        values: z.array(z.string().max(4096)).min(1).max(10_000),
      }),
      async handler(c, { body, key }) {
        const source = `api:${body.source}`;
        const observedAt = body.observed_at
          ? new Date(body.observed_at).toISOString()
          : new Date().toISOString();
        const rejected: { index: number; reason: string }[] = [];
        const src = createMemorySource(source, body.values, (v, i) => {
          const r = observeValue(source, v, observedAt);
          if (r.ok) return { ok: true, observations: [r.observation] };
          rejected.push({ index: i, reason: r.rejection.reason });
          return r;
        });
        const { ingest, detect } = await p.ingest(src, { ignoreCheckpoint: true });
        await p.store.audit.append({
          at: new Date().toISOString(),
          actor: key ? `key:${key.id}` : 'anonymous',
          action: 'ingest.names',
          subject: source,
          detail: { records: ingest.records, inserted: ingest.inserted, rejected: ingest.rejected },
        });
        return c.json(
          {
            records: ingest.records,
            inserted: ingest.inserted,
            duplicates: ingest.duplicates,
            rejected,
            skipped: ingest.skipped,
            flagged: detect?.flagged ?? 0,
          },
          rejected.length > 0 && ingest.inserted + ingest.duplicates === 0 ? 400 : 200,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/dead-letters',
      role: 'analyst',
      tag: 'ingest',
      summary: 'Records that could not be accepted, with source, position, raw text and reason.',
      query: z.object({
        source: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        after: z.coerce.number().int().min(0).optional(),
      }),
      async handler(c, { query }) {
        const items = await p.store.observations.deadLetters({
          limit: query.limit,
          ...(query.source ? { source: query.source } : {}),
          ...(query.after !== undefined ? { afterId: query.after } : {}),
        });
        return c.json({ items });
      },
    }),
  ];
}
