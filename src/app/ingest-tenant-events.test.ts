import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import {
  collectFreshTenantEvents,
  TenantStage,
  type TenantStageOptions,
} from '../detect/tenant/tenant-stage.js';
import type { EntityKey } from '../domain/index.js';
import { runIngest } from '../ingest/run-ingest.js';
import { createTenantFileSource, decodeStoredTenantEvent } from '../ingest/sources/tenant/tenant-source.js';
import { ingestTenantEvents } from './ingest-tenant-events.js';
import { countObservationReads } from '../../test/support/observation-reads.js';
import { countCommits, sameGroupedOrNot } from '../../test/support/grouped-commits.js';

/** A stage as the app wires it (`tenantStageFor`): stored events read back through ingest's decoder. */
const stageOf = (store: ConstructorParameters<typeof TenantStage>[0], options: TenantStageOptions = {}) =>
  new TenantStage(store, { decodeEvent: decodeStoredTenantEvent, ...options });

const at = (h: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + h * 3_600_000).toISOString();
const operator = (n: number, provider: string) => [
  {
    event_id: `c${n}`,
    type: 'account.created',
    provider,
    account_id: `op${n}`,
    ts: at(n),
    email: `x${n}@mailinator.com`,
    ip: '198.51.100.9',
  },
  {
    event_id: `p${n}`,
    type: 'payment.method_added',
    provider,
    account_id: `op${n}`,
    ts: at(n + 0.5),
    method: 'crypto',
    fingerprint: `fp${n}`,
    wallet_address: 'TXyz123wallet',
    chain: 'tron',
  },
];

