import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sqliteFactory, type TestStore } from '../../test/support/stores.js';
import { AT, judge, link, seedWorld } from '../../test/support/campaign-world.js';
import type { EntityKey, Extraction, Observation } from '../domain/index.js';
import { CORRELATE_DETECTOR, type DeferredGraphView, runCorrelateStage } from './correlate-stage.js';
import { loadSharedInfrastructure } from './shared-infrastructure.js';

const shared = loadSharedInfrastructure();

describe('correlate stage', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
    await seedWorld(t.store);
  });
  after(async () => t.cleanup());

  it('makes one campaign of the operation, without the CDN neighbours or the office', async () => {
    const s = await runCorrelateStage(t.store, { shared });
    assert.equal(s.campaigns, 1, JSON.stringify(s));
    const [c] = await t.store.campaigns.list();
    assert.ok(c);
    const d = await t.store.campaigns.get(c.id);
    const keys = new Set(d!.members.map((m) => m.key));
    for (const k of [
      'domain:o365-clloud-docss.live',
      'domain:view-hub.live',
      'domain:seccure.site',
      'domain:faxdocs.org',
      'account:cloud-a/op1',
      'account:cloud-b/op2',
      'payment:fp:card1',
    ])
      assert.ok(keys.has(k as EntityKey), `${k} in the campaign`);
    for (const k of [
      'domain:bakery-example.com',
      'ip:104.16.1.1',
      'account:cloud-a/acme-1',
      'ip:203.0.113.7',
    ])
      assert.ok(!keys.has(k as EntityKey), `${k} not in the campaign`);
    assert.equal(d!.counts.account, 2);
    assert.equal(d!.topPivots[0]?.strength, 'strong');
    assert.match(d!.explanation, /6 names, 2 accounts/);
    assert.deepEqual(
      d!.timeline.map((e) => e.kind),
      ['created', 'flagged'],
    );
    assert.ok(d!.flagged);
  });

  it('raises the tied lure-only name with a readable reason and leaves the office burst alone', async () => {
    const [c] = await t.store.campaigns.list();
    const lure = await t.store.assessments.get('domain:view-hub.live');
    assert.ok(lure?.flagged, `view-hub.live flagged (score ${lure?.score})`);
    const why = lure!.contributions.find((x) => x.id === 'campaign.member');
    assert.ok(why);
    assert.match(why.detail, new RegExp(`campaign ${c!.id}`));
    assert.match(why.detail, /shares /);
    // The office accounts get no evidence from the operation, and their flags — one linked burst,
    // nothing else — are held under the threshold with a reason.
    const staff = await t.store.assessments.get('account:cloud-a/acme-3');
    assert.ok(!staff!.contributions.some((x) => x.id === 'campaign.member'));
    assert.equal(staff?.flagged, false);
    assert.equal(staff?.score, 49);
    const quiet = staff!.contributions.find((x) => x.id === 'campaign.uncorroborated');
    assert.match(quiet?.detail ?? '', /tenant signals alone \(tenant\.velocity\)/);
    // By default any lone tenant-only flag waits for corroboration; configured, a strong one stands.
    await t.store.entities.upsert([
      { key: 'account:cloud-b/loner', type: 'account', display: 'cloud-b/loner', seenAt: AT },
    ]);
    await judge(t.store, 'account:cloud-b/loner', [['tenant.velocity', 85]]);
    await runCorrelateStage(t.store, { shared });
    assert.equal((await t.store.assessments.get('account:cloud-b/loner'))?.flagged, false);
    await runCorrelateStage(t.store, { shared, quiet: { sources: ['tenant'], below: 80 } });
    assert.equal((await t.store.assessments.get('account:cloud-b/loner'))?.flagged, true);
    assert.ok(!(await t.store.assessments.get('domain:bakery-example.com')));
  });

  it('keeps the campaign id when it is run again and when it grows', async () => {
    const [before] = await t.store.campaigns.list();
    const again = await runCorrelateStage(t.store, { shared });
    assert.equal(again.created, 0);
    const [same] = await t.store.campaigns.list();
    assert.equal(same!.id, before!.id);
    // Idempotent: the same evidence flows again, no duplicate signals, the same score.
    const lure = await t.store.assessments.get('domain:view-hub.live');
    assert.equal(lure!.contributions.filter((x) => x.id === 'campaign.member').length, 1);

    await link(
      t.store,
      'cert:sha256:cccc',
      'domain:scan-3fa9c1-now.top',
      'cert-name',
      0.5,
      '2026-03-03T00:00:00.000Z',
    );
    await link(
      t.store,
      'cert:sha256:cccc',
      'domain:seccure.site',
      'cert-name',
      0.5,
      '2026-03-03T00:00:00.000Z',
    );
    await runCorrelateStage(t.store, { shared });
    const [grown] = await t.store.campaigns.list();
    assert.equal(grown!.id, before!.id);
    const d = await t.store.campaigns.get(grown!.id);
    assert.ok(d!.members.some((m) => m.key === 'domain:scan-3fa9c1-now.top'));
    assert.equal(d!.timeline.at(-1)?.kind, 'grew');
    assert.deepEqual(
      d!.growth.map((p) => p.day),
      ['2026-03-01', '2026-03-03'],
    );
  });
});

