import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SPLIT_CONFIG, resolutionFor, splitComponent } from './communities.js';

/** `k` planted cliques of `size` nodes joined in a ring by one edge each: one component. */
function ringOfCliques(k: number, size: number) {
  const nodes: number[] = [];
  const edges: Array<[number, number, number]> = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < size; i++) {
      nodes.push(c * size + i);
      for (let j = i + 1; j < size; j++) edges.push([c * size + i, c * size + j, 1]);
    }
    edges.push([c * size, ((c + 1) % k) * size + 1, 1]);
  }
  return { nodes, edges };
}

describe('splitComponent', () => {
  it('leaves a component small enough to be one campaign alone', () => {
    const { nodes, edges } = ringOfCliques(5, 10);
    assert.equal(splitComponent(nodes, edges).length, 1);
  });

  it('recovers planted campaigns inside one oversized component', () => {
    const { nodes, edges } = ringOfCliques(40, 12);
    const config = { ...DEFAULT_SPLIT_CONFIG, splitAbove: 300 };
    assert.equal(splitComponent(nodes, edges).length, 1, '480 nodes is a plausible campaign by default');
    const groups = splitComponent(nodes, edges, config);
    assert.equal(groups.length, 40);
    for (const g of groups) {
      const clique = Math.floor(g[0]! / 12);
      assert.ok(
        g.every((v) => Math.floor(v / 12) === clique),
        'every group is one planted clique',
      );
    }
    assert.deepEqual(splitComponent(nodes, edges, config), groups, 'reproducible');
  });

  it('scales the resolution with the component', () => {
    assert.equal(resolutionFor(40), 1);
    assert.ok(resolutionFor(4000) > resolutionFor(400));
    assert.equal(resolutionFor(1e9), DEFAULT_SPLIT_CONFIG.maxResolution);
  });
});
