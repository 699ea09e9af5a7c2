import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adjustedRandIndex,
  bestCampaigns,
  falseComponents,
  flagRates,
  pairBreakdown,
  scoreWorld,
} from './world-metrics.js';

const labels = (xs: readonly (string | undefined)[]) => {
  const m = new Map<string, string>();
  xs.forEach((x, i) => {
    if (x !== undefined) m.set(`e${i}`, x);
  });
  return m;
};
const universe = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);

describe('adjusted Rand index', () => {
  it('is 1 for identical clusterings, whatever the cluster ids', () => {
    const t = labels(['a', 'a', 'b', 'b', 'b', 'c']);
    assert.equal(adjustedRandIndex(universe(6), t, t), 1);
    assert.equal(adjustedRandIndex(universe(6), t, labels(['x', 'x', 'y', 'y', 'y', 'z'])), 1);
  });

  it('matches the textbook value for a partial agreement (Hubert & Arabie; 0.2424…)', () => {
    const ari = adjustedRandIndex(
      universe(6),
      labels(['0', '0', '0', '1', '1', '1']),
      labels(['0', '0', '1', '1', '2', '2']),
    );
    assert.ok(Math.abs(ari - 0.8 / 3.3) < 1e-12, String(ari));
  });

  it('is 0 when everything is lumped into one cluster, and negative for worse-than-chance', () => {
    const t = labels(['a', 'a', 'b', 'b']);
    assert.equal(adjustedRandIndex(universe(4), t, labels(['x', 'x', 'x', 'x'])), 0);
    assert.ok(adjustedRandIndex(universe(4), t, labels(['x', 'y', 'x', 'y'])) < 0);
  });

  it('treats unlabelled entities as singletons: honest entities left alone score 1, glued ones lower it', () => {
    const ops = labels(['op1', 'op1', 'op1', undefined, undefined, undefined, undefined, undefined]);
    assert.equal(adjustedRandIndex(universe(8), ops, labels(['c', 'c', 'c'])), 1);
    const glued = adjustedRandIndex(universe(8), ops, labels(['c', 'c', 'c', 'c', 'c']));
    assert.ok(glued < 1 && glued > 0, String(glued));
    const split = adjustedRandIndex(universe(8), ops, labels(['c', 'c', 'd']));
    assert.ok(split < 1 && split > 0, String(split));
  });

  it('is 1 when both sides are all singletons or the universe is one entity', () => {
    assert.equal(adjustedRandIndex(universe(5), new Map(), new Map()), 1);
    assert.equal(adjustedRandIndex(universe(1), labels(['a']), labels(['b'])), 1);
  });
});

describe('best campaign, false components, flag rates', () => {
  const operatorOf = new Map([
    ['acc1', 'op-1'],
    ['acc2', 'op-1'],
    ['name1', 'op-1'],
    ['name2', 'op-1'],
    ['acc3', 'op-2'],
    ['name3', 'op-2'],
  ]);
  const campaignOf = new Map([
    ['acc1', 'C1'],
    ['acc2', 'C1'],
    ['name1', 'C1'],
    ['honest1', 'C1'],
    ['name2', 'C2'],
    ['honest2', 'C3'],
    ['honest3', 'C3'],
    ['honest4', 'C3'],
  ]);

  it('gives each operator the campaign with most of its entities, with coverage and purity', () => {
    const best = bestCampaigns(operatorOf, campaignOf);
    assert.deepEqual(best[0], {
      operator: 'op-1',
      size: 4,
      campaign: 'C1',
      campaignSize: 4,
      coverage: 0.75,
      purity: 0.75,
    });
    assert.deepEqual(best[1], {
      operator: 'op-2',
      size: 2,
      campaign: null,
      campaignSize: 0,
      coverage: 0,
      purity: 0,
    });
  });

  it('finds the largest all-honest campaign and the most foreign members of any campaign', () => {
    assert.deepEqual(falseComponents(operatorOf, campaignOf), {
      largestFalseCampaign: 3,
      mostFalseMembers: 3,
      falseCampaigns: 1,
    });
  });

  it('computes recall over positives and the false-positive rate over the rest', () => {
    const r = flagRates(['a', 'b', 'c', 'd', 'e'], new Set(['a', 'b']), new Set(['a', 'c', 'zzz']));
    assert.deepEqual(r, {
      recall: 0.5,
      falsePositiveRate: 1 / 3,
      positives: 2,
      negatives: 3,
      truePositives: 1,
      falsePositives: 1,
    });
    assert.equal(flagRates([], new Set(), new Set()).recall, 1);
  });

  it('scores a whole world at once', () => {
    const s = scoreWorld({
      entities: ['honest1', 'honest2', 'honest3', 'honest4', 'honest5'],
      operatorOf,
      campaignOf: new Map([...operatorOf].map(([k, op]) => [k, op === 'op-1' ? 'A' : 'B'])),
      names: ['name1', 'name2', 'name3', 'benign.example'],
      operatorNames: new Set(['name1', 'name2', 'name3']),
      flaggedNames: new Set(['name1', 'name2', 'name3']),
      accounts: ['acc1', 'acc2', 'acc3', 'honest-acc'],
      operatorAccounts: new Set(['acc1', 'acc2', 'acc3']),
      flaggedAccounts: new Set(['acc1', 'acc2', 'acc3', 'honest-acc']),
    });
    assert.equal(s.adjustedRandIndex, 1);
    assert.equal(s.names.recall, 1);
    assert.equal(s.names.falsePositiveRate, 0);
    assert.equal(s.accounts.falsePositiveRate, 1);
    assert.deepEqual(s.falseComponents, { largestFalseCampaign: 0, mostFalseMembers: 0, falseCampaigns: 0 });
  });
});

describe('pair breakdown', () => {
  it('splits the lost pairs into split-apart, unclustered and merged (by kind) pairs', () => {
    // op1: e0 e1 in c1, e2 in c2, e3 in none; op2: e4 in c1; honest e5 e6 in c2, e7 in none.
    const t = labels(['op1', 'op1', 'op1', 'op1', 'op2']);
    const p = labels(['c1', 'c1', 'c2', undefined, 'c1', 'c2', 'c2']);
    const b = pairBreakdown(universe(8), t, p);
    assert.equal(b.operatorPairs, 6); // C(4,2)
    assert.equal(b.together, 1); // e0-e1
    assert.equal(b.split.unclustered, 3); // e3 with e0, e1, e2
    assert.equal(b.split.splitApart, 2); // e2 with e0, e1
    assert.deepEqual(b.merged, { operatorOperator: 2, operatorHonest: 2, honestHonest: 1 });
    assert.equal(b.campaignPairs, 3 + 3); // c1: 3 members, c2: 3 members
    assert.equal(b.unclusteredEntities, 1);
  });
});
