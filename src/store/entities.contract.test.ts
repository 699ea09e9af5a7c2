import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../../test/support/stores.js';
import type { EntityKey } from '../domain/index.js';
import type { KyselyStore } from './kysely/kysely-store.js';

const key = 'domain:rnicrosoft.com' as EntityKey;
const cert = 'cert:sha256:aa' as EntityKey;

describeEachStore('entity graph contract', (t, skip) => {
  it('upserts entities, merges attributes and widens the seen window', { skip }, async () => {
    const at = (d: number) => `2026-01-0${d}T00:00:00.000Z`;
    await t.store.entities.upsert([
      { key, type: 'domain', display: 'rnicrosoft.com', seenAt: at(2), attrs: { a: 1 } },
      { key, type: 'domain', display: 'rnicrosoft.com', seenAt: at(1), attrs: { b: 2 } },
    ]);
    await t.store.entities.upsert([
      { key, type: 'domain', display: 'rnicrosoft.com', seenAt: at(3), attrs: { a: 3 } },
    ]);
    const e = await t.store.entities.get(key);
    assert.deepEqual(e?.attrs, { a: 3, b: 2 });
    assert.equal(e?.firstSeen, at(1));
    assert.equal(e?.lastSeen, at(3));
    assert.equal(await t.store.entities.get('domain:nope.example'), undefined);
    const many = await t.store.entities.getMany([key, 'domain:nope.example']);
    assert.deepEqual([...many.keys()], [key]);
    assert.equal(many.get(key)?.display, 'rnicrosoft.com');
  });

  it('writes a slice of many entities and links (more than one bulk statement) as it writes one', {
    skip,
  }, async () => {
    const at = (d: number) => `2026-02-0${d}T00:00:00.000Z`;
    const n = 150;
    const keys = Array.from({ length: n }, (_, i) => `ip:10.0.${i >> 8}.${i & 255}` as EntityKey);
    const rows = (d: number, attrs: (i: number) => Record<string, unknown>) =>
      keys.map(
        (k, i) => ({ key: k, type: 'ip', display: k.slice(3), seenAt: at(d), attrs: attrs(i) }) as const,
      );
    await t.store.entities.upsert(rows(2, (i) => ({ n: i, old: true })));
    await t.store.entities.upsert(rows(1, (i) => (i % 2 ? { n: -i } : {})));
    const hub = 'domain:bulk.example' as EntityKey;
    const links = (d: number, provenance: string) =>
      keys.map((k) => ({
        from: hub,
        to: k,
        pivot: 'resolves-to' as const,
        strength: 0.5,
        seenAt: at(d),
        provenance,
      }));
    await t.store.entities.upsertLinks(links(3, 'src:b'));
    await t.store.entities.upsertLinks(links(4, 'src:a'));
    const got = await t.store.entities.getMany(keys);
    assert.equal(got.size, n);
    for (const [i, k] of keys.entries()) {
      const e = got.get(k);
      assert.deepEqual(e?.attrs, { n: i % 2 ? -i : i, old: true }, k);
      assert.equal(e?.firstSeen, at(1));
      assert.equal(e?.lastSeen, at(2));
    }
    const stored = await t.store.entities.links(hub);
    assert.equal(stored.length, n);
    for (const l of stored) {
      assert.deepEqual(l.provenance, ['src:a', 'src:b']);
      assert.equal(l.firstSeen, at(3));
      assert.equal(l.lastSeen, at(4));
    }
  });

  it('pages through every link in (from, to, pivot) order, resuming after the last one read', {
    skip,
  }, async () => {
    const at = '2026-02-01T00:00:00.000Z';
    const froms = ['domain:pa.example', 'domain:pb.example'] as EntityKey[];
    const tos = ['ip:10.9.0.1', 'ip:10.9.0.2', 'ns:ns1.pa.example'] as EntityKey[];
    const pivots = ['resolves-to', 'uses-ns'] as const;
    const want: string[] = [];
    const links = [];
    for (const from of froms)
      for (const to of tos)
        for (const pivot of pivots) {
          links.push({ from, to, pivot, strength: 0.5, seenAt: at, provenance: 'src:p' });
          want.push(`${from} ${to} ${pivot}`);
        }
    await t.store.entities.upsertLinks(links.reverse());
    const got: string[] = [];
    for (let after: { from: EntityKey; to: EntityKey; pivot: (typeof pivots)[number] } | undefined; ; ) {
      const page = await t.store.entities.linkPage(after, 5);
      for (const l of page) got.push(`${l.from} ${l.to} ${l.pivot}`);
      if (page.length < 5) break;
      const last = page[page.length - 1]!;
      after = { from: last.from, to: last.to, pivot: last.pivot as (typeof pivots)[number] };
    }
    const mine = got.filter((g) => g.startsWith('domain:pa.') || g.startsWith('domain:pb.'));
    assert.deepEqual(mine, want);
    assert.equal(new Set(got).size, got.length, 'no link is read twice');
    // The graph's read: the same links in the same order, with what a pivot graph needs of each.
    const full: string[] = [];
    const lean: string[] = [];
    for (let after: { from: EntityKey; to: EntityKey; pivot: (typeof pivots)[number] } | undefined; ; ) {
      const page = await t.store.entities.linkPage(after, 7);
      const graph = await t.store.entities.graphLinkPage(after, 7);
      for (const l of page) full.push(JSON.stringify([l.from, l.to, l.pivot, l.strength, l.lastSeen]));
      for (const l of graph) lean.push(JSON.stringify([l.from, l.to, l.pivot, l.strength, l.lastSeen]));
      if (page.length < 7) break;
      const last = page[page.length - 1]!;
      after = { from: last.from, to: last.to, pivot: last.pivot as (typeof pivots)[number] };
    }
    assert.deepEqual(lean, full);
    assert.equal(full.length, got.length);
  });

  it('unions the provenance of a link and widens its seen window', { skip }, async () => {
    const link = (seenAt: string, provenance: string) => ({
      from: cert,
      to: key,
      pivot: 'cert-name' as const,
      strength: 0.9,
      seenAt,
      provenance,
    });
    await t.store.entities.upsertLinks([link('2026-01-01T00:00:00.000Z', 'ct:a')]);
    await t.store.entities.upsertLinks([
      link('2026-01-05T00:00:00.000Z', 'ct:b'),
      link('2026-01-04T00:00:00.000Z', 'ct:a'),
    ]);
    const links = await t.store.entities.links(key);
    assert.equal(links.length, 1);
    assert.deepEqual(links[0]?.provenance, ['ct:a', 'ct:b']);
    assert.equal(links[0]?.firstSeen, '2026-01-01T00:00:00.000Z');
    assert.equal(links[0]?.lastSeen, '2026-01-05T00:00:00.000Z');
    assert.deepEqual(await t.store.entities.links(cert), links, 'links are found from either end');
  });

  it('keeps a link provenance sorted, unique and at most 50 long, stored text as JSON.stringify makes it', {
    skip,
  }, async () => {
    const from = 'cert:sha256:bb' as EntityKey;
    const link = (provenance: string) => ({
      from,
      to: key,
      pivot: 'cert-name' as const,
      strength: 0.5,
      seenAt: '2026-01-01T00:00:00.000Z',
      provenance,
    });
    const odd = ['list:/tmp/a "quoted" \\ path', 'list:é/ü', 'list:tab\there', 'list:\u0001ctl'];
    const many = Array.from({ length: 60 }, (_, i) => `src:${String(i).padStart(2, '0')}`);
    await t.store.entities.upsertLinks(many.slice(30).map(link));
    await t.store.entities.upsertLinks([...odd, ...many.slice(0, 30)].map(link));
    await t.store.entities.upsertLinks(odd.map(link));
    const [stored] = await t.store.entities.links(from);
    const expected = [...new Set([...odd, ...many])].sort().slice(0, 50);
    assert.deepEqual(stored?.provenance, expected);
    const row = await (t.store as KyselyStore).db
      .selectFrom('links')
      .select('provenance')
      .where('from_key', '=', from)
      .executeTakeFirstOrThrow();
    assert.equal(row.provenance, JSON.stringify(expected));
  });

  it('replaces the links one asserter made from an entity, keeping what others asserted', {
    skip,
  }, async () => {
    const snap = 'snapshot:sha256:01' as EntityKey;
    const derived = (to: string, pivot: 'same-kit' | 'exfil-to', seenAt: string) => ({
      from: snap,
      to: to as EntityKey,
      pivot,
      strength: 0.9,
      seenAt,
      provenance: 'detector:page',
    });
    await t.store.entities.upsertLinks([
      { ...derived('kit:old-rule', 'same-kit', '2026-01-01T00:00:00.000Z'), provenance: 'crawl' },
    ]);
    await t.store.entities.replaceLinks(snap, 'detector:page', [
      derived('kit:old-rule', 'same-kit', '2026-01-01T00:00:00.000Z'),
      derived('kit:gone', 'same-kit', '2026-01-01T00:00:00.000Z'),
      derived('telegram-bot:1', 'exfil-to', '2026-01-01T00:00:00.000Z'),
    ]);
    await t.store.entities.replaceLinks(snap, 'detector:page', [
      derived('telegram-bot:1', 'exfil-to', '2026-01-02T00:00:00.000Z'),
      derived('kit:new-rule', 'same-kit', '2026-01-02T00:00:00.000Z'),
    ]);
    const links = (await t.store.entities.links(snap)).map((l) => [l.to, l.provenance, l.firstSeen]);
    assert.deepEqual(links, [
      ['telegram-bot:1', ['detector:page'], '2026-01-01T00:00:00.000Z'],
      ['kit:new-rule', ['detector:page'], '2026-01-02T00:00:00.000Z'],
      ['kit:old-rule', ['crawl'], '2026-01-01T00:00:00.000Z'],
    ]);
    await t.store.entities.replaceLinks(snap, 'detector:page', []);
    assert.deepEqual(
      (await t.store.entities.links(snap)).map((l) => l.to),
      ['kit:old-rule'],
    );
    await assert.rejects(
      t.store.entities.replaceLinks(snap, 'detector:page', [
        { ...derived('kit:x', 'same-kit', 'x'), from: key },
      ]),
      /replaceLinks/,
    );
  });

  it('lists entities with their assessment: filters, search, order and pages', { skip }, async () => {
    await t.store.transaction(async (tx) => {
      await tx.entities.upsert(
        ['a-low.com', 'b-none.com', 'c-high.com'].map((n) => ({
          key: `domain:${n}` as EntityKey,
          type: 'domain' as const,
          display: n,
          seenAt: '2026-01-01T00:00:00.000Z',
        })),
      );
      await tx.assessments.write(
        [
          ['a-low.com', 10, false],
          ['c-high.com', 90, true],
        ].map(([n, score, flagged]) => ({
          entity: `domain:${n}` as EntityKey,
          score: score as number,
          flagged: flagged as boolean,
          verdict: flagged ? ('malicious' as const) : ('benign' as const),
          contributions: [],
          assessedAt: '2026-01-01T00:00:00.000Z',
        })),
      );
    });
    const flagged = await t.store.entities.list({ flagged: true });
    assert.deepEqual(
      flagged.map((v) => [v.entity.key, v.assessment?.score]),
      [['domain:c-high.com', 90]],
    );
    assert.deepEqual(
      (await t.store.entities.list({ flagged: false, search: '.com' })).map((v) => v.entity.key),
      ['domain:a-low.com', 'domain:b-none.com', key],
    );
    assert.equal((await t.store.entities.list({ search: 'nicro' })).length, 1);
    assert.equal((await t.store.entities.list({ search: '%' })).length, 0, 'LIKE wildcards are escaped');
    assert.equal((await t.store.entities.list({ type: 'cert' })).length, 0);
    assert.equal((await t.store.entities.list({ minScore: 50 })).length, 1);
    const byScore = await t.store.entities.list({ order: 'score', limit: 2 });
    assert.deepEqual(
      byScore.map((v) => v.entity.key),
      ['domain:c-high.com', 'domain:a-low.com'],
    );
    const page2 = await t.store.entities.list({ order: 'score', limit: 2, offset: 2, type: 'domain' });
    assert.deepEqual(
      page2.map((v) => v.entity.key),
      ['domain:b-none.com', key],
    );
    const after = await t.store.entities.list({ type: 'domain', after: 'domain:b-none.com' });
    assert.deepEqual(
      after.map((v) => v.entity.key),
      ['domain:c-high.com', key],
    );
  });

  it('pages in score order by the last key seen (score desc, then key)', { skip }, async () => {
    const at = '2026-02-01T00:00:00.000Z';
    const keys = ['a', 'b', 'c', 'd', 'e'].map((x) => `domain:page-${x}.example` as EntityKey);
    await t.store.transaction(async (tx) => {
      await tx.entities.upsert(
        keys.map((key) => ({ key, type: 'domain' as const, display: key.slice(7), seenAt: at })),
      );
      await tx.assessments.write(
        keys.slice(0, 4).map((entity, i) => ({
          entity,
          score: [40, 90, 40, 70][i] as number,
          flagged: false,
          verdict: 'benign' as const,
          contributions: [],
          assessedAt: at,
        })),
      );
    });
    const order = ['b', 'd', 'a', 'c', 'e'].map((x) => `domain:page-${x}.example`);
    const seen: string[] = [];
    let after: { key: string; score: number } | undefined;
    for (;;) {
      const page = await t.store.entities.list({
        search: 'page-',
        order: 'score',
        limit: 2,
        ...(after ? { after: after.key, afterScore: after.score } : {}),
      });
      if (page.length === 0) break;
      for (const v of page) seen.push(v.entity.key);
      const last = page[page.length - 1] as (typeof page)[number];
      after = { key: last.entity.key, score: last.assessment?.score ?? -1 };
    }
    assert.deepEqual(seen, order);
  });
  it('merges attributes shallowly on both dialects: a value replaced whole, null removes a key', {
    skip,
  }, async () => {
    const k = 'ip:192.0.2.1' as EntityKey;
    const up = (attrs: Record<string, unknown>) =>
      t.store.entities.upsert([
        { key: k, type: 'ip', display: '192.0.2.1', seenAt: '2026-01-01T00:00:00.000Z', attrs },
      ]);
    await up({ rdap: { registrar: 'A', abuse: 'a@x' }, rdapError: 'timeout', keep: 1 });
    await up({ rdap: { registrar: 'B' }, rdapError: null, list: [1, null] });
    assert.deepEqual((await t.store.entities.get(k))?.attrs, {
      rdap: { registrar: 'B' },
      keep: 1,
      list: [1, null],
    });
    await up({});
    assert.deepEqual((await t.store.entities.get(k))?.attrs, {
      rdap: { registrar: 'B' },
      keep: 1,
      list: [1, null],
    });
    // A first write's null reads as absent, as after a merge.
    const fresh = 'ip:192.0.2.2' as EntityKey;
    await t.store.entities.upsert([
      {
        key: fresh,
        type: 'domain',
        display: 'fresh.example',
        seenAt: '2026-01-01T00:00:00.000Z',
        attrs: { gone: null, a: 1 },
      },
    ]);
    assert.deepEqual((await t.store.entities.get(fresh))?.attrs, { a: 1 });
  });
});
