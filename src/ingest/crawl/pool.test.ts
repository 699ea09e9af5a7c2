import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPool } from './pool.js';

describe('createPool', () => {
  it('bounds concurrency and applies back-pressure', async () => {
    const pool = createPool(2, 1);
    let active = 0;
    let peak = 0;
    let maxQueued = 0;
    const results: Promise<number>[] = [];
    for (let i = 0; i < 10; i++) {
      const { result } = await pool.submit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return i;
      });
      maxQueued = Math.max(maxQueued, pool.queued);
      results.push(result);
    }
    await pool.drain();
    assert.equal(peak, 2);
    assert.ok(maxQueued <= 1);
    assert.deepEqual(await Promise.all(results), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps going after a task fails', async () => {
    const pool = createPool(1);
    const a = await pool.submit(async () => {
      throw new Error('boom');
    });
    const b = await pool.submit(async () => 'ok');
    await assert.rejects(a.result, /boom/);
    assert.equal(await b.result, 'ok');
    await pool.drain();
  });
});
