/**
 * `POST /v1/events`: cloud providers push tenant events (a JSON array, or `{events: [...]}`), role
 * `ingest`, idempotent on each event's `event_id`. Bad events are dead-lettered and listed in the
 * answer with their index and reason; the rest are stored and scored before the response — or, in the
 * scale-out mode, published to the work stream before the response and scored by the workers.
 * @module
 */
import { z } from 'zod';
import type { Pipeline } from '../../app/pipeline.js';
import { ingestTenantEvents } from '../../app/ingest-tenant-events.js';
import type { TenantStage } from '../../detect/tenant/tenant-stage.js';
import { defineRoute } from '../route.js';

const events = z.array(z.unknown()).min(1).max(10_000);

export function tenantRoutes(p: Pipeline, stage: TenantStage) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/events',
      role: 'ingest',
      tag: 'ingest',
      summary:
        'Submit cloud-tenant events (schema: docs/tenant-events.md). Idempotent on event_id; bad events are dead-lettered and reported by index.',
      body: z.union([events, z.object({ events })]),
      async handler(c, { body, key }) {
        const list = Array.isArray(body) ? body : body.events;
        // Scale-out mode: the events go to the work stream like any ingest, and the workers run detect
        // and the one tenant stage (its windows live in the leading worker); a stage here would keep
        // windows of its own and diverge from them. The answer then counts nothing as flagged yet.
        const r = p.streamed
          ? await ingestTenantEvents(p.observations, list, { source: 'tenant:api' })
          : await ingestTenantEvents(p.store, list, { stage, source: 'tenant:api' });
        // The generic stage materialises the accounts' shared attributes and links for the graph views.
        if (!p.streamed) await p.detect();
        await p.store.audit.append({
          at: new Date().toISOString(),
          actor: key ? `key:${key.id}` : 'anonymous',
          action: 'ingest.events',
          subject: 'tenant:api',
          detail: { received: r.received, inserted: r.inserted, rejected: r.rejected.length },
        });
        return c.json(
          {
            received: r.received,
            records: r.received,
            inserted: r.inserted,
            duplicates: r.duplicates,
            rejected: r.rejected,
            skipped: 0,
            flagged: r.detection?.flagged ?? 0,
          },
          r.rejected.length === r.received ? 400 : 200,
        );
      },
    }),
  ];
}
