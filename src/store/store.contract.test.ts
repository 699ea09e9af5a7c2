import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey, Observation } from '../domain/index.js';
import type { Aggregates } from './store.js';

const obs = (i: number, source = 'list:tx'): Observation<'domain'> => ({
  source,
  kind: 'domain',
  observedAt: '2026-01-01T00:00:00.000Z',
  dedupeKey: `${source}:${i}`,
  payload: { name: `name-${i}.example` },
});
const entity = (name: string) => ({
  key: `domain:${name}` as EntityKey,
  type: 'domain' as const,
  display: name,
  seenAt: '2026-01-01T00:00:00.000Z',
});

/** One write to every aggregate. */
async function writeEverything(tx: Aggregates, tag: string): Promise<void> {
  await tx.observations.writeBatch({
    source: `list:${tag}`,
    observations: [obs(1, `list:${tag}`)],
    deadLetters: [],
    cursor: '1',
  });
  await tx.entities.upsert([entity(`${tag}.example`)]);
  await tx.entities.upsertLinks([
    {
      from: `domain:${tag}.example`,
      to: `ip:192.0.2.1`,
      pivot: 'resolves-to',
      strength: 0.5,
      seenAt: '2026-01-01T00:00:00.000Z',
      provenance: tag,
    },
  ]);
  await tx.assessments.replaceSignals([
    {
      entity: `domain:${tag}.example`,
      detectors: ['domain'],
      observedAt: '2026-01-01T00:00:00.000Z',
      signals: [{ id: 'domain.x', detector: 'domain', weight: 10, detail: 'x', evidence: [] }],
    },
  ]);
  await tx.assessments.write([
    {
      entity: `domain:${tag}.example`,
      score: 10,
      flagged: false,
      verdict: 'benign',
      contributions: [],
      assessedAt: '2026-01-01T00:00:00.000Z',
    },
  ]);
  await tx.stages.setCursor(tag, 7);
  await tx.stages.writeState(tag, 7, '{}');
  await tx.queue.enqueue([{ queue: tag, key: 'a', payload: {} }]);
  await tx.keys.create({
    id: tag,
    label: tag,
    role: 'reader',
    hash: `hash-${tag}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  });
  await tx.audit.append({
    at: '2026-01-01T00:00:00.000Z',
    actor: 'test',
    action: 'x',
    subject: tag,
    detail: {},
  });
}

/** What `writeEverything` left behind, per aggregate. */
async function readEverything(s: Aggregates, tag: string) {
  const key = `domain:${tag}.example` as EntityKey;
  return {
    observations: await s.observations.count(`list:${tag}`),
    checkpoint: await s.observations.checkpoint(`list:${tag}`),
    entity: (await s.entities.get(key)) !== undefined,
    links: (await s.entities.links(key)).length,
    signals: (await s.assessments.signalsOf([key])).size,
    assessment: (await s.assessments.get(key)) !== undefined,
    cursor: await s.stages.cursor(tag),
    state: (await s.stages.state(tag)) !== undefined,
    queued: (await s.queue.stats(tag)).pending,
    key: (await s.keys.byHash(`hash-${tag}`)) !== undefined,
    audit: (await s.audit.list({ subject: tag })).length,
  };
}

const NOTHING = {
  observations: 0,
  checkpoint: undefined,
  entity: false,
  links: 0,
  signals: 0,
  assessment: false,
  cursor: 0,
  state: false,
  queued: 0,
  key: false,
  audit: 0,
};
const ALL = {
  observations: 1,
  checkpoint: '1',
  entity: true,
  links: 1,
  signals: 1,
  assessment: true,
  cursor: 7,
  state: true,
  queued: 1,
  key: true,
  audit: 1,
};

describeEachStore('store contract', (t, skip) => {
  it('migrations are idempotent', { skip }, async () => {
    assert.deepEqual(await t.store.migrate(), []);
    await t.store.ping();
  });

  it('commits the writes of a transaction to every aggregate together', { skip }, async () => {
    const r = await t.store.transaction(async (tx) => {
      await writeEverything(tx, 'committed');
      assert.deepEqual(await readEverything(tx, 'committed'), ALL, 'visible inside the transaction');
      return 42;
    });
    assert.equal(r, 42);
    assert.deepEqual(await readEverything(t.store, 'committed'), ALL);
  });

  it('rolls back the writes to every aggregate when the transaction throws', { skip }, async () => {
    await assert.rejects(
      t.store.transaction(async (tx) => {
        await writeEverything(tx, 'rolled');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await readEverything(t.store, 'rolled'), NOTHING);
  });

  it('nested transactions and self-transacting methods join the outer one', { skip }, async () => {
    await assert.rejects(
      t.store.transaction(async (tx) => {
        // writeBatch, upsert, claim, … open a transaction of their own when called on the store.
        await tx.transaction(async (inner) => {
          assert.equal(inner, tx, 'the same aggregates: a joined transaction, not a savepoint');
          await writeEverything(inner, 'nested');
        });
        assert.equal((await tx.queue.claim('nested', 10, 60_000)).length, 1);
        throw new Error('outer fails after the inner block completed');
      }),
      /outer fails/,
    );
    assert.deepEqual(await readEverything(t.store, 'nested'), NOTHING, 'the inner block rolled back too');
    // A source first seen in a rolled-back batch gets its id again, not a rolled-back one.
    const w = await t.store.observations.writeBatch({
      source: 'list:nested',
      observations: [obs(1, 'list:nested')],
      deadLetters: [],
    });
    assert.equal(w.inserted, 1);
    assert.deepEqual(
      (await t.store.observations.after(0, 1000)).filter((o) => o.source === 'list:nested').length,
      1,
    );
  });

  it('writes a slice of new entities the same with or without the newEntities hint', { skip }, async () => {
    const slice = async (key: EntityKey, at: string, signalId: string, score: number, hinted: boolean) => {
      const hints = hinted ? { newEntities: new Set([key]) } : {};
      await t.store.transaction(async (tx) => {
        await tx.entities.upsert([{ key, type: 'domain', display: key.slice(7), seenAt: at }]);
        await tx.entities.upsertLinks(
          [
            {
              from: 'cert:sha256:bb' as EntityKey,
              to: key,
              pivot: 'cert-name',
              strength: 1,
              seenAt: at,
              provenance: `ct:${at}`,
            },
          ],
          hints,
        );
        await tx.assessments.replaceSignals(
          [
            {
              entity: key,
              detectors: ['domain'],
              observedAt: at,
              signals: [{ id: signalId, detector: 'domain', weight: score, detail: signalId, evidence: [] }],
            },
          ],
          hints,
        );
        await tx.assessments.write(
          [{ entity: key, score, flagged: false, verdict: 'suspicious', contributions: [], assessedAt: at }],
          hints,
        );
      });
    };
    const read = async (key: EntityKey) => ({
      signals: (await t.store.assessments.signalsOf([key])).get(key)?.map((s) => s.id),
      provenance: (await t.store.entities.links(key)).map((l) => l.provenance),
      history: (await t.store.assessments.history(key)).map((h) => h.score),
    });
    const hinted = 'domain:hinted-new.example' as EntityKey;
    const plain = 'domain:plain-new.example' as EntityKey;
    await slice(hinted, '2026-02-01T00:00:00.000Z', 'domain.a', 60, true);
    await slice(plain, '2026-02-01T00:00:00.000Z', 'domain.a', 60, false);
    // Once stored, the same keys are no longer new: signals are replaced, provenance merged, history kept.
    await slice(hinted, '2026-02-02T00:00:00.000Z', 'domain.b', 70, false);
    await slice(plain, '2026-02-02T00:00:00.000Z', 'domain.b', 70, false);
    const expected = {
      signals: ['domain.b'],
      provenance: [['ct:2026-02-01T00:00:00.000Z', 'ct:2026-02-02T00:00:00.000Z']],
      history: [60, 70],
    };
    assert.deepEqual(await read(hinted), expected);
    assert.deepEqual(await read(plain), expected);
  });

  it('counts what it holds', { skip }, async () => {
    const stats = await t.store.stats();
    assert.equal(stats.observations, await t.store.observations.count());
    assert.equal(stats.entities, (await t.store.entities.list({ limit: 10_000 })).length);
    assert.equal(stats.flagged, 0);
    assert.equal(stats.deadLetters, 0);
    assert.ok(stats.links >= 3);
  });

  it('reports pending migrations without applying them', { skip }, async () => {
    assert.deepEqual(await t.store.pendingMigrations(), []);
  });
});
