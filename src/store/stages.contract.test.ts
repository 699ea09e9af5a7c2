import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';

describeEachStore('stages contract', (t, skip) => {
  it('keeps a cursor per stage', { skip }, async () => {
    assert.equal(await t.store.stages.cursor('derive'), 0);
    await t.store.stages.setCursor('derive', 5);
    await t.store.stages.setCursor('derive', 9);
    await t.store.stages.setCursor('other', 2);
    assert.equal(await t.store.stages.cursor('derive'), 9);
    assert.equal(await t.store.stages.cursor('other'), 2);
  });

  it('keeps the persisted state of a stage and the position it covers', { skip }, async () => {
    assert.equal(await t.store.stages.state('tenant'), undefined);
    await t.store.stages.writeState('tenant', 4, '{"a":1}');
    await t.store.stages.writeState('tenant', 7, '{"a":2}');
    assert.deepEqual(await t.store.stages.state('tenant'), { position: 7, state: '{"a":2}' });
  });
});
