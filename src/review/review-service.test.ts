import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { assess } from '../detect/score.js';
import { type EntityKey, isPrecursorError, type Signal } from '../domain/index.js';
import type { Aggregates, Store } from '../store/store.js';
import { verifyAuditChain } from './audit-anchoring.js';
import type { IntelPublisher, PublishIntel, RevokeIntel } from './intel-port.js';
import { ReviewService } from './review-service.js';
import { runReviewStage } from './review-stage.js';

const T0 = '2026-03-01T10:00:00.000Z';
const KEY = 'domain:rnicrosoft-login.com' as EntityKey;
const OFFICE = 'ip:192.0.2.7' as EntityKey;

const sig = (id: string, weight: number): Signal => ({
  id,
  detector: id.split('.')[0]!,
  weight,
  detail: `${id} fired`,
  evidence: [],
});

async function seed(store: Store, key: EntityKey, signals: Signal[]): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.entities.upsert([{ key, type: 'domain', display: key.slice(7), seenAt: T0 }]);
    await tx.assessments.replaceSignals([
      { entity: key, detectors: [...new Set(signals.map((s) => s.detector))], signals, observedAt: T0 },
    ]);
    await tx.assessments.write([assess(key, signals, T0)]);
  });
}

class RecordingIntel implements IntelPublisher {
  published: PublishIntel[] = [];
  revoked: RevokeIntel[] = [];
  fail = false;
  async publish(_tx: Aggregates, intel: PublishIntel) {
    if (this.fail) throw new Error('share store down');
    this.published.push(intel);
  }
  async revoke(_tx: Aggregates, input: RevokeIntel) {
    this.revoked.push(input);
  }
}

const illegal = (e: unknown) => isPrecursorError(e) && e.code === 'CASE_ILLEGAL_TRANSITION';