describe('correlate stage: a lone burst', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
  });
  after(async () => t.cleanup());

  it('is no campaign and passes nothing on', async () => {
    // Five accounts linked by a shared device and card, all flagged by the same burst rule only.
    for (let i = 0; i < 5; i++) {
      await link(t.store, `account:cloud-a/b${i}`, 'device:dev1', 'same-device', 0.8);
      await link(t.store, `account:cloud-a/b${i}`, 'payment:fp:c1', 'same-payment', 0.9);
      await judge(t.store, `account:cloud-a/b${i}`, i < 4 ? [['tenant.velocity', 55]] : []);
    }
    const s = await runCorrelateStage(t.store, { shared });
    assert.equal(s.campaigns, 0);
    assert.equal(s.signals, 0);
    assert.equal(s.quieted, 4);
    for (const k of await t.store.assessments.keysWithSignalsFrom(CORRELATE_DETECTOR)) {
      const a = await t.store.assessments.get(k);
      assert.equal(a?.flagged, false, k);
      assert.deepEqual(
        a?.contributions.filter((c) => c.detector === CORRELATE_DETECTOR).map((c) => c.id),
        ['campaign.uncorroborated'],
      );
    }
    // With quieting off, the burst keeps its own flags and nothing else changes.
    await runCorrelateStage(t.store, { shared, quiet: { sources: [], below: 80 } });
    assert.deepEqual(await t.store.assessments.keysWithSignalsFrom(CORRELATE_DETECTOR), []);
    assert.equal((await t.store.assessments.get('account:cloud-a/b0'))?.flagged, true);
  });
});

describe('correlate stage: benign review decisions', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
    await seedWorld(t.store);
  });
  after(async () => t.cleanup());

  it('no longer ties through the pivots a benign decision suppressed, and lends its members no evidence', async () => {
    await runCorrelateStage(t.store, { shared });
    const [c] = await t.store.campaigns.list();
    const d = await t.store.campaigns.get(c!.id);
    assert.ok(d);
    const at = '2026-03-05T00:00:00.000Z';
    const base = { caseId: 'K-test', at, actor: 'key:1', liftedAt: null };
    // What feedback.ts writes for a benign decision: every member (factor 0) and every pivot that tied
    // two or more of them (factor 0.1).
    await t.store.cases.suppress([
      ...d.members.map((m) => ({
        ...base,
        key: m.key,
        kind: 'entity' as const,
        factor: 0,
        reason: 'benign',
      })),
      ...d.pivots
        .filter((p) => p.members >= 2)
        .map((p) => ({
          ...base,
          key: `pivot:${p.key}`,
          kind: 'pivot' as const,
          factor: 0.1,
          reason: 'benign',
        })),
    ]);
    const s = await runCorrelateStage(t.store, { shared });
    assert.equal(s.campaigns, 0, JSON.stringify(s));
    assert.equal(s.dissolved, 1);
    const lure = await t.store.assessments.get('domain:view-hub.live');
    assert.ok(!lure!.contributions.some((x) => x.id === 'campaign.member'));
    // Lifted (the decision reversed), the next recluster ties them again under the same id.
    await t.store.cases.liftSuppressions('K-test', at);
    const again = await runCorrelateStage(t.store, { shared });
    assert.equal(again.campaigns, 1);
    assert.equal((await t.store.campaigns.list())[0]?.id, c!.id);
  });
});

