import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';

describe('precursor eval world', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-eval-world-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the pipeline on a simulated world and scores campaigns and flags against its truth', async () => {
    const world = join(dir, 'w');
    const sim = await cli(['simulate', 'world', '--seed', '3', '--scale', 'small', '--out', world]);
    assert.equal(sim.code, 0, sim.err);
    const store = join(dir, 'store');
    const r = await cli(['eval', 'world', world, '--store', store, '--json']);
    assert.equal(r.code, 0, r.err);
    const e = JSON.parse(r.out) as {
      before: { names: { recall: number }; accounts: { falsePositives: number } };
      after: {
        adjustedRandIndex: number;
        campaigns: number;
        names: { recall: number; positives: number };
        accounts: { falsePositives: number; recall: number };
        operators: Array<{ operator: string; coverage: number; purity: number }>;
      };
    };
    assert.ok(e.after.campaigns >= 1);
    assert.ok(e.after.names.positives > 0);
    assert.ok(e.after.names.recall > e.before.names.recall, 'correlation raises tied names');
    assert.ok(e.after.accounts.falsePositives <= e.before.accounts.falsePositives, 'lone bursts stay quiet');
    assert.ok(e.after.adjustedRandIndex > 0.5, `ARI ${e.after.adjustedRandIndex}`);
    assert.ok(
      e.after.operators.every((o) => o.purity > 0.9),
      JSON.stringify(e.after.operators),
    );
    // The kept store is scored again without re-ingesting, to the same figures.
    const again = await cli(['eval', 'world', world, '--store', store, '--json']);
    assert.equal(again.code, 0, again.err);
    assert.equal(
      (JSON.parse(again.out) as typeof e).after.adjustedRandIndex.toFixed(6),
      e.after.adjustedRandIndex.toFixed(6),
    );
  });
});
