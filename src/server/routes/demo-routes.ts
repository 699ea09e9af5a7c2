/**
 * `GET /v1/demo`: the live demo's progress and scorecard. Registered only by `precursor demo`, whose
 * process holds the replay (`precursor serve` and `precursor run` have no demo to report on).
 * @module
 */
import { defineRoute } from '../route.js';

export function demoRoutes(status: () => Promise<unknown>) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/demo',
      role: 'reader',
      tag: 'demo',
      summary:
        'The live demo: replay progress (simulated time, feeds), crawl and scenario-server counts, and the scorecard against the world truth — operator infrastructure flagged before go-live, hours of lead, false flags, campaigns and cases.',
      responses: {
        '200':
          '{state: "replaying"|"finished", seed, speed, world, simulatedTime, startedAt, elapsedSeconds, resumedFrom, feeds:[{id, label, replayed, total}], crawl, scenario, score:{operators:[…], infrastructure:{total, seen, flaggedBeforeGoLive, share}, leadHours, falseFlags:{names, accounts, honestNamesSeen, honestAccountsSeen}}, stages}',
      },
      async handler(c) {
        return c.json(await status());
      },
    }),
  ];
}
