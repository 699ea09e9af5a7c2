/**
 * Summaries add up — `records = inserted + duplicates + rejected + skipped` — `seconds` covers the
 * whole command, and Ctrl-C says where the read stopped and that a re-run resumes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT } from '../../src/cli/exit-codes.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cli } from '../support/cli.js';
import { finished, spawnPrecursor } from '../support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-summaries-'));
const home = () => ({ PRECURSOR_HOME: mkdtempSync(join(dir, 'home-')) });

interface Summary {
  records: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  seconds: number;
  position: string | null;
  aborted: boolean;
  resumedFrom?: string;
}
const addsUp = (s: Summary, what: string) =>
  assert.equal(
    s.inserted + s.duplicates + s.rejected + s.skipped,
    s.records,
    `${what}: ${JSON.stringify(s)}`,
  );

describe('ingest summaries', () => {
  it('add up for a list with blanks, comments, duplicates, bad lines and multi-name records', async () => {
    const env = home();
    const text = join(dir, 'mixed.txt');
    writeFileSync(
      text,
      '# a comment\nalpha-sum.example.com\n\nalpha-sum.example.com\nbad one!\nbeta-sum.example.com\n   \n',
    );
    const r = JSON.parse((await cli(['ingest', 'list', text, '--no-detect', '--json'], env)).out) as Summary;
    addsUp(r, 'text');
    assert.deepEqual([r.records, r.inserted, r.duplicates, r.rejected, r.skipped], [7, 2, 1, 1, 3]);

    const jsonl = join(dir, 'mixed.jsonl');
    writeFileSync(
      jsonl,
      '{"d":["one-sum.example.com","two-sum.example.com"]}\n{"d":["two-sum.example.com","three-sum.example.com"]}\n{"d":["one-sum.example.com"]}\n{"d":[]}\n{"d":7}\n',
    );
    const j = JSON.parse(
      (await cli(['ingest', 'list', jsonl, '--field', 'd', '--no-detect', '--json'], env)).out,
    ) as Summary;
    addsUp(j, 'jsonl');
    assert.deepEqual([j.records, j.inserted, j.duplicates, j.rejected, j.skipped], [5, 2, 1, 1, 1]);

    const again = JSON.parse(
      (await cli(['ingest', 'list', jsonl, '--field', 'd', '--no-detect', '--json', '--from-start'], env))
        .out,
    ) as Summary;
    addsUp(again, 'jsonl again');
    assert.deepEqual([again.inserted, again.duplicates], [0, 3]);
  });

  it('the text summary shows every term of the sum', async () => {
    const env = home();
    const text = join(dir, 'terms.txt');
    writeFileSync(text, 'gamma-sum.example.com\n\nbad!\n');
    const r = await cli(['ingest', 'list', text, '--no-detect'], env);
    for (const term of ['records     3', 'inserted    1', 'duplicates  0', 'rejected    1', 'skipped     1'])
      assert.ok(r.out.includes(term), `${term} in\n${r.out}`);
  });

  it('`seconds` covers the whole command, scoring included', async () => {
    const env = home();
    const text = join(dir, 'timed.txt');
    writeFileSync(text, 'micros0ft-login.example.com\n');
    const started = performance.now();
    const r = await cli(['ingest', 'list', text, '--json'], env);
    const wall = (performance.now() - started) / 1000;
    const s = JSON.parse(r.out) as Summary & { detect: unknown };
    assert.ok(s.detect, 'scored');
    // Scoring builds the domain engine (most of the wall time): it must be inside `seconds`.
    assert.ok(s.seconds >= wall * 0.8, `seconds ${s.seconds} covers the command's ${wall.toFixed(2)} s`);
  });

  it('Ctrl-C says where it stopped and that a re-run resumes; the re-run does', {
    timeout: 120_000,
  }, async () => {
    const env = home();
    const big = join(dir, 'big.txt');
    const N = 150_000;
    writeFileSync(
      big,
      `${Array.from({ length: N }, (_, i) => `host-${i}.sigint-${i % 11}.example.com`).join('\n')}\n`,
    );
    const child = spawnPrecursor(
      ['ingest', 'list', big, '--no-detect', '--batch-size', '500', '--json'],
      env,
      ['ignore', 'pipe', 'pipe'],
    );
    const done = finished(child);
    // Wait until it has committed something, then interrupt it as Ctrl-C does.
    const db = join(env.PRECURSOR_HOME, 'precursor.db');
    for (let i = 0; i < 600; i++) {
      await sleep(50);
      if (!existsSync(db)) continue;
      const store = createSqliteStore({ path: db, readOnly: true });
      try {
        if ((await store.observations.count().catch(() => 0)) > 0) break;
      } finally {
        await store.close();
      }
    }
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, EXIT.INTERRUPTED, r.err);
    const s = JSON.parse(r.out) as Summary;
    assert.equal(s.aborted, true);
    addsUp(s, 'interrupted');
    assert.ok(s.records > 0 && s.records < N, `stopped midway (${s.records})`);
    assert.match(
      r.err,
      new RegExp(
        `precursor: interrupted: list:.*big\\.txt stopped after ${s.position} .*run the same command again to resume`,
      ),
    );
    const rerun = JSON.parse(
      (await cli(['ingest', 'list', big, '--no-detect', '--json'], env)).out,
    ) as Summary;
    assert.ok(rerun.resumedFrom, 'the re-run resumed');
    assert.equal(s.records + rerun.records, N, 'together they read every line once');
    assert.equal(rerun.inserted + s.inserted, N);
  });
});
