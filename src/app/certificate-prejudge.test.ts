/**
 * The certificate-prejudging worker (certificate-prejudge.ts) says a certificate matters to nothing
 * exactly when the detect stage, judging it itself, would leave it deferred — with the real domain
 * engine and the pipeline's `keep` — and the stage given its answers writes the same rows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../config/load-config.js';
import { vocabulary } from '../correlate/correlate-stage.js';
import { hasDistinctiveShape } from '../correlate/naming-templates.js';
import { runDetectStage } from '../detect/detect-stage.js';
import { createDomainDetector } from '../detect/domain/detector.js';
import { DetectorRegistry } from '../detect/registry.js';
import { DEFAULT_THRESHOLDS } from '../detect/score.js';
import type { EntityKey, Observation } from '../domain/index.js';
import { extract, mentionedKeys } from '../ingest/extract.js';
import { createSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';
import { certificateJudge, certificatePrejudge, prejudgeApplies } from './certificate-prejudge.js';
import { domainEngineFor, domainEngineSpec } from './detectors.js';
import { countObservationReads } from '../../test/support/observation-reads.js';

const home = mkdtempSync(join(tmpdir(), 'precursor-prejudge-'));
after(() => rmSync(home, { recursive: true, force: true }));
const config = loadConfig({ env: {}, cwd: home });
const data = { engine: domainEngineSpec(config), scoring: { thresholds: DEFAULT_THRESHOLDS } };

// Honest names, names whose signals only say they are honest, look-alikes, a lure on an abused TLD,
// a distinctive shape, names that fail canonicalisation.
const NAMES = [
  ['quiet-river.com', 'www.quiet-river.com'],
  ['microsoft.com', 'www.microsoft.com'],
  ['login-rnicrosoft.top'],
  ['clear-brook.store', 'mail.clear-brook.store'],
  ['paypal-account-verify.xyz', 'www.paypal-account-verify.xyz'],
  ['bakery-shop.de', 'secure-login-update.info'],
  ['-bad-.com', 'ex ample.org'],
  ['cdn-7f3a9c.net'],
  ['gardening-tips.blog', 'www.gardening-tips.blog'],
  ['appleid-support.help'],
];
const feed: Observation[] = NAMES.map((names, i) => ({
  source: 'certstream:test',
  kind: 'certificate',
  observedAt: `2026-03-01T10:00:${String(i).padStart(2, '0')}.000Z`,
  dedupeKey: `cert|${i}`,
  payload: { sha256: i.toString(16).repeat(64).slice(0, 64), names, issuer: 'Test CA' },
}));

const registry = new DetectorRegistry([createDomainDetector(domainEngineFor(config))]);
const stageOptions = {
  extract,
  deferKinds: new Set(['certificate'] as const),
  keep: (k: EntityKey) =>
    k.startsWith('domain:') && hasDistinctiveShape(k.slice('domain:'.length), vocabulary()),
  mentions: mentionedKeys,
  batchSize: 4,
};

async function openStore(name: string): Promise<KyselyStore> {
  const store = createSqliteStore({ path: join(home, `${name}.db`) });
  await store.migrate();
  return store;
}

const rowsOf = async (store: KyselyStore) => ({
  entities: (await store.entities.list({ limit: 1000 })).map((v) => v.entity.key).sort(),
  assessments: await Promise.all(
    (await store.entities.list({ limit: 1000 })).map(async (v) => store.assessments.get(v.entity.key)),
  ),
});

describe('certificate prejudge', () => {
  it('judges a certificate as the detect stage does', async () => {
    const store = await openStore('alone');
    await store.observations.writeBatch({ source: 'certstream:test', observations: feed, deadLetters: [] });
    const r = await runDetectStage(store, registry, stageOptions);
    const judge = certificateJudge(data);
    const materialised = new Set(
      (await store.entities.list({ limit: 1000 }))
        .map((v) => v.entity.key)
        .filter((k) => k.startsWith('cert:')),
    );
    const idle = feed.map((o) => judge((o.payload as { names: string[] }).names));
    assert.deepEqual(
      feed.map((o) => !materialised.has(mentionedKeys(o)?.[0] as EntityKey)),
      idle,
    );
    // Both outcomes occur, so the comparison says something.
    assert.equal(r.deferred, idle.filter(Boolean).length);
    assert.ok((r.deferred ?? 0) > 0 && (r.deferred ?? 0) < feed.length);
    assert.equal(prejudgeApplies(registry), true);
    await store.close();
  });

  it('answers from a worker thread, and the stage given its answers writes the same rows', async () => {
    const alone = await openStore('reference');
    await alone.observations.writeBatch({ source: 'certstream:test', observations: feed, deadLetters: [] });
    await runDetectStage(alone, registry, stageOptions);

    const store = await openStore('prejudged');
    const pre = certificatePrejudge(data, { minCertificates: 3 });
    try {
      for (let i = 0; i < feed.length; i += 2) {
        const batch = feed.slice(i, i + 2);
        pre.add(
          batch,
          await store.observations.writeBatch({
            source: 'certstream:test',
            observations: batch,
            deadLetters: [],
            wantSeqs: true,
          }),
        );
      }
      await pre.settle();
      const stored = await store.observations.after(0, 100);
      const judge = certificateJudge(data);
      assert.deepEqual(
        stored.map((o) => pre.idle(o.seq)),
        feed.map((o) => judge((o.payload as { names: string[] }).names)),
      );
      // The stage reads back and extracts none of the certificates the worker answered for.
      const reads = countObservationReads(store, 'bySeqs');
      let extracted = 0;
      const r = await runDetectStage(store, registry, {
        ...stageOptions,
        extract: (o) => {
          extracted += 1;
          return extract(o);
        },
        idle: (seq) => pre.idle(seq),
      });
      reads.restore();
      assert.equal(extracted, feed.length - (r.deferred ?? 0));
      assert.equal(reads.count, extracted);
      assert.deepEqual(await rowsOf(store), await rowsOf(alone));
    } finally {
      pre.close();
      await store.close();
      await alone.close();
    }
  });

  it('holds back a small input: nothing is sent, nothing is answered', async () => {
    const store = await openStore('small');
    const pre = certificatePrejudge(data);
    pre.add(
      feed,
      await store.observations.writeBatch({
        source: 'certstream:test',
        observations: feed,
        deadLetters: [],
        wantSeqs: true,
      }),
    );
    await pre.settle();
    assert.deepEqual(
      (await store.observations.after(0, 100)).map((o) => pre.idle(o.seq)),
      feed.map(() => false),
    );
    pre.close();
    await store.close();
  });
});
