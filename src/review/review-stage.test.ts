import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { assess } from '../detect/score.js';
import type { EntityKey, Signal } from '../domain/index.js';
import type { CampaignWrite, Store } from '../store/store.js';
import { runReviewStage } from './review-stage.js';

const T0 = '2026-03-01T00:00:00.000Z';
const sig = (id: string, weight: number): Signal => ({
  id,
  detector: id.split('.')[0]!,
  weight,
  detail: id,
  evidence: [],
});

async function flag(store: Store, key: EntityKey, weight: number, id = 'domain.combosquat'): Promise<void> {
  const type = key.split(':')[0] as 'domain' | 'account';
  await store.transaction(async (tx) => {
    await tx.entities.upsert([{ key, type, display: key.slice(type.length + 1), seenAt: T0 }]);
    await tx.assessments.replaceSignals([
      { entity: key, detectors: ['domain'], signals: [sig(id, weight)], observedAt: T0 },
    ]);
    await tx.assessments.write([assess(key, [sig(id, weight)], T0)]);
  });
}

const campaign = (
  id: string,
  risk: number,
  members: { key: EntityKey; flagged: boolean }[],
): CampaignWrite => ({
  id,
  name: `campaign ${id}`,
  state: 'active',
  risk,
  flagged: true,
  firstSeen: T0,
  lastSeen: T0,
  updatedAt: T0,
  memberCount: members.length,
  counts: { domain: members.length },
  topPivots: [],
  explanation: `explains ${id}`,
  members: members.map((m) => ({
    key: m.key,
    type: 'domain',
    display: m.key.slice(7),
    score: m.flagged ? 95 : 10,
    flagged: m.flagged,
  })),
  pivots: [{ key: 'cert:sha256:ab', kind: 'cert', strength: 'strong', weight: 0.9, members: members.length }],
  growth: [{ day: '2026-03-01', members: members.length }],
  leadTime: null,
});

describeEachStore('review stage over campaigns', (t, skip) => {
  const now = () => new Date('2026-03-02T00:00:00.000Z');
  it('opens one case per campaign; its members get no lone cases; lone strong entities do', {
    skip,
  }, async () => {
    const a = 'domain:op-a.top' as EntityKey;
    const b = 'domain:op-b.top' as EntityKey;
    const c = 'domain:op-c.top' as EntityKey;
    const lone = 'domain:lone-kit.top' as EntityKey;
    const weak = 'domain:weak.top' as EntityKey;
    for (const k of [a, b, lone]) await flag(t.store, k, 95);
    await flag(t.store, weak, 60);
    await t.store.campaigns.save([
      campaign('C-1', 85, [
        { key: a, flagged: true },
        { key: b, flagged: true },
        { key: c, flagged: false },
      ]),
    ]);
    const r = await runReviewStage(t.store, { now });
    assert.equal(r.opened, 2);
    const cases = await t.store.cases.list();
    assert.deepEqual(cases.map((x) => x.subject).sort(), ['campaign:C-1', lone]);
    const k = cases.find((x) => x.subject === 'campaign:C-1')!;
    assert.equal(k.campaignId, 'C-1');
    assert.equal(k.memberCount, 3);
    assert.equal(k.queue, 'campaigns');
    assert.ok(k.detail.rules.some((x) => x.id === 'campaign' && x.matched));
    // A new member is new evidence for the open case, not a second case.
    await flag(t.store, c, 95);
    await t.store.campaigns.save([
      campaign('C-1', 90, [
        { key: a, flagged: true },
        { key: b, flagged: true },
        { key: c, flagged: true },
        { key: 'domain:op-d.top' as EntityKey, flagged: false },
      ]),
    ]);
    const r2 = await runReviewStage(t.store, { now });
    assert.deepEqual([r2.opened, r2.attached], [0, 1]);
    const after = await t.store.cases.bySubject('campaign:C-1');
    assert.equal(after?.memberCount, 4);
    assert.equal(after?.id, k.id);
    assert.deepEqual(
      (await t.store.cases.history(k.id)).map((e) => e.kind),
      ['open', 'evidence'],
    );
  });

  it('gives lone domains one case per registrable domain, a platform tenant or an edge name its own', {
    skip,
  }, async () => {
    const names = [
      'x-lookalike.lat',
      'www.x-lookalike.lat',
      'login.x-lookalike.lat',
      'www.only-sub.lat',
      'evil-1.workers.dev',
      'evil-2.workers.dev',
      'shop-brand.b-cdn.net',
      'mail-brand.b-cdn.net',
    ];
    for (const n of names) await flag(t.store, `domain:${n}` as EntityKey, 95);
    await runReviewStage(t.store, { now });
    const lone = (await t.store.cases.list({ queue: 'lone' })).map((c) => [c.subject, c.memberCount]);
    assert.deepEqual(lone.sort(), [
      ['domain:evil-1.workers.dev', 1],
      ['domain:evil-2.workers.dev', 1],
      ['domain:lone-kit.top', 1],
      ['domain:mail-brand.b-cdn.net', 1],
      ['domain:only-sub.lat', 1],
      ['domain:shop-brand.b-cdn.net', 1],
      ['domain:x-lookalike.lat', 3],
    ]);
    const x = (await t.store.cases.bySubject('domain:x-lookalike.lat'))!;
    assert.deepEqual(x.detail.members.map((m) => m.key).sort(), [
      'domain:login.x-lookalike.lat',
      'domain:www.x-lookalike.lat',
      'domain:x-lookalike.lat',
    ]);
    assert.match(x.summary, /x-lookalike\.lat: 3 names/);
    // A new name under the same registrable domain is new evidence for that case.
    await flag(t.store, 'domain:pay.x-lookalike.lat' as EntityKey, 95);
    const r = await runReviewStage(t.store, { now });
    assert.deepEqual([r.opened, r.attached], [0, 1]);
    assert.equal((await t.store.cases.bySubject('domain:x-lookalike.lat'))?.memberCount, 4);
  });
});
