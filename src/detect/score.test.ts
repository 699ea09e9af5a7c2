import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../domain/index.js';
import { aggregate } from './score.js';

const s = (id: string, weight: number): Signal => ({ id, detector: 'd', weight, detail: id, evidence: [] });
const sum = (r: ReturnType<typeof aggregate>) => r.contributions.reduce((a, c) => a + c.points, 0);

describe('aggregate', () => {
  it('combines positive evidence as a noisy-OR that never exceeds 100', () => {
    assert.equal(aggregate([s('a', 60), s('b', 60)]).score, 84);
    assert.equal(aggregate([s('a', 100), s('b', 100)]).score <= 100, true);
    assert.equal(aggregate([]).score, 0);
  });
  it('attributes the score to its signals so that the points add up', () => {
    const r = aggregate([s('a', 60), s('b', 30), s('c', -10)]);
    assert.ok(Math.abs(sum(r) - r.score) < 0.25, `${sum(r)} vs ${r.score}`);
    assert.equal(r.contributions[0]?.id, 'a', 'strongest first');
    assert.ok((r.contributions.find((c) => c.id === 'c')?.points ?? 0) < 0);
  });
  it('lets exculpatory signals pull a score down, never below 0', () => {
    assert.equal(aggregate([s('a', 60), s('old', -30)]).score, 30);
    assert.equal(aggregate([s('a', 20), s('old', -90)]).score, 0);
  });
  it('counts a repeated signal id once (its strongest)', () => {
    assert.equal(aggregate([s('a', 40), s('a', 50)]).score, 50);
  });
  it('flags at the threshold and calls malicious above the second', () => {
    assert.equal(aggregate([s('a', 49.9)]).flagged, false);
    assert.equal(aggregate([s('a', 50)]).flagged, true);
    assert.equal(aggregate([s('a', 50)]).verdict, 'suspicious');
    assert.equal(aggregate([s('a', 90)]).verdict, 'malicious');
    assert.equal(aggregate([s('a', 60)], { flag: 70, malicious: 90 }).flagged, false);
  });
});
