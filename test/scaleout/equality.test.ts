/**
 * The scale-out mode computes what the embedded mode computes: one seeded world through both — the
 * embedded pipeline in this process, and the work stream with three `precursor worker` processes —
 * gives the same assessments and, after a full recluster and a policy pass, the same campaign
 * memberships and cases (ids aside). Real PostgreSQL and NATS; skipped with the reason when either is
 * absent (never under CI=true).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Deployment,
  assessmentDiff,
  deployment,
  embeddedState,
  ingestWorld,
  open,
  scaleOutSkip,
  settledState,
  spawnWorker,
  stopped,
  untilIdle,
  workerReady,
} from '../support/scale-out.js';

describe('scale-out equals embedded', async () => {
  const skip = await scaleOutSkip();
  let d: Deployment;
  before(() => {
    if (!skip) d = deployment('eq');
  });
  after(async () => {
    if (!skip) await d.cleanup();
  });

  it('the same world gives the same assessments, campaigns and cases with three workers', {
    skip,
    timeout: 170_000,
  }, async () => {
    const expected = await embeddedState(d);
    assert.ok(expected.observations > 4000, 'the world was ingested');
    assert.ok(
      expected.campaigns.length > 0 && expected.cases.length > 0,
      'the world has campaigns and cases',
    );

    const app = await open(d.env);
    const workers = [spawnWorker(d.env), spawnWorker(d.env), spawnWorker(d.env)];
    try {
      // Ingest returns once the stream has everything; nothing is stored by it.
      await ingestWorld(app, d.dir);
      await untilIdle(app, 120_000, expected.observations);
      await Promise.all(workers.map(workerReady));
      for (const w of workers) w.kill('SIGTERM');
      assert.deepEqual(
        await Promise.all(workers.map(stopped)),
        [0, 0, 0],
        'workers drain and exit 0 on SIGTERM',
      );
      const got = await settledState(app);
      assert.equal(got.observations, expected.observations);
      assert.deepEqual(assessmentDiff(expected, got), [], 'assessments (embedded vs scale-out)');
      assert.equal(Object.keys(got.assessments).length, Object.keys(expected.assessments).length);
      assert.deepEqual(got.campaigns, expected.campaigns);
      assert.deepEqual(got.cases, expected.cases);
    } finally {
      for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      await app.close();
    }
  });
});
