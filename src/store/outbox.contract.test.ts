import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { OutboxRow } from './outbox.js';

const row = (id: string, createdAt: string): OutboxRow => ({
  id,
  kind: 'hold-and-review',
  target: 'provider',
  caseId: 'K-a',
  createdAt,
  payload: { subject: 'campaign C-1', accounts: ['account:p:1'] },
  status: 'pending',
  attempts: 0,
  nextAttemptAt: createdAt,
  deliveredAt: null,
  lastError: null,
});

describeEachStore('outbox contract', (t, skip) => {
  it('enqueues an action id once', { skip }, async () => {
    assert.equal(await t.store.outbox.enqueue([row('a1', '2026-01-01T00:00:00.000Z')]), 1);
    assert.equal(
      await t.store.outbox.enqueue([
        row('a1', '2026-01-01T00:00:00.000Z'),
        row('a2', '2026-01-01T00:01:00.000Z'),
      ]),
      1,
    );
    assert.deepEqual(
      (await t.store.outbox.list()).map((r) => r.id),
      ['a1', 'a2'],
    );
    assert.deepEqual((await t.store.outbox.get('a1'))?.payload, {
      subject: 'campaign C-1',
      accounts: ['account:p:1'],
    });
  });

  it('claims due actions under a lease and records attempts conditionally', { skip }, async () => {
    const now = '2026-01-01T00:00:30.000Z';
    const lease = '2026-01-01T00:01:30.000Z';
    const claimed = await t.store.outbox.claimDue(now, 10, lease);
    assert.deepEqual(
      claimed.map((r) => r.id),
      ['a1'],
    );
    // Leased: not due again until the lease ends.
    assert.deepEqual(await t.store.outbox.claimDue(now, 10, lease), []);
    const failed = {
      status: 'pending' as const,
      attempts: 1,
      nextAttemptAt: '2026-01-01T00:00:40.000Z',
      deliveredAt: null,
      lastError: 'HTTP 503',
    };
    assert.equal(await t.store.outbox.record('a1', failed, 0), true);
    // A second deliverer that read the same attempt count loses.
    assert.equal(await t.store.outbox.record('a1', failed, 0), false);
    const later = await t.store.outbox.claimDue('2026-01-01T00:02:00.000Z', 10, '2026-01-01T00:03:00.000Z');
    assert.deepEqual(
      later.map((r) => [r.id, r.attempts, r.lastError]),
      [
        ['a1', 1, 'HTTP 503'],
        ['a2', 0, null],
      ],
    );
    const delivered = {
      status: 'delivered' as const,
      attempts: 2,
      nextAttemptAt: null,
      deliveredAt: '2026-01-01T00:02:01.000Z',
      lastError: null,
    };
    assert.equal(await t.store.outbox.record('a1', delivered, 1), true);
    assert.equal(await t.store.outbox.record('a1', { ...delivered, attempts: 3 }, 2), false);
    assert.deepEqual(
      (await t.store.outbox.list({ status: 'delivered' })).map((r) => r.id),
      ['a1'],
    );
    assert.deepEqual(
      await t.store.outbox
        .claimDue('2026-01-02T00:00:00.000Z', 10, '2026-01-02T00:01:00.000Z')
        .then((r) => r.map((x) => x.id)),
      ['a2'],
    );
  });
});
