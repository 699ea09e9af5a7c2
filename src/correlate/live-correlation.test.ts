import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { sqliteFactory, type TestStore } from '../../test/support/stores.js';
import { AT, judge, link } from '../../test/support/campaign-world.js';
import { DEFAULT_THRESHOLDS } from '../detect/score.js';
import { createExtractor } from '../ingest/extract.js';
import type { IngestBatch } from '../store/observations.js';
import { DEFAULT_CLUSTER_CONFIG } from './cluster.js';
import { DEFAULT_QUIET, type FullRunState, runCorrelateStage } from './correlate-stage.js';
import { DEFAULT_EVIDENCE_CONFIG } from './evidence-flow.js';
import { LiveCorrelation } from './live-correlation.js';
import { DEFAULT_PIVOTS } from './pivots.js';
import { loadSharedInfrastructure } from './shared-infrastructure.js';

type NewObservation = IngestBatch['observations'][number];

const shared = loadSharedInfrastructure();
const options = {
  pivots: DEFAULT_PIVOTS,
  thresholds: DEFAULT_THRESHOLDS,
  shared,
  cluster: DEFAULT_CLUSTER_CONFIG,
  splitAbove: 2000,
  evidence: DEFAULT_EVIDENCE_CONFIG,
  minMembers: 2,
  quiet: DEFAULT_QUIET,
  extract: createExtractor(),
  walletEveryMs: 0,
};

/** A full run, and the incremental state it hands over. */
async function fullRun(t: TestStore): Promise<LiveCorrelation> {
  let state: FullRunState | undefined;
  await runCorrelateStage(t.store, { shared, onState: (s) => (state = s) });
  assert.ok(state);
  return LiveCorrelation.from(state, options);
}

/** Writes observations and takes them in incrementally. */
async function arrive(t: TestStore, live: LiveCorrelation, observations: NewObservation[]) {
  await t.store.observations.writeBatch({ source: 'test', observations, deadLetters: [] });
  const last = await t.store.observations.after(0, 10_000);
  return live.update(t.store, last[last.length - 1]!.seq);
}

const cert = (n: number, names: string[]): NewObservation => ({
  source: 'test',
  kind: 'certificate',
  observedAt: AT,
  dedupeKey: `cert${n}`,
  payload: { sha256: String(n).repeat(64).slice(0, 64), names },
});

async function members(t: TestStore): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of await t.store.campaigns.memberSets()) for (const m of c.members) out.add(m);
  return out;
}