describeEachStore('tenant stage', (t, skip) => {
  it('ingests, dead-letters, dedupes and flags linked accounts across providers', { skip }, async () => {
    const stage = stageOf(t.store, { snapshotEvery: 3 });
    const r = await ingestTenantEvents(
      t.store,
      [...operator(1, 'cloud-a'), { type: 'login', provider: 'cloud-a' }, ...operator(2, 'cloud-b')],
      {
        stage,
        source: 'tenant:test',
      },
    );
    assert.equal(r.inserted, 4);
    assert.equal(r.rejected.length, 1);
    assert.equal(r.rejected[0]?.index, 2);
    assert.equal((await t.store.observations.deadLetters({ source: 'tenant:test' })).length, 1);
    const again = await ingestTenantEvents(t.store, operator(1, 'cloud-a'), {
      stage,
      source: 'tenant:test',
    });
    assert.equal(again.duplicates, 2);
    assert.equal(again.detection?.events, 0);

    const a = await t.store.assessments.get('account:cloud-a/op1' as EntityKey);
    const b = await t.store.assessments.get('account:cloud-b/op2' as EntityKey);
    assert.ok(a?.flagged && b?.flagged, `scores ${a?.score} ${b?.score}`);
    assert.ok(a?.contributions.some((c) => c.id === 'tenant.payment.wallet-reuse'));
    assert.ok(a?.contributions.some((c) => c.id === 'tenant.cluster.cross-provider'));
    const views = await t.store.entities.list({ type: 'account', flagged: true });
    assert.deepEqual(views.map((v) => v.entity.key).sort(), ['account:cloud-a/op1', 'account:cloud-b/op2']);
  });

  it('a new stage instance resumes from the snapshot and the cursor', { skip }, async () => {
    const fresh = stageOf(t.store);
    const r = await ingestTenantEvents(t.store, operator(3, 'cloud-a'), {
      stage: fresh,
      source: 'tenant:test',
    });
    assert.equal(r.detection?.events, 2);
    const c = await t.store.assessments.get('account:cloud-a/op3' as EntityKey);
    assert.ok(
      c?.contributions.some((x) => x.id === 'tenant.payment.wallet-reuse' && /3 accounts/.test(x.detail)),
      'the restored windows still know op1 and op2',
    );
    await fresh.persist();
    const s = await t.store.stages.state('tenant');
    assert.equal(s?.position, await t.store.stages.cursor('tenant'));
  });

  it('takes handed-over events from memory but still replays stored events it has not seen', {
    skip,
  }, async () => {
    // Stored, but no stage ran (a crash between the two writes).
    await t.store.observations.writeBatch({
      source: 'tenant:test',
      observations: operator(10, 'cloud-a').map((e) => ({
        source: 'tenant:test',
        kind: 'tenant-event' as const,
        observedAt: e.ts,
        dedupeKey: `tenant:cloud-a:${e.event_id}`,
        payload: { event: { schema_version: 1, ...e } },
      })),
      deadLetters: [],
    });
    const handed = stageOf(t.store, { stage: 'handed' });
    const r = await ingestTenantEvents(t.store, operator(11, 'cloud-b'), {
      stage: handed,
      source: 'tenant:test',
    });
    assert.equal(
      r.detection?.events,
      await t.store.observations.count('tenant:test'),
      'everything pending, in order',
    );
    // Nothing else pending: where the store reports sequence numbers (SQLite), nothing is read back.
    const store = t.store.observations;
    const original = store.after;
    let reads = 0;
    store.after = (...args) => {
      reads += 1;
      return original.apply(store, args);
    };
    try {
      const r2 = await ingestTenantEvents(t.store, operator(12, 'cloud-a'), {
        stage: handed,
        source: 'tenant:test',
      });
      assert.equal(r2.detection?.events, 2);
    } finally {
      store.after = original;
    }
    if (t.store.capabilities.dialect === 'sqlite') assert.equal(reads, 0);
    // A stage that reads everything back from the store reaches the same windows.
    const readBack = stageOf(t.store, { stage: 'read-back' });
    await readBack.run();
    for (const key of [
      'account:cloud-a/op10',
      'account:cloud-b/op11',
      'account:cloud-a/op12',
    ] as EntityKey[]) {
      const h = (await handed.state()).signalsOf(key);
      assert.ok(
        h.some((x) => x.id === 'tenant.payment.wallet-reuse'),
        key,
      );
      assert.deepEqual(h, (await readBack.state()).signalsOf(key));
    }
    assert.equal(await t.store.stages.cursor('handed'), await t.store.stages.cursor('read-back'));
  });

  it('a file ingest hands its committed events to the stage run after it, up to the limit it holds', {
    skip,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'precursor-fresh-'));
    try {
      const file = join(dir, 'events.jsonl');
      const events = [20, 21, 22].flatMap((n) => operator(n, n % 2 ? 'cloud-a' : 'cloud-b'));
      writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
      const held = collectFreshTenantEvents(4);
      await runIngest(createTenantFileSource({ path: file, sourceId: 'tenant:fresh' }), t.store, {
        batchSize: 2,
        wantSeqs: true,
        onCommitted: held.add,
      });
      // The first four of the file are held, in the order they were stored.
      assert.deepEqual(
        held.fresh.dedupeKeys,
        events.slice(0, 4).map((e) => `tenant:${e.provider}:${e.event_id}`),
      );
      const pending = await t.store.observations.countAfter(0, ['tenant-event']);
      const reads = countObservationReads(t.store);
      const handed = stageOf(t.store, { stage: 'fresh-handed', batchSize: 2 });
      try {
        assert.equal((await handed.run(held.fresh)).events, pending);
      } finally {
        reads.restore();
      }
      // Everything else pending (earlier tests' events, and the two past the limit) was read back.
      assert.equal(reads.count, pending - 4);
      const readBack = stageOf(t.store, { stage: 'fresh-read-back' });
      await readBack.run();
      for (const n of [20, 21, 22]) {
        const key = `account:${n % 2 ? 'cloud-a' : 'cloud-b'}/op${n}` as EntityKey;
        assert.deepEqual((await handed.state()).signalsOf(key), (await readBack.state()).signalsOf(key));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persists the state in parts; a persist that died half-way or a stray part costs a replay, never a wrong state', {
    skip,
  }, async () => {
    const stage = stageOf(t.store, { stage: 'parts' });
    await ingestTenantEvents(t.store, [...operator(20, 'cloud-a'), ...operator(21, 'cloud-b')], {
      stage,
      source: 'tenant:test',
    });
    await stage.persist();
    const row = await t.store.stages.state('parts');
    const head = JSON.parse(row?.state ?? '{}') as {
      format: string;
      slot: string;
      id: string;
      parts: number;
    };
    assert.equal(head.format, 'tenant-state-parts');
    assert.ok(head.parts >= 2, 'a header and at least one slice');
    assert.equal(row?.position, await t.store.stages.cursor('parts'));

    // Which observations a new instance reads back: from the snapshot's position, or from the start.
    const store = t.store.observations;
    const original = store.after;
    const firstRead = async (run: () => Promise<unknown>) => {
      const from: number[] = [];
      store.after = (seq, ...rest) => {
        from.push(seq);
        return original.call(store, seq, ...rest);
      };
      try {
        await run();
      } finally {
        store.after = original;
      }
      return from[0];
    };

    // A persist that crashed after writing a part into the other slot: the named slot is intact.
    const other = head.slot === 'a' ? 'b' : 'a';
    await t.store.stages.writeState(`parts/snapshot-${other}/0`, 1, '{"id":"crashed","part":{}}');
    const resumed = stageOf(t.store, { stage: 'parts' });
    const read = await firstRead(() => resumed.state());
    assert.ok(read === undefined || read >= (row?.position ?? 0), 'restored from the snapshot');
    await ingestTenantEvents(t.store, operator(22, 'cloud-a'), { stage: resumed, source: 'tenant:test' });

    // A part that belongs to another snapshot is never mixed in: the stage replays from the start.
    await t.store.stages.writeState(
      `parts/snapshot-${head.slot}/1`,
      row?.position ?? 0,
      '{"id":"other","part":{}}',
    );
    const replayed = stageOf(t.store, { stage: 'parts-replayed' });
    await replayed.run();
    const fallback = stageOf(t.store, { stage: 'parts' });
    assert.equal(await firstRead(() => fallback.state()), 0, 'replayed from the start');
    for (const k of ['account:cloud-a/op20', 'account:cloud-b/op21', 'account:cloud-a/op22'] as EntityKey[]) {
      const expected = (await replayed.state()).signalsOf(k);
      assert.ok(
        expected.some((x) => x.id === 'tenant.payment.wallet-reuse'),
        k,
      );
      assert.deepEqual((await resumed.state()).signalsOf(k), expected, k);
      assert.deepEqual((await fallback.state()).signalsOf(k), expected, k);
    }
  });
});

