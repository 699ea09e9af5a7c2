import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore } from '../../../test/support/stores.js';
import type { Database } from '../../store/schema.js';
import { StoreObjectSource } from './store-object-source.js';
import { getObjects } from './taxii-pages.js';

const C = '11111111-2222-4333-8444-555555555555';

describeEachStore('TAXII paging over the store', (t, skip) => {
  it('pages exactly once through thousands of objects that share one date_added', { skip }, async () => {
    // Rows written by another writer in the same instant (PostgreSQL, several processes) tie on
    // date_added: the cursor must still page each exactly once.
    const db = (t.store as unknown as { db: Kysely<Database> }).db;
    const tie = '2026-11-20T10:00:00.000000Z';
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const id = `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
      return {
        collection_id: C,
        stix_id: id,
        type: 'indicator',
        version: '2026-11-20T09:00:00.000000Z',
        spec_version: '2.1',
        date_added: i % 3 === 0 ? '2026-11-20T10:00:00.000001Z' : tie,
        tlp_rank: i % 5 === 0 ? 2 : 1,
        media_type: 'application/stix+json;version=2.1',
        body: JSON.stringify({ id }),
      };
    });
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('intel_objects')
        .values(rows.slice(i, i + 200))
        .execute();
    const source = new StoreObjectSource(t.store.intel);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const params = new URLSearchParams({ limit: '170', ...(next ? { next } : {}) });
      const page = await getObjects(source, C, params, { tlp: 'green', maxPageSize: 1000 });
      seen.push(...page.records.map((r) => r.id));
      next = page.next;
      pages++;
    } while (next);
    const expected = rows.filter((r) => r.tlp_rank <= 1).map((r) => r.stix_id);
    assert.equal(seen.length, expected.length);
    assert.deepEqual(new Set(seen), new Set(expected));
    assert.equal(pages, Math.ceil(expected.length / 170));
  });
});
