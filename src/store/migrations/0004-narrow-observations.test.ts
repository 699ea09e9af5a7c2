import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import type { KyselyStore } from '../kysely/kysely-store.js';

// Rows written by the 0001–0003 schema must read back the same after 0004, and after its `down`.
for (const factory of storeFactories()) {
  describe(`migration 0004 narrow observations [${factory.name}]`, async () => {
    const skip = await factory.skip();
    let t: TestStore;
    let store: KyselyStore;
    before(async () => {
      if (skip) return;
      t = await factory.open({ migrate: false });
      store = t.store as KyselyStore;
    });
    after(async () => {
      if (!skip) await t.cleanup();
    });

    it('moves source names to `sources` and ingest times to epoch ms, both ways', { skip }, async () => {
      await store.migrate({ to: '0003-work-queue' });
      const wide = [
        ['list:/data/a.txt', 'domain', 'k1', '{"name":"a.example"}', '2026-03-01T10:00:00.125Z'],
        ['ct:https://log.example/', 'certificate', 'k2', '{"x":1}', '2026-03-01T10:00:01.000Z'],
        ['list:/data/a.txt', 'domain', 'k3', '{"name":"b.example"}', '2026-03-01T10:00:02.500Z'],
        ['tenant:events.jsonl', 'tenant-event', 'k4', '{"type":"login"}', '2026-03-01T10:00:03.000Z'],
      ];
      for (const [source, kind, key, payload, at] of wide)
        await sql`INSERT INTO observations (source, kind, dedupe_key, observed_at, ingested_at, payload)
          VALUES (${source}, ${kind}, ${key}, ${'2026-02-28T00:00:00.000Z'}, ${at}, ${payload})`.execute(
          store.db,
        );

      await store.migrate();
      const after4 = await store.observations.after(0, 10);
      assert.deepEqual(
        after4.map((o) => [o.source, o.kind, o.dedupeKey, JSON.stringify(o.payload), o.ingestedAt]),
        wide.map(([source, kind, key, payload, at]) => [source, kind, key, payload, at]),
      );
      assert.equal(await store.observations.count('list:/data/a.txt'), 2);
      assert.deepEqual(
        (await store.observations.after(0, 10, ['tenant-event'])).map((o) => o.dedupeKey),
        ['k4'],
      );
      // New rows of a known source reuse its id; a new source gets one.
      await store.observations.writeBatch({
        source: 'list:/data/a.txt',
        deadLetters: [],
        observations: [
          {
            source: 'list:/data/a.txt',
            kind: 'domain',
            dedupeKey: 'k5',
            observedAt: '2026-03-02T00:00:00.000Z',
            payload: { name: 'c.example' },
          },
          {
            source: 'list:/data/other.txt',
            kind: 'domain',
            dedupeKey: 'k6',
            observedAt: '2026-03-02T00:00:00.000Z',
            payload: { name: 'd.example' },
          },
        ],
      });
      assert.equal(await store.observations.count('list:/data/a.txt'), 3);
      assert.equal(await store.observations.count('list:/data/other.txt'), 1);

      await store.migrate({ to: '0003-work-queue' });
      const back = await sql<{ source: string; dedupe_key: string; ingested_at: string }>`
        SELECT source, dedupe_key, ingested_at FROM observations ORDER BY seq`.execute(store.db);
      assert.deepEqual(
        back.rows.slice(0, 4).map((r) => [r.source, r.dedupe_key, r.ingested_at]),
        wide.map(([source, , key, , at]) => [source, key, at]),
      );
      assert.equal(back.rows[5]?.source, 'list:/data/other.txt');
      await store.migrate();
    });
  });
}