describeEachStore('review service', (t, skip) => {
  const intel = new RecordingIntel();
  let clock = Date.parse(T0);
  const now = () => {
    clock += 60_000;
    return new Date(clock);
  };
  const service = () =>
    new ReviewService(t.store, {
      thresholds: { flag: 50, malicious: 85 },
      provider: 'provider',
      notify: ['soc'],
      defaultTlp: 'amber',
      intel,
      now,
    });
  let caseId = '';

  it('opens one case per subject and attaches new evidence to it', { skip }, async () => {
    await seed(t.store, KEY, [sig('domain.homoglyph', 95)]);
    await t.store.transaction((tx) =>
      tx.entities.upsertLinks([
        { from: KEY, to: OFFICE, pivot: 'resolves-to', strength: 0.5, seenAt: T0, provenance: 'test' },
      ]),
    );
    const first = await runReviewStage(t.store, { now });
    assert.equal(first.opened, 1);
    const again = await runReviewStage(t.store, { now });
    assert.deepEqual([again.opened, again.attached], [0, 0]);
    const { items } = await service().list();
    assert.equal(items.length, 1);
    caseId = items[0]!.id;
    assert.match(caseId, /^K-[0-9a-f]{10}$/);
    assert.equal(items[0]!.subject, KEY);
    assert.equal(items[0]!.state, 'open');
    assert.equal(items[0]!.priority, 3, 'lone-strong: medium');
    await seed(t.store, KEY, [sig('domain.homoglyph', 95), sig('page.capture.password', 60)]);
    const more = await runReviewStage(t.store, { now });
    assert.equal(more.attached, 1);
    const c = await service().get(caseId);
    assert.deepEqual(
      c.history.map((h) => h.kind),
      ['open', 'evidence'],
    );
    assert.deepEqual(c.members[0]?.signals.map((s) => s.id).sort(), [
      'domain.homoglyph',
      'page.capture.password',
    ]);
    assert.ok(c.rules.some((r) => r.id === 'lone-strong' && r.matched));
    assert.equal((await service().list()).items.length, 1, 'still one case');
  });

  it('refuses illegal transitions with CASE_ILLEGAL_TRANSITION and unknown ids with CASE_NOT_FOUND', {
    skip,
  }, async () => {
    await assert.rejects(service().decide(caseId, { as: 'benign', note: 'x' }, 'ana'), illegal);
    await assert.rejects(
      service().get('K-0000000000'),
      (e: unknown) => isPrecursorError(e) && e.code === 'CASE_NOT_FOUND',
    );
    const claimed = await service().claim(caseId, 'ana');
    assert.equal(claimed.state, 'in-review');
    assert.equal(claimed.assignee, 'ana');
    await assert.rejects(service().claim(caseId, 'bob'), illegal);
    await assert.rejects(service().decide(caseId, { as: 'benign', note: 'x' }, 'bob'), illegal);
  });

  it('rolls the whole decision back when one of its writes fails', { skip }, async () => {
    const head = await t.store.audit.head();
    intel.fail = true;
    await assert.rejects(
      service().decide(caseId, { as: 'malicious', note: 'phish' }, 'ana'),
      /share store down/,
    );
    intel.fail = false;
    const c = await service().get(caseId);
    assert.equal(c.state, 'in-review');
    assert.equal(c.decision, null);
    assert.deepEqual(await t.store.audit.head(), head);
    assert.deepEqual(await t.store.outbox.list({ caseId }), []);
    assert.equal(
      (await t.store.assessments.signalsOf([KEY])).get(KEY)?.some((s) => s.detector === 'review'),
      false,
    );
  });

  it('decides benign: case, history, audit, outbox and feedback in one go', { skip }, async () => {
    const r = await service().decide(caseId, { as: 'benign', note: 'a registrar test name' }, 'ana');
    assert.equal(r.case.state, 'benign');
    assert.deepEqual(r.case.decision && { ...r.case.decision, at: '' }, {
      as: 'benign',
      note: 'a registrar test name',
      actor: 'ana',
      at: '',
      tlp: 'amber',
    });
    // Notify only: the case was not held, so there is nothing for the provider to release.
    const rows = await t.store.outbox.list({ caseId });
    assert.deepEqual(
      rows.map((a) => [a.kind, a.target]),
      [['notify', 'soc']],
    );
    assert.deepEqual(
      r.actions,
      rows.map((a) => a.id),
    );
    const a = await t.store.assessments.get(KEY);
    assert.equal(a?.flagged, false, 'the benign decision down-weights the member');
    assert.ok(a?.contributions.some((x) => x.id === 'review.benign'));
    const supp = await t.store.cases.suppressions([KEY]);
    assert.equal(supp.length, 1);
    const entries = await t.store.audit.list({ subject: `case:${caseId}` });
    assert.deepEqual(
      entries.map((e) => e.action),
      ['case.claim', 'case.decide'],
    );
    assert.deepEqual(entries[1]?.detail.before, { state: 'in-review', decision: null });
    assert.equal(r.audit.seq, (await t.store.audit.head())?.seq);
    assert.equal((await verifyAuditChain(t.store)).ok, true);
    await assert.rejects(service().decide(caseId, { as: 'malicious', note: 'again' }, 'ana'), illegal);
    // Not flagged any more: the stage leaves the subject alone.
    const after = await runReviewStage(t.store, { now });
    assert.deepEqual([after.opened, after.attached, after.reopened], [0, 0, 0]);
  });

  it('reverses: malicious publishes, reopening and deciding benign revokes', { skip }, async () => {
    // A sibling behind the same office address, not flagged on its own evidence.
    const SIBLING = 'domain:rnicrosoft-support.com' as EntityKey;
    await seed(t.store, SIBLING, [sig('domain.combosquat', 40)]);
    await t.store.transaction((tx) =>
      tx.entities.upsertLinks([
        { from: SIBLING, to: OFFICE, pivot: 'resolves-to', strength: 0.5, seenAt: T0, provenance: 'test' },
      ]),
    );
    await service().reopen(caseId, 'ana', 'second look');
    await service().claim(caseId, 'bob');
    const m = await service().decide(caseId, { as: 'malicious', note: 'kit found', tlp: 'green' }, 'bob');
    assert.equal(m.case.state, 'confirmed-malicious');
    assert.equal(m.feedback.linked, 1, 'the sibling tied through the office address is re-scored');
    const sibling = (await t.store.assessments.get(SIBLING))!;
    assert.equal(sibling.contributions.find((c) => c.id === 'review.linked')?.weight, 20);
    assert.equal(sibling.flagged, true, '40 and a tie of 20 make 52');
    assert.deepEqual(
      intel.published.map((p) => [p.caseId, p.entityKeys, p.tlp, p.actor]),
      [[caseId, [KEY], 'green', 'bob']],
    );
    assert.equal(m.feedback.lifted, 1, 'the benign suppressions are lifted');
    assert.deepEqual(await t.store.cases.suppressions([KEY]), []);
    assert.equal((await t.store.assessments.get(KEY))?.flagged, true);
    assert.deepEqual(
      (await t.store.outbox.list({ caseId })).map((a) => a.kind),
      ['notify', 'block', 'notify'],
    );
    await service().reopen(caseId, 'bob', 'customer proved ownership');
    await service().claim(caseId, 'bob');
    const b = await service().decide(caseId, { as: 'benign', note: 'owned by the brand' }, 'bob');
    assert.equal(b.feedback.revoked, true);
    const withdrawn = (await t.store.assessments.get(SIBLING))!;
    assert.deepEqual([withdrawn.score, withdrawn.flagged], [40, false], 'the reversal withdraws the tie');
    assert.deepEqual(
      intel.revoked.map((r) => r.caseId),
      [caseId],
    );
    const v = await verifyAuditChain(t.store);
    assert.equal(v.ok, true);
    assert.equal(v.count, 8, 'claim, decide, reopen, claim, decide, reopen, claim, decide');
  });
});
