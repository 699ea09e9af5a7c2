import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';

describeEachStore('work queue contract', (t, skip) => {
  it('queues work durably: no duplicates while pending, leases expire, failures back off then park', {
    skip,
  }, async () => {
    const q = t.store.queue;
    const t0 = '2026-02-01T00:00:00.000Z';
    assert.equal(
      await q.enqueue(
        [
          { queue: 'crawl', key: 'a', payload: { url: 'https://a/' } },
          { queue: 'crawl', key: 'b', payload: {} },
          { queue: 'crawl', key: 'b', payload: {} },
        ],
        t0,
      ),
      2,
    );
    assert.equal(await q.enqueue([{ queue: 'crawl', key: 'a', payload: {} }], t0), 0, 'already pending');
    const c1 = await q.claim('crawl', 1, 60_000, t0);
    assert.deepEqual(
      c1.map((i) => [i.key, i.attempts, i.payload]),
      [['a', 1, { url: 'https://a/' }]],
    );
    const c2 = await q.claim('crawl', 10, 60_000, t0);
    assert.deepEqual(
      c2.map((i) => i.key),
      ['b'],
      'a leased item is not handed out twice',
    );
    assert.deepEqual(await q.claim('crawl', 10, 60_000, '2026-02-01T00:00:30.000Z'), []);
    const expired = await q.claim('crawl', 10, 60_000, '2026-02-01T00:01:01.000Z');
    assert.deepEqual(
      expired.map((i) => [i.key, i.attempts]).sort(),
      [
        ['a', 2],
        ['b', 2],
      ],
      "a dead worker's lease expires",
    );
    await q.complete('crawl', ['a'], '2026-02-01T00:01:02.000Z');
    await q.fail('crawl', 'b', 'timeout', { retryInMs: 10_000, maxAttempts: 3 }, '2026-02-01T00:01:02.000Z');
    assert.deepEqual(await q.claim('crawl', 10, 60_000, '2026-02-01T00:01:05.000Z'), [], 'backing off');
    const retry = await q.claim('crawl', 10, 60_000, '2026-02-01T00:01:13.000Z');
    assert.deepEqual(
      retry.map((i) => [i.key, i.attempts]),
      [['b', 3]],
    );
    await q.fail(
      'crawl',
      'b',
      'timeout again',
      { retryInMs: 10_000, maxAttempts: 3 },
      '2026-02-01T00:01:14.000Z',
    );
    assert.deepEqual(await q.stats('crawl'), { pending: 0, leased: 0, done: 1, failed: 1 });
    assert.deepEqual(await q.stats('other'), { pending: 0, leased: 0, done: 0, failed: 0 });
    assert.equal(
      await q.enqueue([{ queue: 'crawl', key: 'a', payload: {} }], t0),
      0,
      'done items are not re-queued by key',
    );
    await q.fail('crawl', 'unknown', 'x', { retryInMs: 1, maxAttempts: 1 });
  });
});
