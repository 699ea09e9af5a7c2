/**
 * The detect stage's deferred kinds (docs/model.md, "What the graph holds"): a certificate none of
 * whose names matters stays an observation only; one with a name whose signals score or that `keep`
 * asks for is materialised with all its names — decided by the observation alone, so the outcome
 * does not depend on how the observations are sliced.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey, Observation, Signal } from '../domain/index.js';
import { extract } from '../ingest/extract.js';
import type { Store } from '../store/store.js';
import type { SignalDetector } from './detector.js';
import { holdObservations, runDetectStage } from './detect-stage.js';
import { DetectorRegistry } from './registry.js';
import { countObservationReads } from '../../test/support/observation-reads.js';
import { countCommits, sameGroupedOrNot } from '../../test/support/grouped-commits.js';

/**
 * Names holding `login` draw a signal; names holding `brand` draw one that only says they are honest
 * (a brand's own domain: a negative weight, score 0); nothing else draws any.
 */
const loginDetector: SignalDetector = {
  id: 'domain',
  entityTypes: ['domain'],
  detect: (subject) => [
    ...(subject.key.includes('login')
      ? [{ id: 'domain.login', detector: 'domain', weight: 40, detail: 'login', evidence: [] }]
      : []),
    ...(subject.key.includes('brand')
      ? [{ id: 'domain.brand-owned', detector: 'domain', weight: -100, detail: 'owned', evidence: [] }]
      : []),
  ],
};
const registry = new DetectorRegistry([loginDetector]);

const cert = (i: number, names: string[]): Observation => ({
  source: 'certstream:test',
  kind: 'certificate',
  observedAt: `2026-03-01T10:00:0${i}.000Z`,
  dedupeKey: `cert|${i}`,
  payload: { sha256: `${i}`.repeat(64), names, issuer: 'Test CA', notBefore: '2026-03-01T00:00:00.000Z' },
});

const feed: Observation[] = [
  cert(1, ['quiet.com', 'calm.org']), // nothing matters: deferred
  cert(2, ['secure-login.top', 'shared.net']), // a signal: all its names materialised
  cert(3, ['shared.net', 'friend.net']), // shares a quiet name with a materialised one: deferred
  cert(4, ['kept.example', 'other.org']), // `keep` asks for kept.example
  cert(5, ['calm.org', 'still-quiet.io']), // calm.org was only on a deferred certificate: deferred
  cert(6, ['brand.com', 'www.brand.com']), // signals that score nothing: deferred
  cert(7, ['acme-login.top', 'brand.net']), // a name that scores, beside one that does not: materialised
];

async function ingest(store: Store, batchSize: number) {
  await store.observations.writeBatch({ source: 'certstream:test', observations: feed, deadLetters: [] });
  return runDetectStage(store, registry, {
    extract,
    batchSize,
    deferKinds: new Set(['certificate']),
    keep: (k: EntityKey) => k === 'domain:kept.example',
  });
}

const keysOf = async (store: Store) =>
  (await store.entities.list({ limit: 1000 })).map((v) => v.entity.key).sort();

// Each slicing on a fresh store: one observation at a time, two, all in one slice.
for (const batchSize of [1, 2, 1000])
  describeEachStore(`detect stage: deferred certificates, ${batchSize} per slice`, (t, skip) => {
    it('materialises only certificates with a name that matters', { skip }, async () => {
      const r = await ingest(t.store, batchSize);
      assert.equal(r.deferred, 4);
      assert.equal(r.observations, 7);
      const keys = await keysOf(t.store);
      assert.deepEqual(
        keys.filter((k) => k.startsWith('domain:')),
        [
          'domain:acme-login.top',
          'domain:brand.net',
          'domain:kept.example',
          'domain:other.org',
          'domain:secure-login.top',
          'domain:shared.net',
        ],
      );
      assert.equal(keys.filter((k) => k.startsWith('cert:')).length, 3);
      assert.equal(await t.store.entities.get('domain:brand.com' as EntityKey), undefined);
      // Every materialised name has its assessment; a deferred one has no row of any kind.
      assert.equal((await t.store.assessments.get('domain:shared.net' as EntityKey))?.score, 0);
      assert.equal(await t.store.entities.get('domain:friend.net' as EntityKey), undefined);
      assert.equal(await t.store.entities.get('domain:quiet.com' as EntityKey), undefined);
      // Its observations are still there to re-derive it from.
      const seen = await t.store.observations.mentioning('calm.org', ['certificate'], 10);
      assert.deepEqual(
        seen.map((o) => o.dedupeKey),
        ['cert|1', 'cert|5'],
      );
      assert.deepEqual(await t.store.observations.mentioning('100%_\\', ['certificate'], 10), []);
    });
  });

