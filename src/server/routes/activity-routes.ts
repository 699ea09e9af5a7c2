/**
 * The dashboard overview's routes: per-source feed health and flags over time.
 * @module
 */
import { z } from 'zod';
import { feedHealth, flagsOverTime } from '../../app/activity-report.js';
import type { Store } from '../../store/store.js';
import { defineRoute } from '../route.js';

const instant = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 time')
  .transform((s) => new Date(s).toISOString())
  .optional();

export function activityRoutes(store: Store, now: () => Date) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/feeds',
      role: 'reader',
      tag: 'operations',
      summary:
        'Feed health per source: observations, rate per minute (last 5 minutes), newest data and lag, checkpoint, dead letters.',
      responses: {
        '200':
          '{now, windowSeconds, items:[{source, state: "live"|"idle", observations, ratePerMinute, lastObservedAt, lastIngestedAt, lagSeconds, checkpointAt, deadLetters, lastDeadLetterAt}]}',
      },
      async handler(c) {
        return c.json(await feedHealth(store, now()));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/stats/flags',
      role: 'reader',
      tag: 'entities',
      summary: 'Flags over time: entities by the hour or day of their first flag, per entity type.',
      query: z.object({
        bucket: z.enum(['hour', 'day']).default('hour'),
        since: instant,
        until: instant,
      }),
      responses: {
        '200':
          '{bucket, types, items:[{at, <type>: n, …}] (one row per bucket from the first flag to the last, zeros between), totals:{<type>: n}}',
      },
      async handler(c, { query }) {
        return c.json(await flagsOverTime(store, query));
      },
    }),
  ];
}
