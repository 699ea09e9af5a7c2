/**
 * Nothing accepted is lost on a crash: a CLI ingest killed with SIGKILL mid-run and restarted ends with
 * exactly the input's records, once each. (bench/ingest.ts does the same with 1,000,000 records.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeEachStore } from '../support/stores.js';

const N = 100_000;
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'precursor-kill-'));
const file = join(dir, 'names.txt');
writeFileSync(
  file,
  Array.from({ length: N }, (_, i) => `host-${i.toString(36)}-login.example-${i % 97}.com`).join('\n'),
);

function ingest(env: Record<string, string>) {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'ingest',
      'list',
      file,
      '--no-detect',
      '--batch-size',
      '500',
      '--json',
    ],
    {
      cwd: root,
      env: { ...process.env, ...env, PRECURSOR_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

describeEachStore('kill -9 and resume', (t, skip) => {
  it('a killed ingest restarts from its checkpoint with no loss and no duplicate', {
    skip,
    timeout: 120_000,
  }, async () => {
    const first = ingest(t.env);
    const exited = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = await t.store.observations.count();
      // Past the first 1 MiB read chunk, so the checkpoint offset must account for a line spanning chunks.
      if (seen >= N * 0.4) break;
      await sleep(20);
    }
    first.kill('SIGKILL');
    await exited;
    const atKill = await t.store.observations.count();
    assert.ok(atKill > 0 && atKill < N, `killed midway (${atKill} of ${N} stored)`);

    const second = ingest(t.env);
    let out = '';
    second.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    assert.equal(code, 0, out);
    const summary = JSON.parse(out) as { resumedFrom: string | null; records: number; duplicates: number };
    assert.ok(summary.resumedFrom, 'the second run resumed from a checkpoint');
    assert.ok(
      summary.records <= N - atKill + 500,
      `re-read at most one uncommitted batch (${summary.records})`,
    );
    assert.equal(await t.store.observations.count(), N, 'exactly N observations');
    const all = await t.store.observations.after(0, N + 10);
    assert.equal(new Set(all.map((o) => (o.payload as { name: string }).name)).size, N, 'no duplicates');
  });
});
