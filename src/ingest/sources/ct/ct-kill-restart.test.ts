import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Observation } from '../../../domain/index.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { recordedEntries, startRfc6962TestLog, syntheticLog, type TestLog } from './test-log.js';

const FIXTURES = new URL('../../../../test/fixtures/ct', import.meta.url).pathname;
const CHILD = new URL('../../../../test/support/ct-kill-child.ts', import.meta.url).pathname;
const N = 200;

let t: TestStore;
let log: TestLog;
before(async () => {
  t = await sqliteFactory.open();
  // Slow enough (5 entries per 25 ms answer) that the child is killed mid-run.
  log = await startRfc6962TestLog(syntheticLog(recordedEntries(FIXTURES), N), { maxBatch: 5, delayMs: 25 });
});
after(async () => {
  await log.close();
  await t.cleanup();
});

function runChild(untilCommitted?: number): Promise<{ out: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const db = join(t.env.PRECURSOR_HOME as string, 'precursor.db');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, log.url, 'kill/test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let commits = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      commits = out.split('\n').filter((l) => l.startsWith('committed')).length;
      if (untilCommitted !== undefined && commits >= untilCommitted) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, sig) => {
      clearTimeout(timer);
      resolve({ out, killed: sig === 'SIGKILL' });
    });
  });
}

it('kill -9 mid-run, restart: resumes from the checkpoint with no gap and no duplicate', {
  timeout: 120_000,
}, async () => {
  const first = await runChild(6);
  assert.equal(first.killed, true, first.out);
  const checkpoint = await t.store.observations.checkpoint('ct:kill/test');
  assert.ok(
    checkpoint !== undefined && Number(checkpoint) >= 30 && Number(checkpoint) < N,
    `checkpoint ${checkpoint}`,
  );

  const second = await runChild();
  assert.equal(second.killed, false, second.out);
  const done = JSON.parse(
    second.out
      .split('\n')
      .find((l) => l.startsWith('done '))
      ?.slice(5) ?? '{}',
  ) as { records: number; resumedFrom: string };
  assert.equal(done.resumedFrom, checkpoint);
  assert.equal(done.records, N - Number(checkpoint));

  const indexes: number[] = [];
  for (let seq = 0; ; ) {
    const batch = await t.store.observations.after(seq, 1000);
    if (batch.length === 0) break;
    for (const o of batch) indexes.push((o as unknown as Observation<'certificate'>).payload.index as number);
    seq = (batch[batch.length - 1] as { seq: number }).seq;
  }
  assert.equal(indexes.length, N, 'one row per entry');
  assert.deepEqual(
    [...indexes].sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i),
  );
  assert.equal(await t.store.observations.checkpoint('ct:kill/test'), String(N));
});
