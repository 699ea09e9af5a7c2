import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignCampaignIds, type CampaignEvent, type CampaignSet, mintCampaignId } from './campaign-ids.js';

const names = (p: string, n: number) => Array.from({ length: n }, (_, i) => `domain:${p}${i}.live`);
const ev = (events: readonly CampaignEvent[], type: CampaignEvent['type']) =>
  events.filter((e) => e.type === type);

describe('campaign ids', () => {
  it('mints the same id for the same members on every run', () => {
    const a = assignCampaignIds([], [names('a', 5), names('b', 3)]);
    const b = assignCampaignIds([], [names('b', 3).reverse(), names('a', 5)]);
    assert.deepEqual(a.campaigns.map((c) => c.id).sort(), b.campaigns.map((c) => c.id).sort());
    assert.equal(a.campaigns[0]?.id, mintCampaignId(names('a', 5)));
    assert.match(a.campaigns[0]!.id, /^C-[0-9a-f]{12}$/);
    assert.equal(ev(a.events, 'created').length, 2);
  });

  it('keeps the id of a growing campaign', () => {
    const prev: CampaignSet[] = [{ id: 'C-one', members: names('a', 3) }];
    const r = assignCampaignIds(prev, [[...names('a', 3), ...names('new', 40)]]);
    assert.equal(r.campaigns[0]?.id, 'C-one');
    assert.deepEqual(ev(r.events, 'continued'), [
      { type: 'continued', id: 'C-one', size: 43, previousSize: 3 },
    ]);
  });

  it('records a merge and gives the merged campaign the id of the larger contributor', () => {
    const prev: CampaignSet[] = [
      { id: 'C-small', members: names('b', 4) },
      { id: 'C-big', members: names('a', 10) },
    ];
    const r = assignCampaignIds(prev, [[...names('a', 10), ...names('b', 4)]]);
    assert.equal(r.campaigns.length, 1);
    assert.equal(r.campaigns[0]?.id, 'C-big');
    assert.deepEqual(ev(r.events, 'merged'), [{ type: 'merged', into: 'C-big', from: ['C-small'] }]);
  });

  it('records a split: the larger part keeps the id, the other gets a new one', () => {
    const all = names('a', 10);
    const prev: CampaignSet[] = [{ id: 'C-one', members: all }];
    const r = assignCampaignIds(prev, [all.slice(6), all.slice(0, 6)]);
    const big = r.campaigns.find((c) => c.members.length === 6)!;
    const small = r.campaigns.find((c) => c.members.length === 4)!;
    assert.equal(big.id, 'C-one');
    assert.notEqual(small.id, 'C-one');
    assert.deepEqual(ev(r.events, 'split'), [{ type: 'split', from: 'C-one', into: ['C-one', small.id] }]);
  });

  it('does not hand an id to a cluster that took only a stray member', () => {
    const prev: CampaignSet[] = [{ id: 'C-one', members: names('a', 20) }];
    const r = assignCampaignIds(prev, [names('a', 20).slice(1), [names('a', 1)[0]!, ...names('z', 30)]]);
    assert.equal(r.campaigns.find((c) => c.members.length === 19)?.id, 'C-one');
    assert.notEqual(r.campaigns.find((c) => c.members.length === 31)?.id, 'C-one');
    assert.equal(ev(r.events, 'split').length, 0, 'one stray member is not a split');
  });

  it('stays stable through a sequence of reclusters with a merge and a split back', () => {
    let state: readonly CampaignSet[] = assignCampaignIds(
      [],
      [names('a', 8), names('b', 5), names('c', 2)],
    ).campaigns;
    const idOf = (s: readonly CampaignSet[], m: string) => s.find((c) => c.members.includes(m))?.id;
    const a0 = idOf(state, 'domain:a0.live');
    const b0 = idOf(state, 'domain:b0.live');
    const c0 = idOf(state, 'domain:c0.live');
    // Same clustering again: nothing changes.
    let r = assignCampaignIds(state, [names('c', 2), names('b', 5), names('a', 8)]);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ['continued', 'continued', 'continued'],
    );
    // A and B merge (a shared wallet is found); C dissolves (its names were withdrawn).
    r = assignCampaignIds(r.campaigns, [[...names('a', 8), ...names('b', 5)]]);
    state = r.campaigns;
    assert.equal(idOf(state, 'domain:b0.live'), a0);
    assert.deepEqual(ev(r.events, 'merged'), [{ type: 'merged', into: a0, from: [b0] }]);
    assert.deepEqual(ev(r.events, 'dissolved'), [{ type: 'dissolved', id: c0 }]);
    // The wallet link is retracted: B splits off again and, minted from the same members, regains its id.
    r = assignCampaignIds(state, [names('b', 5), names('a', 8)]);
    assert.equal(idOf(r.campaigns, 'domain:a0.live'), a0);
    assert.equal(idOf(r.campaigns, 'domain:b0.live'), b0);
    assert.deepEqual(ev(r.events, 'split'), [{ type: 'split', from: a0, into: [a0, b0] }]);
  });
});