describeEachStore('tenant stage: batches that share a transaction', (_t, skip, factory) => {
  it('write what a commit per batch writes, with fewer commits; a failed commit leaves the windows to the store', {
    skip,
  }, async () => {
    const events = [1, 2, 3, 4].flatMap((n) => operator(n, n % 2 ? 'cloud-a' : 'cloud-b'));
    const run = async (commitAfterMs: number) => {
      const opened = await factory.open();
      try {
        const store = opened.store;
        await ingestTenantEvents(store, events, { source: 'tenant:group' });
        const commits = countCommits(store);
        const stage = stageOf(store, { batchSize: 2, commitAfterMs, snapshotEvery: 3 });
        const progress = await stage.run();
        const keys = [1, 2, 3, 4].map((n) => `account:${n % 2 ? 'cloud-a' : 'cloud-b'}/op${n}` as EntityKey);
        const assessments = await Promise.all(keys.map((k) => store.assessments.get(k)));
        return {
          commits: commits.count,
          seen: {
            progress,
            assessments: assessments.map((a) => a && { score: a.score, at: a.assessedAt }),
            signals: [...(await store.assessments.signalsOf(keys))].sort(),
            cursor: await store.stages.cursor('tenant'),
            snapshot: (await store.stages.state('tenant'))?.position,
          },
        };
      } finally {
        await opened.cleanup();
      }
    };
    // Four batches of two, a commit each; one transaction for all of them.
    const a = await sameGroupedOrNot(run, 4);
    assert.ok(a.assessments.every((x) => x?.score !== undefined));

    // A transaction that fails rolls every batch of it back, and the stage forgets what it took in.
    const opened = await factory.open();
    try {
      const store = opened.store;
      await ingestTenantEvents(store, events, { source: 'tenant:group' });
      const stage = stageOf(store, { batchSize: 2, commitAfterMs: 60_000 });
      let writes = 0;
      const transaction = store.transaction.bind(store);
      store.transaction = ((fn: Parameters<typeof store.transaction>[0]) =>
        transaction(async (tx) => {
          const write = tx.stages.setCursor.bind(tx.stages);
          tx.stages.setCursor = async (stageName, seq) => {
            writes += 1;
            if (writes === 3) throw new Error('disk full');
            return write(stageName, seq);
          };
          return fn(tx);
        })) as typeof store.transaction;
      await assert.rejects(stage.run(), /disk full/);
      assert.equal(await store.stages.cursor('tenant'), 0);
      store.transaction = transaction as typeof store.transaction;
      const again = await stage.run();
      assert.equal(again.events, events.length);
    } finally {
      await opened.cleanup();
    }
  });
});
