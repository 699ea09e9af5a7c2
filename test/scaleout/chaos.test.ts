/**
 * Crash safety of the scale-out mode: while the world streams in, workers are killed with SIGKILL at
 * random moments (the stage leader among them) and restarted. The final state equals the embedded
 * mode's, every observation is stored once (no message lost, no duplicate row) and nothing was
 * dead-lettered. Real PostgreSQL and NATS; skipped with the reason when either is absent (never under
 * CI=true).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { statusReport } from '../../src/app/status.js';
import {
  assessmentDiff,
  type Deployment,
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

describe('scale-out under kill -9', async () => {
  const skip = await scaleOutSkip();
  let d: Deployment;
  before(() => {
    // Small batches and a short ack wait: more crashes land mid-batch, and their batches come back fast.
    if (!skip) d = deployment('chaos', { batch: 50, ackWaitSeconds: 2 });
  });
  after(async () => {
    if (!skip) await d.cleanup();
  });

  it('kills and restarts workers during a run; the result equals the undisturbed run', {
    skip,
    timeout: 170_000,
  }, async () => {
    const expected = await embeddedState(d);
    const app = await open(d.env);
    const workers: ChildProcess[] = [spawnWorker(d.env), spawnWorker(d.env), spawnWorker(d.env)];
    let kills = 0;
    let chaos = true;
    // A seeded sequence, so a failure can be replayed: which worker dies and how long it lives.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const killer = (async () => {
      while (chaos && kills < 8) {
        await new Promise((r) => setTimeout(r, 700 + rand() * 1500));
        if (!chaos) break;
        const i = Math.floor(rand() * workers.length);
        const victim = workers[i] as ChildProcess;
        victim.kill('SIGKILL');
        await stopped(victim);
        kills += 1;
        workers[i] = spawnWorker(d.env);
      }
    })();
    try {
      await ingestWorld(app, d.dir);
      // Let the killer finish its rounds while the work is still being done, then settle.
      await killer;
      chaos = false;
      await untilIdle(app, 120_000, expected.observations);
      const status = await statusReport(app);
      const store = status.stages.find((s) => s.stage === 'store');
      assert.equal(store?.pending, 0);
      assert.equal(store?.deadLetters, 0, 'no message was dead-lettered');
      assert.equal(kills, 8);
      await Promise.all(workers.map(workerReady));
      for (const w of workers) w.kill('SIGTERM');
      assert.deepEqual(await Promise.all(workers.map(stopped)), [0, 0, 0]);
      const got = await settledState(app);
      // No message lost and none stored twice: the store's dedupe keys and the count agree.
      assert.equal(got.observations, expected.observations);
      assert.equal(store?.processed, store?.published);
      assert.deepEqual(assessmentDiff(expected, got), [], 'assessments (undisturbed vs chaos)');
      assert.equal(Object.keys(got.assessments).length, Object.keys(expected.assessments).length);
      assert.deepEqual(got.campaigns, expected.campaigns);
      assert.deepEqual(got.cases, expected.cases);
    } finally {
      chaos = false;
      for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      await app.close();
    }
  });
});
