import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import { assess } from '../detect/score.js';
import { type EntityKey, isPrecursorError, type Signal } from '../domain/index.js';
import type { Store } from '../store/store.js';
import { verifyAuditChain } from './audit-anchoring.js';
import { ReviewService } from './review-service.js';
import { runReviewStage } from './review-stage.js';
import { applyWeights, proposeWeights, weightsText } from './tune-service.js';
import { learnedScoring } from './weights-source.js';

const T0 = '2026-03-01T10:00:00.000Z';
const THRESHOLDS = { flag: 50, malicious: 85 };

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
    await tx.assessments.write([assess(key, signals, T0, THRESHOLDS)]);
  });
}

// Every name is a strong lookalike (a lone case each); the kit page marks the phish, the CDN edge alias
// the honest customer. A human decides each case; tuning must learn that from the decisions.
const HOMOGLYPH = sig('domain.homoglyph', 95);
const KIT = sig('page.kit.match', 40);
const EDGE = sig('domain.edge-alias', 30);
const phish = (i: number) => `domain:phish-${i}.example` as EntityKey;
const honest = (i: number) => `domain:honest-${i}.example` as EntityKey;
const UNDECIDED_EDGE = 'domain:later-edge.example' as EntityKey;
const UNDECIDED_KIT = 'domain:later-kit.example' as EntityKey;

describeEachStore('tune from decided cases', (t, skip) => {
  let clock = Date.parse(T0);
  const now = () => {
    clock += 60_000;
    return new Date(clock);
  };
  const service = () =>
    new ReviewService(t.store, {
      thresholds: THRESHOLDS,
      provider: 'provider',
      notify: [],
      defaultTlp: 'amber',
      now,
    });

  it('learns from decisions, changes nothing in a dry run, applies audited and re-scored', {
    skip,
  }, async () => {
    for (let i = 0; i < 10; i++) {
      await seed(t.store, phish(i), [HOMOGLYPH, KIT]);
      await seed(t.store, honest(i), [HOMOGLYPH, EDGE]);
    }
    const stage = await runReviewStage(t.store, { now });
    assert.equal(stage.opened, 20);
    // Decided alternately, so both kinds are in the training and the held-out decisions.
    for (let i = 0; i < 10; i++)
      for (const [key, as] of [
        [phish(i), 'malicious'],
        [honest(i), 'benign'],
      ] as const) {
        const c = (await t.store.cases.bySubject(key))!;
        await service().claim(c.id, 'ana');
        await service().decide(c.id, { as, note: 'checked' }, 'ana');
      }
    // Arrived after the decisions: an honest-looking edge alias and a kit page, both flagged today.
    await seed(t.store, UNDECIDED_EDGE, [HOMOGLYPH, EDGE]);
    await seed(t.store, UNDECIDED_KIT, [HOMOGLYPH, KIT]);
    const edgeBefore = (await t.store.assessments.get(UNDECIDED_EDGE))!;
    assert.equal(edgeBefore.flagged, true);

    const { report, file } = await proposeWeights(t.store, THRESHOLDS, { at: '2026-03-02T00:00:00.000Z' });
    assert.deepEqual(
      [report.labels.cases, report.labels.entities, report.labels.malicious, report.labels.benign],
      [20, 20, 10, 10],
    );
    assert.ok(
      !Object.keys(file.signals).some((id) => id.startsWith('review.')),
      'decisions are not features',
    );
    assert.ok(file.signals['page.kit.match']!.coefficient > 1, 'the kit page marks the phish');
    assert.ok(file.signals['domain.edge-alias']!.coefficient < -1, 'the edge alias marks the honest');
    assert.ok(file.signals['domain.edge-alias']!.weight < 0);
    assert.equal(report.file.evaluation.heldOutCases, 5, 'the most recent quarter, not split inside a case');
    assert.equal(report.heldOut.before.precision, 0.4, 'today every decided name flags: 2 of 5');
    assert.equal(report.heldOut.after.precision, 1);
    assert.equal(report.heldOut.after.recall, 1);
    assert.equal(report.cases.lost.benign.length, 10, 'the benign cases no longer flag');
    assert.equal(report.cases.lost.malicious.length, 0);
    assert.equal(report.store.lost >= 1, true, 'the undecided edge alias would stop flagging');
    assert.ok(report.store.lostSample.includes(UNDECIDED_EDGE));
    assert.equal((await t.store.assessments.get(UNDECIDED_EDGE))!.score, edgeBefore.score, 'dry run');
    assert.equal(await t.store.cases.activePolicy('weights'), undefined);

    const applied = await applyWeights(t.store, THRESHOLDS, file, 'ana', { at: '2026-03-02T00:00:00.000Z' });
    assert.equal(applied.revision, 1);
    const edgeAfter = (await t.store.assessments.get(UNDECIDED_EDGE))!;
    assert.equal(edgeAfter.flagged, false, 're-scored under the learned weights');
    assert.equal(
      edgeAfter.contributions.find((c) => c.id === 'domain.edge-alias')!.weight,
      file.signals['domain.edge-alias']!.weight,
    );
    assert.equal((await t.store.assessments.get(UNDECIDED_KIT))!.flagged, true);
    const learned = await learnedScoring(t.store);
    assert.equal(learned?.flag, file.threshold);
    const audit = await t.store.audit.list();
    const entry = audit.find((e) => e.action === 'weights.apply')!;
    assert.equal(entry.actor, 'ana');
    assert.equal((entry.detail as { before: { revision: number } }).before.revision, 0);
    assert.equal((await verifyAuditChain(t.store)).ok, true);

    // Tuning again starts from the applied file and numbers the next one past it.
    const again = await proposeWeights(t.store, THRESHOLDS);
    assert.equal(again.report.current.source, 'store');
    assert.equal(again.file.revision, 2);
    const fromText = await applyWeights(
      t.store,
      THRESHOLDS,
      { text: weightsText(file), source: 'w.json' },
      'bob',
    );
    assert.equal(fromText.revision, 2, 'a reviewed file is numbered past the live one');
  });

  it('refuses a bad labels line and a weights file that re-weighs a decision', { skip }, async () => {
    await assert.rejects(
      proposeWeights(t.store, THRESHOLDS, {
        labels: { text: '{"entity":"domain:x.example","label":"bad"}\n', source: 'l.jsonl' },
      }),
      (e: unknown) => isPrecursorError(e) && e.code === 'VALIDATION_FAILED' && /l\.jsonl:1/.test(e.message),
    );
    const file = (await proposeWeights(t.store, THRESHOLDS)).file;
    const bad = {
      ...file,
      signals: { ...file.signals, 'review.benign': { weight: 1, coefficient: 0, support: 3, malicious: 0 } },
    };
    await assert.rejects(
      applyWeights(t.store, THRESHOLDS, { text: JSON.stringify(bad), source: 'w.json' }, 'ana'),
      (e: unknown) => isPrecursorError(e) && e.code === 'CONFIG_INVALID',
    );
    const extra = { ...file, colour: 'blue' };
    await assert.rejects(
      applyWeights(t.store, THRESHOLDS, { text: JSON.stringify(extra), source: 'w.json' }, 'ana'),
      (e: unknown) => isPrecursorError(e) && e.code === 'CONFIG_INVALID',
    );
  });
});