describe('incremental correlation: relearning', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await sqliteFactory.open();
  });
  after(async () => t.cleanup());

  it('learns a template when a campaign grows, and ties a name by it in conjunction', async () => {
    // A campaign of two flagged names of one shape on one certificate: two are too few to learn it.
    await link(t.store, 'cert:sha256:c1', 'domain:login-3fa9c2-portal.top', 'cert-name');
    await link(t.store, 'cert:sha256:c1', 'domain:verify-9bd0e1-portal.top', 'cert-name');
    await judge(t.store, 'domain:login-3fa9c2-portal.top', [['domain.lure-vocabulary', 60]]);
    await judge(t.store, 'domain:verify-9bd0e1-portal.top', [['page.kit', 60]]);
    // A name of the same shape shares a hosting address with the campaign: one medium value, no tie.
    await link(t.store, 'domain:login-3fa9c2-portal.top', 'ip:198.51.100.9', 'resolves-to', 0.5);
    await link(t.store, 'domain:secure-77ac01-login.top', 'ip:198.51.100.9', 'resolves-to', 0.5);
    const live = await fullRun(t);
    assert.ok(!(await members(t)).has('domain:secure-77ac01-login.top'));

    // A third flagged name of the shape joins by certificate: the template is learned in the update,
    // and with the shared address it ties the fourth name.
    await judge(t.store, 'domain:docs-0f0f0a-view.top', [['domain.lure-vocabulary', 60]]);
    const s = await arrive(t, live, [cert(2, ['docs-0f0f0a-view.top', 'login-3fa9c2-portal.top'])]);
    assert.equal(s.stale, undefined, s.stale);
    assert.equal(s.templates, 1, JSON.stringify(s));
    const now = await members(t);
    assert.ok(now.has('domain:docs-0f0f0a-view.top'));
    assert.ok(now.has('domain:secure-77ac01-login.top'), [...now].join());

    // What a full recluster of everything finds (the certificate's links stored, as detect stores them).
    for (const l of options.extract(cert(2, ['docs-0f0f0a-view.top', 'login-3fa9c2-portal.top'])).links)
      await link(t.store, l.from, l.to, l.pivot, l.strength);
    await runCorrelateStage(t.store, { shared });
    assert.deepEqual([...(await members(t))].filter((k) => !k.startsWith('template:')).sort(), [
      ...[...now].filter((k) => !k.startsWith('template:')).sort(),
    ]);
  });

  it('clusters wallets from arriving transactions and ties the pages that name them', async () => {
    const w1 = `0x${'1'.repeat(40)}`;
    const w2 = `0x${'2'.repeat(40)}`;
    await link(t.store, 'domain:pay-check-1a2b3c.top', 'snapshot:sha256:p1', 'serves');
    await link(t.store, 'snapshot:sha256:p1', `wallet:ethereum:${w1}`, 'same-wallet', 0.9);
    await link(t.store, 'domain:wallet-verify.live', 'snapshot:sha256:p2', 'serves');
    await link(t.store, 'snapshot:sha256:p2', `wallet:ethereum:${w2}`, 'same-wallet', 0.9);
    await judge(t.store, 'domain:pay-check-1a2b3c.top', [['domain.lure-vocabulary', 60]]);
    await judge(t.store, 'domain:wallet-verify.live', [['page.kit', 60]]);
    const live = await fullRun(t);
    assert.equal((await members(t)).size, 0);
    const tx = (n: number, from: string, to: string): NewObservation => ({
      source: 'test',
      kind: 'transaction',
      observedAt: AT,
      dedupeKey: `tx${n}`,
      payload: {
        chain: 'ethereum',
        txHash: `0x${String(n).padStart(64, '0')}`,
        asset: 'ETH',
        from: [{ address: from, amount: '1' }],
        to: [{ address: to, amount: '1' }],
      },
    });
    const s = await arrive(t, live, [tx(1, w1, w2), tx(2, w2, w1)]);
    assert.equal(s.created, 1, JSON.stringify(s));
    assert.equal(s.walletTies, 2);
    const now = await members(t);
    assert.ok(now.has('domain:pay-check-1a2b3c.top') && now.has('domain:wallet-verify.live'));
  });

  it("ties a site's hosts: a name whose only tie is a host of it serving the operation's page", async () => {
    // Two flagged pages post to one collector; one is served by `login.` under a name tied to nothing.
    await link(t.store, 'domain:review-safe.top', 'snapshot:sha256:p1', 'serves');
    await link(t.store, 'domain:login.files-cf76a8-now.top', 'snapshot:sha256:p2', 'serves');
    for (const p of ['p1', 'p2'])
      await link(t.store, `snapshot:sha256:${p}`, 'url:https://a41c0e-collect.online/in', 'exfil-to', 0.9);
    await link(t.store, 'cert:sha256:c9', 'domain:files-cf76a8-now.top', 'cert-name');
    await judge(t.store, 'domain:review-safe.top', [['domain.lure-vocabulary', 60]]);
    await judge(t.store, 'domain:login.files-cf76a8-now.top', [['page.kit', 60]]);
    const live = await fullRun(t);
    const first = await members(t);
    assert.ok(first.has('domain:files-cf76a8-now.top'), [...first].join());
    assert.ok(first.has('cert:sha256:c9'));
    // A new host of the site arrives on a certificate of its own: it joins the campaign.
    const s = await arrive(t, live, [cert(3, ['www.files-cf76a8-now.top'])]);
    assert.equal(s.stale, undefined, s.stale);
    assert.ok((await members(t)).has('domain:www.files-cf76a8-now.top'));
  });
});
