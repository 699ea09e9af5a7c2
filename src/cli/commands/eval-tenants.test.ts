import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';

interface Report {
  events: { read: number; stored: number; rejected: number };
  correlation: boolean;
  overall: {
    operatorAccounts: number;
    honestAccounts: number;
    truePositives: number;
    falsePositives: number;
    unseen: number;
    recall: number;
    precision: number;
  };
  operators: Array<{
    id: string;
    accounts: number;
    flagged: number;
    unseen: number;
    leadHours: number | null;
  }>;
  signals: Array<{ id: string; operatorAccounts: number; honestAccounts: number }>;
  misses: Array<{ account: string; operator: string; score: number; explanation: unknown[] }>;
  falseFlags: Array<{ account: string; score: number; explanation: Array<{ id: string }> }>;
}

describe('precursor eval tenants', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-eval-tenants-'));
  const sim = join(dir, 'sim');
  const events = join(sim, 'events.jsonl');
  let truth: { operators: Array<{ id: string; accounts: string[] }> };
  before(async () => {
    const r = await cli([
      'simulate',
      'tenants',
      '--seed',
      '5',
      '--accounts',
      '400',
      '--days',
      '10',
      '--out',
      sim,
    ]);
    assert.equal(r.code, 0, r.err);
    truth = JSON.parse(readFileSync(join(sim, 'truth.json'), 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the pipeline on labelled events and scores every account against the labels', async () => {
    const r = await cli(['eval', 'tenants', events, '--truth', join(sim, 'truth.json'), '--json']);
    assert.ok(r.code === 0 || r.code === 3, r.err); // the simulator sends a few malformed events
    const e = JSON.parse(r.out) as Report;
    const labelled = truth.operators.reduce((n, o) => n + o.accounts.length, 0);
    assert.equal(e.overall.operatorAccounts, labelled);
    assert.ok(e.events.rejected > 0 && e.events.stored > 0);
    assert.equal(e.correlation, true);
    assert.ok(e.overall.recall >= 0.9, JSON.stringify(e.overall));
    assert.equal(e.operators.length, truth.operators.length);
    assert.ok(e.operators.some((o) => o.leadHours !== null));
    const flaggedSum = e.operators.reduce((n, o) => n + o.flagged, 0);
    assert.equal(flaggedSum, e.overall.truePositives);
    // Every false flag is explained by the signals that made it.
    for (const f of e.falseFlags) assert.ok(f.explanation.length > 0, f.account);
    assert.ok(e.signals.length > 0);
  });

  it('reads line labels: an honest account claimed by an operator is a miss, an absent one unseen', async () => {
    const r0 = await cli([
      'eval',
      'tenants',
      events,
      '--truth',
      join(sim, 'truth.json'),
      '--json',
      '--worst',
      '0',
    ]);
    const base = JSON.parse(r0.out) as Report;
    // One honest account with no flag, relabelled as belonging to a made-up operator.
    const text = readFileSync(events, 'utf8');
    const operatorAccounts = new Set(truth.operators.flatMap((o) => o.accounts));
    const honest = [...text.matchAll(/"provider":"([^"]+)","account_id":"([^"]+)"/g)]
      .map((m) => `account:${m[1]}/${m[2]}`)
      .find((a) => !operatorAccounts.has(a));
    assert.ok(honest, 'the simulation has honest accounts');
    const lines = [
      '# account, operator, first deployment',
      ...truth.operators.flatMap((o) => o.accounts.map((a) => `${a},${o.id}`)),
      `${honest!.slice('account:'.length)}\tmade-up,2026-03-05T00:00:00Z`,
      'cloud-a/never-seen,made-up',
    ];
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, `${lines.join('\n')}\n`);
    const r = await cli(['eval', 'tenants', events, '--truth', labels, '--json']);
    const e = JSON.parse(r.out) as Report;
    assert.equal(e.overall.operatorAccounts, base.overall.operatorAccounts + 2);
    assert.equal(e.overall.unseen, 1);
    const madeUp = e.operators.find((o) => o.id === 'made-up');
    assert.deepEqual([madeUp?.accounts, madeUp?.unseen], [2, 1]);
    assert.ok(e.misses.some((m) => m.account === 'account:cloud-a/never-seen' && m.score === 0));
    if (base.falseFlags.every((f) => f.account !== honest))
      assert.ok(e.misses.some((m) => m.account === honest && m.operator === 'made-up'));
  });

  it('refuses labels that give one account two operators, naming the file', async () => {
    const labels = join(dir, 'bad.csv');
    writeFileSync(labels, 'cloud-a/x,op-1\ncloud-a/x,op-2\n');
    const r = await cli(['eval', 'tenants', events, '--truth', labels]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /bad\.csv: account:cloud-a\/x is labelled both 'op-1' and 'op-2'/);
  });

  it('prints a readable report', async () => {
    const r = await cli(['eval', 'tenants', events, '--truth', join(sim, 'truth.json'), '--worst', '2']);
    assert.match(r.out, /recall \d+\.\d% \(\d+\/\d+\)/);
    assert.match(r.out, /per operator:/);
    assert.match(r.out, /per signal/);
  });
});
