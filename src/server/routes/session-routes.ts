import { campaignGraph } from '../../app/campaign-graph.js';
import type { Pipeline } from '../../app/pipeline.js';
import { pivotModelFor } from '../../app/pivots-for.js';
import { SnapshotViews } from '../../app/snapshot-view.js';
import { PrecursorError } from '../../domain/index.js';
import { defineRoute } from '../route.js';
import { z } from 'zod';

/**
 * The clock the server's data times are read against: the wall clock, or the live demo's replay clock
 * (its data carries simulated times, so "last seen 3 hours ago" must count from the replay's now).
 */
export interface DataClock {
  now(): Date;
  /** Whether `now` is another clock than the system's (the demo's replay). */
  simulated: boolean;
  /** `now`'s seconds per wall second (0: standing still). */
  rate(): number;
}

/** Routes the dashboard needs beside the stages' own: who the key is, page captures, campaign graphs. */
export function sessionRoutes(p: Pipeline, clock: DataClock) {
  const snapshots = new SnapshotViews(p.config);
  const pivots = pivotModelFor(p.config);
  const hash = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex') });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      role: 'any',
      tag: 'session',
      summary:
        "The presented key's id, label and role (the dashboard shows only what the role may do), and the clock data times are read against: the wall clock, or the live demo's replay clock (`simulated`), with how fast it runs.",
      responses: { '200': '{id, label, role, clock: {now, simulated, rate}}' },
      handler(c, { key }) {
        if (!key) throw new PrecursorError('UNAUTHENTICATED', 'an API key is required');
        return c.json({
          id: key.id,
          label: key.label,
          role: key.role,
          clock: { now: clock.now().toISOString(), simulated: clock.simulated, rate: clock.rate() },
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/campaigns/:id/graph',
      role: 'reader',
      tag: 'campaigns',
      summary:
        "A campaign's network: its members and the stored links among them, each classed strong, medium or weak as the correlate stage classes it.",
      params: z.object({ id: z.string().min(1).max(200) }),
      query: z.object({ max_edges: z.coerce.number().int().min(1).max(200_000).default(50_000) }),
      responses: {
        '200': '{id, nodes:[member], edges:[{from, to, pivot, strength, weight}], truncated}',
        '404': 'no such campaign (CAMPAIGN_NOT_FOUND)',
      },
      async handler(c, { params, query }) {
        return c.json(await campaignGraph(p.store, pivots, params.id, { maxEdges: query.max_edges }));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash',
      role: 'reader',
      tag: 'evidence',
      summary: 'A page capture: URL, final URL, time, status, redirects, headers, request log, sizes.',
      params: hash,
      responses: { '200': 'the capture', '404': 'no such snapshot' },
      async handler(c, { params }) {
        return c.json(await snapshots.view(params.hash));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash/screenshot',
      role: 'reader',
      tag: 'evidence',
      summary: "A capture's screenshot (image/png).",
      params: hash,
      responses: { '200': 'image/png', '404': 'no such snapshot, or no screenshot' },
      async handler(c, { params }) {
        const png = await snapshots.screenshot(params.hash);
        return c.body(new Uint8Array(png), 200, {
          'content-type': 'image/png',
          'cache-control': 'private, max-age=86400',
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash/dom',
      role: 'reader',
      tag: 'evidence',
      summary: "A capture's DOM or response body, as text (never rendered: text/plain).",
      params: hash,
      responses: { '200': 'text/plain', '404': 'no such snapshot' },
      async handler(c, { params }) {
        return c.text(await snapshots.dom(params.hash), 200, { 'content-type': 'text/plain; charset=utf-8' });
      },
    }),
  ];
}
