import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PivotClass, PivotGraphBuilder } from './pivot-graph.js';
import { recluster } from './recluster.js';

/**
 * `k` operators of 12 names, each tied by its own certificates (strong), chained to the next operator
 * by two medium pivots between one name of each (a kit family and a registration day): one component
 * that Louvain must cut back into operators.
 */
function chainedOperators(k: number) {
  const b = new PivotGraphBuilder();
  for (let c = 0; c < k; c++) {
    const names = Array.from({ length: 12 }, (_, i) => b.node(`domain:op${c}-${i}.top`));
    for (let i = 0; i < 12; i++)
      for (let j = i + 1; j < 12; j += 3) {
        const cert = b.node(`cert:sha256:${c}-${i}-${j}`, 1);
        b.edge(names[i]!, cert, PivotClass.strong);
        b.edge(names[j]!, cert, PivotClass.strong);
      }
    const next = b.node(`domain:op${(c + 1) % k}-0.top`);
    for (const v of ['kit', 'day']) {
      const m = b.node(`${v}:${c}`, 2);
      b.edge(names[11]!, m, PivotClass.medium);
      b.edge(next, m, PivotClass.medium);
    }
  }
  return b;
}

describe('recluster', () => {
  it('keeps small components whole and gives them ids', () => {
    const b = chainedOperators(3);
    const r = recluster(b.build(), b.keys, []);
    assert.equal(r.splits.length, 0);
    assert.equal(r.campaigns.length, 1, 'three chained operators, 36 names, are one component under 300');
  });

  it('splits an oversized component into its operators, with ids stable on the next run', () => {
    const b = chainedOperators(30);
    const g = b.build();
    const first = recluster(g, b.keys, [], {
      split: { splitAbove: 100, expectedSize: 40, maxResolution: 8, seed: 1 },
    });
    assert.equal(first.splits.length, 1);
    const domainsOf = (members: readonly string[]) =>
      new Set(members.filter((m) => m.startsWith('domain:')).map((m) => m.replace(/-\d+\.top$/, '')));
    const pure = first.campaigns.filter((c) => domainsOf(c.members).size === 1).length;
    assert.ok(pure >= 28, `${pure} of ${first.campaigns.length} campaigns are one operator`);
    const again = recluster(g, b.keys, first.campaigns, {
      split: { splitAbove: 100, expectedSize: 40, maxResolution: 8, seed: 1 },
    });
    assert.deepEqual(again.campaigns.map((c) => c.id).sort(), first.campaigns.map((c) => c.id).sort());
    assert.ok(again.events.every((e) => e.type === 'continued'));
  });
});