describeEachStore('detect stage: observations handed over by ingest', (t, skip) => {
  it('takes a slice from memory when it is exactly what is pending, and reads anything else back', {
    skip,
  }, async () => {
    // Stored before and not handed over (a crash between ingest and detect).
    const early = [cert(1, ['early-login.top'])];
    await t.store.observations.writeBatch({
      source: 'certstream:test',
      observations: early,
      deadLetters: [],
    });
    const later = [2, 3, 4, 5].map((i) => cert(i, [`n${i}-login.top`, 'shared.net']));
    const held = holdObservations(3);
    held.add(
      later,
      await t.store.observations.writeBatch({
        source: 'certstream:test',
        observations: later,
        deadLetters: [],
        wantSeqs: true,
      }),
    );
    // Held as the store holds them, up to the limit.
    const stored = await t.store.observations.after(0, 100);
    assert.deepEqual(held.observations, stored.slice(1, 4));

    const reads = countObservationReads(t.store);
    const options = { extract, batchSize: 2 };
    let handed: Awaited<ReturnType<typeof runDetectStage>>;
    try {
      handed = await runDetectStage(t.store, registry, {
        ...options,
        stage: 'handed',
        fresh: held.observations,
      });
    } finally {
      reads.restore();
    }
    // Slices [1, 2] (1 was not held) and [5] (past the limit) are read; [3, 4] comes from memory.
    assert.equal(reads.count, 3);
    const readBack = await runDetectStage(t.store, registry, { ...options, stage: 'read-back' });
    assert.deepEqual(handed, readBack);
    assert.equal(handed.observations, 5);
  });
});

/**
 * A detector that reads the neighbourhood: a `login` name draws a signal, which a certificate naming
 * `owner.example` beside it clears, citing that certificate (as ownership evidence does).
 */
const ownerDetector: SignalDetector = {
  id: 'domain',
  entityTypes: ['domain'],
  async detect(subject, ctx) {
    if (!subject.key.includes('login')) return [];
    const signals: Signal[] = [
      { id: 'domain.login', detector: 'domain', weight: 60, detail: 'login', evidence: [] },
    ];
    for (const l of await ctx.links(subject.key)) {
      if (l.pivot !== 'cert-name') continue;
      const names = (await ctx.entity(l.from))?.attrs.names;
      if (Array.isArray(names) && names.includes('owner.example'))
        return [
          ...signals,
          {
            id: 'domain.owned',
            detector: 'domain',
            weight: -100,
            detail: 'co-named',
            evidence: [{ kind: 'entity', key: l.from }],
          },
        ];
    }
    return signals;
  },
};

for (const batchSize of [1, 2, 1000])
  describeEachStore(`detect stage: a certificate's neighbours, ${batchSize} per slice`, (t, skip) => {
    it('shows detectors the certificates of the slice, and lets evidence on a later one re-judge a name', {
      skip,
    }, async () => {
      const flagged = async (name: string) =>
        (await t.store.assessments.get(`domain:${name}` as EntityKey))?.flagged;
      await t.store.observations.writeBatch({
        source: 'certstream:test',
        observations: [
          cert(1, ['acme-login.top']), // flagged on its own
          cert(2, ['owner.example', 'acme-login.top']), // clears it: materialised though nothing scores
          cert(3, ['acme-login.top', 'www.acme-login.top']), // the stored evidence still holds
          cert(4, ['owner.example', 'new-login.top']), // a name cleared on its first certificate
          cert(5, ['plain-login.top']),
        ],
        deadLetters: [],
      });
      const r = await runDetectStage(t.store, new DetectorRegistry([ownerDetector]), {
        extract,
        batchSize,
        deferKinds: new Set(['certificate']),
      });
      assert.equal(r.observations, 5);
      assert.equal(await flagged('acme-login.top'), false);
      assert.equal(await flagged('new-login.top'), false);
      assert.equal(await flagged('plain-login.top'), true);
      // The evidence is stored: both certificates that name the brand's domain, with their links.
      const owner = await t.store.entities.links('domain:owner.example' as EntityKey);
      assert.equal(owner.length, 2);
    });
  });

/**
 * Names holding `login` draw a signal, stronger when the store already holds one for the name (a
 * detector that reads stored signals through the context, as the page detector reads its host's).
 */
const recallingDetector: SignalDetector = {
  id: 'domain',
  entityTypes: ['domain'],
  async detect(subject, ctx) {
    if (!subject.key.includes('login')) return [];
    const before = (await ctx.signals(subject.key)).length > 0;
    return [
      { id: 'domain.login', detector: 'domain', weight: before ? 70 : 40, detail: 'login', evidence: [] },
    ];
  },
};

describeEachStore('detect stage: slices that share a transaction', (_t, skip, factory) => {
  it('write what a commit per slice writes, with fewer commits; detectors read through the context inside them', {
    skip,
  }, async () => {
    const run = async (commitAfterMs: number) => {
      const opened = await factory.open();
      try {
        const store = opened.store;
        await store.observations.writeBatch({
          source: 'certstream:test',
          observations: [
            cert(1, ['acme-login.top']),
            cert(2, ['acme-login.top', 'other.org']),
            cert(3, ['new-login.top']),
            cert(4, ['acme-login.top']),
          ],
          deadLetters: [],
        });
        const commits = countCommits(store);
        const r = await runDetectStage(store, new DetectorRegistry([recallingDetector]), {
          extract,
          batchSize: 1,
          commitAfterMs,
        });
        const assessments = await Promise.all(
          ['acme-login.top', 'new-login.top', 'other.org'].map((n) =>
            store.assessments.get(`domain:${n}` as EntityKey),
          ),
        );
        return {
          commits: commits.count,
          seen: {
            r,
            keys: await keysOf(store),
            cursor: await store.stages.cursor('detect'),
            scores: assessments.map((a) => a && { score: a.score, at: a.assessedAt }),
          },
        };
      } finally {
        await opened.cleanup();
      }
    };
    // A commit per slice; one for all of them.
    const a = await sameGroupedOrNot(run, 4);
    // The later slices saw the earlier ones' signals, committed or not.
    assert.equal(a.scores[0]?.score, 70);
    assert.equal(a.scores[1]?.score, 40);
  });
});
