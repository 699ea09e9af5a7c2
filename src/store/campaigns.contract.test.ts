import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { CampaignWrite } from './store.js';

const campaign = (
  id: string,
  risk: number,
  members: string[],
  extra: Partial<CampaignWrite> = {},
): CampaignWrite => ({
  id,
  name: `campaign ${id}`,
  state: 'active',
  risk,
  flagged: risk >= 50,
  firstSeen: '2026-03-01T00:00:00.000Z',
  lastSeen: '2026-03-02T00:00:00.000Z',
  updatedAt: '2026-03-02T01:00:00.000Z',
  memberCount: members.length,
  counts: { domain: members.length },
  topPivots: [{ key: 'cert:sha256:ab', kind: 'cert', strength: 'strong', members: 2 }],
  explanation: `explains ${id}`,
  members: members.map((key, i) => ({
    key: key as `domain:${string}`,
    type: 'domain',
    display: key.slice(7),
    score: 60 - i,
    flagged: i === 0,
  })),
  pivots: [{ key: 'cert:sha256:ab', kind: 'cert', strength: 'strong', weight: 0.9, members: 2 }],
  growth: [{ day: '2026-03-01', members: members.length }],
  leadTime: { firstFlaggedAt: '2026-03-01T02:00:00.000Z', goLiveAt: '2026-03-02T02:00:00.000Z', hours: 24 },
  ...extra,
});

describeEachStore('campaigns contract', (t, skip) => {
  it('saves, reads back, lists by risk with keyset pages and finds campaigns by member', {
    skip,
  }, async () => {
    const s = t.store;
    await s.campaigns.save([
      campaign('C-a', 90, ['domain:a1.top', 'domain:a2.top']),
      campaign('C-b', 40, ['domain:b1.top', 'domain:shared.top']),
      campaign('C-c', 90, ['domain:c1.top', 'domain:shared.top'], { leadTime: null }),
    ]);
    const a = await s.campaigns.get('C-a');
    assert.ok(a);
    assert.equal(a.risk, 90);
    assert.equal(a.flagged, true);
    assert.equal(a.leadTimeHours, 24);
    assert.deepEqual(a.leadTime, {
      firstFlaggedAt: '2026-03-01T02:00:00.000Z',
      goLiveAt: '2026-03-02T02:00:00.000Z',
      hours: 24,
    });
    assert.deepEqual(
      a.members.map((m) => [m.key, m.score, m.flagged]),
      [
        ['domain:a1.top', 60, true],
        ['domain:a2.top', 59, false],
      ],
    );
    assert.deepEqual(a.topPivots, [{ key: 'cert:sha256:ab', kind: 'cert', strength: 'strong', members: 2 }]);
    assert.deepEqual(a.growth, [{ day: '2026-03-01', members: 2 }]);
    assert.equal((await s.campaigns.get('C-c'))?.leadTimeHours, null);
    assert.equal(await s.campaigns.get('C-none'), undefined);

    // Risk, highest first, then id; the second page starts after the last id of the first.
    const first = await s.campaigns.list({ limit: 2 });
    assert.deepEqual(
      first.map((c) => c.id),
      ['C-a', 'C-c'],
    );
    const second = await s.campaigns.list({ limit: 2, after: 'C-c' });
    assert.deepEqual(
      second.map((c) => c.id),
      ['C-b'],
    );
    assert.deepEqual(
      (await s.campaigns.list({ minRisk: 50 })).map((c) => c.id),
      ['C-a', 'C-c'],
    );
    assert.deepEqual(
      (await s.campaigns.list({ flagged: false })).map((c) => c.id),
      ['C-b'],
    );

    assert.deepEqual(
      (await s.campaigns.ofMember('domain:shared.top')).map((c) => c.id),
      ['C-c', 'C-b'],
    );
    assert.deepEqual(await s.campaigns.ofMember('domain:nowhere.top'), []);
  });

  it('replaces members on save, dissolves, and keeps a timeline in order', { skip }, async () => {
    const s = t.store;
    await s.transaction(async (tx) => {
      await tx.campaigns.save([campaign('C-x', 70, ['domain:x1.top', 'domain:x2.top'])]);
      await tx.campaigns.appendEvents([
        { campaignId: 'C-x', at: '2026-03-01T00:00:00.000Z', kind: 'created', detail: '2 members' },
      ]);
    });
    await s.campaigns.save([campaign('C-x', 75, ['domain:x1.top', 'domain:x3.top', 'domain:x4.top'])]);
    await s.campaigns.appendEvents([
      { campaignId: 'C-x', at: '2026-03-02T00:00:00.000Z', kind: 'grew', detail: '2 → 3 members' },
    ]);
    const x = await s.campaigns.get('C-x');
    assert.deepEqual(x?.members.map((m) => m.key).sort(), [
      'domain:x1.top',
      'domain:x3.top',
      'domain:x4.top',
    ]);
    assert.deepEqual(
      x?.timeline.map((e) => e.kind),
      ['created', 'grew'],
    );
    assert.deepEqual(
      (await s.campaigns.memberSets()).find((c) => c.id === 'C-x'),
      { id: 'C-x', members: ['domain:x1.top', 'domain:x3.top', 'domain:x4.top'] },
    );

    await s.campaigns.dissolve(['C-x'], '2026-03-03T00:00:00.000Z');
    assert.equal((await s.campaigns.get('C-x'))?.state, 'dissolved');
    assert.equal(
      (await s.campaigns.memberSets()).find((c) => c.id === 'C-x'),
      undefined,
    );
    assert.ok(!(await s.campaigns.list()).some((c) => c.id === 'C-x'));
    assert.ok((await s.campaigns.list({ state: 'all' })).some((c) => c.id === 'C-x'));
    assert.deepEqual(
      (await s.campaigns.list({ state: 'dissolved' })).map((c) => c.id),
      ['C-x'],
    );
  });

  it('rolls a failed transaction back', { skip }, async () => {
    const s = t.store;
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.campaigns.save([campaign('C-r', 70, ['domain:r.top'])]);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.campaigns.get('C-r'), undefined);
  });
});
