import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { storeFactories, type TestStore } from '../../../test/support/stores.js';
import { verifyChain } from '../../review/audit-chain.js';
import { auditRecordOf } from '../audit-hash.js';
import type { KyselyStore } from '../kysely/kysely-store.js';

// Audit entries written before the chain existed are chained by 0008, stay append-only, and the
// migration goes down and up again.
for (const factory of storeFactories()) {
  describe(`migration 0008 review [${factory.name}]`, async () => {
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

    it('chains the audit entries written before it', { skip }, async () => {
      await store.migrate({ to: '0006-dead-letter-digest' });
      for (const [i, action] of ['key.create', 'key.revoke', 'key.create'].entries())
        await sql`INSERT INTO audit_events (at, actor, action, subject, detail)
          VALUES (${`2026-01-0${i + 1}T00:00:00.000Z`}, 'cli:ops', ${action}, ${`key:k${i}`}, ${'{"role":"reader"}'})`.execute(
          store.db,
        );
      await store.migrate();
      const next = await store.audit.append({
        at: '2026-01-09T00:00:00.000Z',
        actor: 'cli:ops',
        action: 'key.create',
        subject: 'key:k9',
        detail: {},
      });
      assert.equal(next.seq, 4);
      const chain = await store.audit.chain(0, 10);
      const v = verifyChain(
        chain.map((e) => ({ ...auditRecordOf(e), seq: e.seq!, prevHash: e.prevHash!, hash: e.hash! })),
      );
      assert.equal(v.ok, true);
      assert.equal(v.count, 4);
      await assert.rejects(sql`UPDATE audit_events SET actor = 'x'`.execute(store.db), /append-only/);
      await store.migrate({ to: '0006-dead-letter-digest' });
      await assert.rejects(sql`DELETE FROM audit_events`.execute(store.db), /append-only/);
      await store.migrate();
      assert.equal((await store.audit.head())?.seq, 4);
    });
  });
}