describe('correlate stage: certificates the detect stage left unmaterialised', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.open();
    await seedWorld(t.store);
  });
  after(async () => t.cleanup());

  it('reads a deferred certificate that names a campaign member, so its other host joins; one naming only strangers adds nothing', async () => {
    const cert = (i: number, names: string[]): Observation => ({
      source: 'certstream:test',
      kind: 'certificate',
      observedAt: AT,
      dedupeKey: `deferred|${i}`,
      payload: { sha256: `${i}`.repeat(64), names, issuer: 'Test CA', notBefore: AT },
    });
    await t.store.observations.writeBatch({
      source: 'certstream:test',
      observations: [
        cert(7, ['view-hub.live', 'mail.view-hub.live']),
        cert(8, ['quiet.example', 'www.quiet.example']),
      ],
      deadLetters: [],
    });
    // What extraction states of a certificate: the certificate names each of its hosts.
    const extract = (o: Observation): Extraction => {
      const p = o.payload as { sha256: string; names: string[] };
      const key = `cert:sha256:${p.sha256}` as EntityKey;
      return {
        entities: [
          { key, type: 'cert', display: p.sha256 },
          ...p.names.map((n) => ({ key: `domain:${n}` as EntityKey, type: 'domain' as const, display: n })),
        ],
        links: p.names.map((n) => ({
          from: key,
          to: `domain:${n}` as EntityKey,
          pivot: 'cert-name' as const,
          strength: 0.6,
        })),
      };
    };
    await runCorrelateStage(t.store, { shared, deferred: { kinds: ['certificate'], extract } });
    const [c] = await t.store.campaigns.list();
    const keys = new Set((await t.store.campaigns.get(c!.id))!.members.map((m) => m.key));
    assert.ok(
      keys.has('domain:mail.view-hub.live' as EntityKey),
      "the member's mail host joins through its certificate",
    );
    assert.ok(keys.has(`cert:sha256:${'7'.repeat(64)}` as EntityKey));
    assert.ok(!keys.has('domain:www.quiet.example' as EntityKey));

    // With a first test on the payload's fields (`prefilter`), the same campaign; the test is asked of
    // every deferred certificate and decides which are read whole.
    const members = async () => {
      const [c] = await t.store.campaigns.list();
      return (await t.store.campaigns.get(c!.id))!.members.map((m) => m.key).sort();
    };
    const before = await members();
    const asked: unknown[] = [];
    const prefilter = (pass: boolean) => ({
      fields: ['sha256', 'names'],
      may: (f: Readonly<Record<string, unknown>>, g: DeferredGraphView) => {
        asked.push(f.sha256);
        return pass && (f.names as string[]).some((n) => g.hasName(n)) && !g.has(`cert:sha256:${f.sha256}`);
      },
    });
    await runCorrelateStage(t.store, {
      shared,
      deferred: { kinds: ['certificate'], extract, prefilter: prefilter(true) },
    });
    assert.deepEqual(await members(), before);
    assert.deepEqual(asked, ['7'.repeat(64), '8'.repeat(64)]);
    await runCorrelateStage(t.store, {
      shared,
      deferred: { kinds: ['certificate'], extract, prefilter: prefilter(false) },
    });
    assert.ok(
      !(await members()).includes('domain:mail.view-hub.live' as EntityKey),
      'a certificate the first test turns down is not read',
    );
  });
});
