import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sqliteFactory, type TestStore } from '../../test/support/stores.js';
import { AT, judge, link } from '../../test/support/campaign-world.js';
import { runCorrelateStage } from './correlate-stage.js';
import { loadSharedInfrastructure } from './shared-infrastructure.js';

const shared = loadSharedInfrastructure();

describe('correlate stage: wallet clusters', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
  });
  after(async () => t.cleanup());

  it('ties pages through wallets of one owner (transfers both ways), not through a victim who paid once', async () => {
    const w1 = `0x${'1'.repeat(40)}`;
    const w2 = `0x${'2'.repeat(40)}`;
    const victim = `0x${'3'.repeat(40)}`;
    // Two flagged names, each with a page naming its own wallet, and an honest-looking third.
    await link(t.store, 'domain:pay-check-1a2b3c.top', 'snapshot:sha256:p1', 'serves');
    await link(t.store, 'snapshot:sha256:p1', `wallet:ethereum:${w1}`, 'same-wallet', 0.9);
    await link(t.store, 'domain:wallet-verify.live', 'snapshot:sha256:p2', 'serves');
    await link(t.store, 'snapshot:sha256:p2', `wallet:ethereum:${w2}`, 'same-wallet', 0.9);
    await link(t.store, 'domain:shop-example.com', 'snapshot:sha256:p3', 'serves');
    await link(t.store, 'snapshot:sha256:p3', `wallet:ethereum:${victim}`, 'same-wallet', 0.9);
    await judge(t.store, 'domain:pay-check-1a2b3c.top', [['domain.lure-vocabulary', 60]]);
    await judge(t.store, 'domain:wallet-verify.live', [['page.kit', 60]]);
    const tx = (n: number, from: string, to: string) => ({
      source: 'test:tx',
      kind: 'transaction' as const,
      observedAt: AT,
      dedupeKey: `tx${n}`,
      payload: {
        chain: 'ethereum' as const,
        txHash: `0x${String(n).padStart(64, '0')}`,
        asset: 'ETH',
        from: [{ address: from, amount: '1' }],
        to: [{ address: to, amount: '1' }],
      },
    });
    const first = await runCorrelateStage(t.store, { shared });
    assert.equal(first.campaigns, 0, 'no shared value yet');
    await t.store.observations.writeBatch({
      source: 'test:tx',
      observations: [tx(1, w1, w2), tx(2, w2, w1), tx(3, victim, w1)],
      deadLetters: [],
    });
    const s = await runCorrelateStage(t.store, { shared });
    assert.equal(s.campaigns, 1, JSON.stringify(s));
    const [c] = await t.store.campaigns.list();
    const d = await t.store.campaigns.get(c!.id);
    const keys = new Set(d!.members.map((m) => m.key as string));
    assert.ok(
      keys.has('domain:pay-check-1a2b3c.top') && keys.has('domain:wallet-verify.live'),
      [...keys].join(),
    );
    assert.ok(!keys.has('domain:shop-example.com'), 'a wallet that paid once is not the owner');
  });
});
