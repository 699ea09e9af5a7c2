import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore } from '../../test/support/stores.js';
import type { Database } from './schema.js';

describeEachStore('audit log contract', (t, skip) => {
  it('keeps the audit log append-only', { skip }, async () => {
    const e = await t.store.audit.append({
      at: '2026-01-01T00:00:00.000Z',
      actor: 'cli:test',
      action: 'key.create',
      subject: 'key:k1',
      detail: { role: 'reader' },
    });
    assert.ok(e.id > 0);
    await t.store.audit.append({
      at: '2026-01-02T00:00:00.000Z',
      actor: 'cli:test',
      action: 'key.revoke',
      subject: 'key:k1',
      detail: {},
    });
    const all = await t.store.audit.list({ subject: 'key:k1' });
    assert.deepEqual(
      all.map((a) => a.action),
      ['key.create', 'key.revoke'],
    );
    assert.deepEqual(all[0]?.detail, { role: 'reader' });
    assert.deepEqual(
      (await t.store.audit.list({ afterId: e.id })).map((a) => a.action),
      ['key.revoke'],
    );
    assert.equal((await t.store.audit.list({ limit: 1 })).length, 1);
    const db = (t.store as unknown as { db: Kysely<Database> }).db;
    await assert.rejects(db.updateTable('audit_events').set({ actor: 'x' }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_events').execute(), /append-only/);
  });
});

describeEachStore('audit chain contract', (t, skip) => {
  it('chains every append to the previous head', { skip }, async () => {
    const { entryHash, auditRecordOf, GENESIS } = await import('./audit-hash.js');
    const first = await t.store.audit.append({
      at: '2026-01-01T00:00:00.000Z',
      actor: 'cli:test',
      action: 'case.decide',
      subject: 'case:K-1',
      detail: { before: { state: 'in-review' }, as: 'benign' },
    });
    assert.equal(first.seq, 1);
    assert.equal(first.prevHash, GENESIS);
    assert.equal(first.hash, entryHash(auditRecordOf(first), 1, GENESIS));
    // Concurrent appends queue up on the head: positions stay 2..11 without a fork.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.store.audit.append({
          at: `2026-01-01T00:00:0${i}.000Z`,
          actor: 'cli:test',
          action: 'key.create',
          subject: `key:k${i}`,
          detail: {},
        }),
      ),
    );
    const chain = await t.store.audit.chain(0, 100);
    assert.deepEqual(
      chain.map((e) => e.seq),
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
    for (let i = 1; i < chain.length; i++) assert.equal(chain[i]?.prevHash, chain[i - 1]?.hash);
    assert.deepEqual(await t.store.audit.head(), { seq: 11, hash: chain[10]?.hash });
    assert.equal((await t.store.audit.chain(chain[9]!.id, 5)).length, 1);
  });
});
