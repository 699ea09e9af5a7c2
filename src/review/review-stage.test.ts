import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { assess } from '../detect/score.js';
import type { EntityKey, Signal } from '../domain/index.js';
import type { CampaignWrite, Store } from '../store/store.js';
import { ReviewService } from './review-service.js';
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

describeEachStore('review stage: cases whose subject went away', (t, skip) => {
  const now = () => new Date('2026-03-02T00:00:00.000Z');
  const later = () => new Date('2026-03-03T00:00:00.000Z');
  const a = 'domain:op-a.top' as EntityKey;
  const b = 'domain:op-b.top' as EntityKey;
  const x = 'domain:op-x.top' as EntityKey;
  const y = 'domain:op-y.top' as EntityKey;
  const lone = 'domain:lone-kit.top' as EntityKey;
  const kinds = async (id: string) => (await t.store.cases.history(id)).map((e) => e.kind);
  const member = (key: EntityKey) => ({ key, flagged: true });

  it('a campaign merged into another: its case is superseded by the survivor’s, notes carried', {
    skip,
  }, async () => {
    for (const k of [a, b, x, y]) await flag(t.store, k, 95);
    await t.store.campaigns.save([
      campaign('C-1', 85, [member(a), member(b)]),
      campaign('C-2', 85, [member(x), member(y)]),
    ]);
    await runReviewStage(t.store, { now });
    const k1 = (await t.store.cases.bySubject('campaign:C-1'))!;
    const k2 = (await t.store.cases.bySubject('campaign:C-2'))!;
    await t.store.cases.appendEvent({
      caseId: k2.id,
      at: now().toISOString(),
      actor: 'cli:ana',
      kind: 'note',
      from: 'open',
      to: 'open',
      note: 'same kit as last week',
      detail: {},
    });
    // The recluster merges C-2 into C-1.
    await t.store.campaigns.save([campaign('C-1', 90, [member(a), member(b), member(x), member(y)])]);
    await t.store.campaigns.dissolve(['C-2'], later().toISOString());
    await t.store.campaigns.appendEvents([
      { campaignId: 'C-2', at: later().toISOString(), kind: 'merged', detail: 'merged into C-1' },
    ]);
    const r = await runReviewStage(t.store, { now: later });
    assert.equal(r.superseded, 1);
    assert.match(
      (await t.store.cases.history(k2.id)).at(-1)?.note ?? '',
      /^superseded by K-\w+: campaign C-2 merged into C-1; 2 of its 2 members are now in campaign C-1$/,
    );
    const old = (await t.store.cases.get(k2.id))!;
    assert.deepEqual([old.state, old.supersededBy], ['superseded', k1.id]);
    assert.deepEqual(await kinds(k2.id), ['open', 'note', 'supersede']);
    const absorbed = (await t.store.cases.history(k1.id)).find((e) => e.kind === 'absorb')!;
    assert.equal(absorbed.detail.from, k2.id);
    assert.match(absorbed.note ?? '', /same kit as last week/);
    assert.deepEqual(
      (absorbed.detail.notes as { note: string }[]).map((n) => n.note),
      ['same kit as last week'],
    );
    const audit = (await t.store.audit.list()).filter((e) => e.action === 'case.supersede');
    assert.deepEqual(
      audit.map((e) => [e.actor, e.subject, e.detail.supersededBy]),
      [['system', `case:${k2.id}`, k1.id]],
    );
    // One open case per campaign; a second pass changes nothing.
    const again = await runReviewStage(t.store, { now: later });
    assert.equal(again.superseded, 0);
    assert.deepEqual(await kinds(k2.id), ['open', 'note', 'supersede']);
    assert.deepEqual(
      (await t.store.cases.list({ states: ['open'] })).map((c) => c.subject),
      ['campaign:C-1'],
    );
    assert.deepEqual(
      (await t.store.cases.list({ supersededBy: k1.id })).map((c) => c.id),
      [k2.id],
    );
  });

  it('the review service hides superseded cases unless asked; a successor lists what it took over', {
    skip,
  }, async () => {
    const svc = new ReviewService(t.store, { thresholds: { flag: 50, malicious: 85 }, defaultTlp: 'amber' });
    const k1 = (await t.store.cases.bySubject('campaign:C-1'))!;
    const k2 = (await t.store.cases.bySubject('campaign:C-2'))!;
    const ids = async (q: Parameters<ReviewService['list']>[0]) => (await svc.list(q)).items.map((c) => c.id);
    assert.deepEqual(await ids({}), [k1.id]);
    assert.deepEqual((await ids({ includeSuperseded: true })).sort(), [k1.id, k2.id].sort());
    assert.deepEqual(await ids({ state: 'superseded' }), [k2.id]);
    const item = (await svc.list({ state: 'superseded' })).items[0]!;
    assert.equal(item.supersededBy, k1.id);
    assert.deepEqual((await svc.get(k1.id)).supersedes, [k2.id]);
    assert.deepEqual((await svc.get(k2.id)).supersedes, []);
    // Superseded is terminal for an analyst: no claim, no decision; a reopen brings it back.
    await assert.rejects(svc.claim(k2.id, 'cli:ana'), /cannot claim a case that is superseded/);
    const back = await svc.reopen(k2.id, 'cli:ana', 'not the same operator');
    assert.deepEqual([back.state, back.supersededBy], ['open', null]);
    // The analyst asked for it to be judged on its own: the next pass, its subject still gone, tells
    // them once and leaves it open; a second pass says nothing more.
    const r = await runReviewStage(t.store, { now: later });
    assert.equal(r.superseded, 0);
    assert.equal((await t.store.cases.get(k2.id))?.state, 'open');
    assert.match(
      (await t.store.cases.history(k2.id)).at(-1)?.note ?? '',
      /The case stays open: cli:ana reopened it\.$/,
    );
    const told = (await t.store.cases.history(k2.id)).length;
    const again = await runReviewStage(t.store, { now: later });
    assert.equal(again.superseded, 0);
    assert.equal((await t.store.cases.history(k2.id)).length, told);
    // Decided in its own right, it leaves the queue like any case.
    await svc.claim(k2.id, 'cli:ana');
    await svc.decide(k2.id, { as: 'benign', note: 'a different tenant' }, 'cli:ana');
    assert.equal((await t.store.cases.get(k2.id))?.state, 'benign');
  });

  it('a dissolved campaign whose members no case holds is superseded by nothing', { skip }, async () => {
    const f1 = 'domain:faint-1.top' as EntityKey;
    const f2 = 'domain:faint-2.top' as EntityKey;
    // Flagged, but too weak for lone cases of their own.
    for (const k of [f1, f2]) await flag(t.store, k, 60);
    await t.store.campaigns.save([campaign('C-3', 85, [member(f1), member(f2)])]);
    await runReviewStage(t.store, { now });
    const k3 = (await t.store.cases.bySubject('campaign:C-3'))!;
    assert.equal(k3.state, 'open');
    await t.store.campaigns.dissolve(['C-3'], later().toISOString());
    const r = await runReviewStage(t.store, { now: later });
    assert.equal(r.superseded, 1);
    const gone = (await t.store.cases.get(k3.id))!;
    assert.deepEqual([gone.state, gone.supersededBy], ['superseded', null]);
    const ev = (await t.store.cases.history(k3.id)).at(-1)!;
    assert.match(ev.note ?? '', /campaign C-3 dissolved; no case holds its members/);
  });

  it('a lone case whose entity joined a campaign with a case is superseded; back alone, it reopens', {
    skip,
  }, async () => {
    await flag(t.store, lone, 95);
    await runReviewStage(t.store, { now });
    const kl = (await t.store.cases.bySubject(lone))!;
    assert.equal(kl.state, 'open');
    await t.store.campaigns.save([
      campaign('C-1', 92, [member(a), member(b), member(x), member(y), member(lone)]),
    ]);
    const r = await runReviewStage(t.store, { now: later });
    assert.equal(r.superseded, 1);
    const k1 = (await t.store.cases.bySubject('campaign:C-1'))!;
    const gone = (await t.store.cases.get(kl.id))!;
    assert.deepEqual([gone.state, gone.supersededBy], ['superseded', k1.id]);
    // The campaign dissolves: the entity is judged alone again and its case comes back.
    await t.store.campaigns.dissolve(['C-1'], later().toISOString());
    const back = await runReviewStage(t.store, { now: () => new Date('2026-03-04T00:00:00.000Z') });
    assert.equal(back.reopened >= 1, true);
    const kb = (await t.store.cases.get(kl.id))!;
    assert.deepEqual([kb.state, kb.supersededBy], ['open', null]);
    assert.deepEqual((await kinds(kl.id)).slice(-3), ['supersede', 'reopen', 'absorb']);
    // …and, its campaign gone, takes over the campaign's case (the lowest of the lone cases holding it).
    assert.equal((await t.store.cases.get(k1.id))?.supersededBy, kl.id);
  });

  it('never supersedes a decided case; an in-review one keeps its assignee and gets one note', {
    skip,
  }, async () => {
    const d = [1, 2, 3, 4].map((i) => `domain:dec-${i}.top` as EntityKey);
    for (const k of d) await flag(t.store, k, 60);
    await t.store.campaigns.save([
      campaign('C-5', 85, [member(d[0]!), member(d[1]!)]),
      campaign('C-6', 85, [member(d[2]!), member(d[3]!)]),
    ]);
    await runReviewStage(t.store, { now });
    const k5 = (await t.store.cases.bySubject('campaign:C-5'))!;
    const k6 = (await t.store.cases.bySubject('campaign:C-6'))!;
    const at = now().toISOString();
    await t.store.cases.update({ ...k5, state: 'benign', version: k5.version + 1 }, k5.version);
    await t.store.cases.update(
      { ...k6, state: 'in-review', assignee: 'cli:ana', version: k6.version + 1 },
      k6.version,
    );
    await t.store.campaigns.dissolve(['C-5', 'C-6'], at);
    const r = await runReviewStage(t.store, { now: later });
    assert.equal(r.superseded, 0);
    assert.equal((await t.store.cases.get(k5.id))?.state, 'benign');
    const held = (await t.store.cases.get(k6.id))!;
    assert.deepEqual([held.state, held.assignee], ['in-review', 'cli:ana']);
    const note = (await t.store.cases.history(k6.id)).at(-1)!;
    assert.deepEqual([note.kind, note.actor], ['note', 'system']);
    assert.match(note.note ?? '', /stays with cli:ana; released, it is superseded/);
    await runReviewStage(t.store, { now: later });
    assert.equal(
      (await t.store.cases.history(k6.id)).filter((e) => e.kind === 'note').length,
      1,
      'told once',
    );
    // Released back to the queue, the next pass supersedes it.
    const svc = new ReviewService(t.store, { thresholds: { flag: 50, malicious: 85 }, defaultTlp: 'amber' });
    await svc.release(k6.id, 'cli:ana');
    const r2 = await runReviewStage(t.store, { now: later });
    assert.equal(r2.superseded, 1);
    assert.deepEqual(
      [(await t.store.cases.get(k6.id))?.state, (await t.store.cases.get(k5.id))?.state],
      ['superseded', 'benign'],
    );
  });
});
