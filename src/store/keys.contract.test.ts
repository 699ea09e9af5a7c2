import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';

describeEachStore('API keys contract', (t, skip) => {
  it('stores API keys by hash and revokes them once', { skip }, async () => {
    await t.store.keys.create({
      id: 'k1',
      label: 'ci',
      role: 'reader',
      hash: 'h1',
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
    });
    await t.store.keys.create({
      id: 'k2',
      label: 'ops',
      role: 'admin',
      hash: 'h2',
      createdAt: '2026-01-02T00:00:00.000Z',
      revokedAt: null,
    });
    assert.equal((await t.store.keys.byHash('h1'))?.role, 'reader');
    assert.equal(await t.store.keys.byHash('nope'), undefined);
    assert.equal(await t.store.keys.revoke('k1', '2026-01-02T00:00:00.000Z'), true);
    assert.equal(await t.store.keys.revoke('k1', '2026-01-03T00:00:00.000Z'), false);
    assert.equal(await t.store.keys.revoke('nope', '2026-01-03T00:00:00.000Z'), false);
    const all = await t.store.keys.list();
    assert.deepEqual(
      all.map((k) => [k.id, k.revokedAt]),
      [
        ['k1', '2026-01-02T00:00:00.000Z'],
        ['k2', null],
      ],
    );
  });
});
