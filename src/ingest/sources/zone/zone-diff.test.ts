import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../../domain/index.js';
import { sqliteFactory, type TestStore } from '../../../../test/support/stores.js';
import { runIngest } from '../../run-ingest.js';
import { type DelegationChange, diffZones } from './zone-diff.js';
import { createZoneDiffSource } from './zone-diff-source.js';

const ZONES = new URL('../../../../test/fixtures/zones', import.meta.url).pathname;
const OLD = `${ZONES}/root.zone.2023-12-31`;
const NEW = `${ZONES}/root.zone.2026-08-22`;

const ADDED = ['merck', 'web'];
const REMOVED = [
  'avianca',
  'bananarepublic',
  'bentley',
  'comcast',
  'dabur',
  'dunlop',
  'goo',
  'guardian',
  'kerrylogistics',
  'lancaster',
  'lipsy',
  'natura',
  'oldnavy',
  'pramerica',
  'redstone',
  'shaw',
  'wolterskluwer',
  'xfinity',
];

describe('zone diff on the real root zones (2023-12-31 → 2026-08-22)', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'zone-test-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const partitions of [1, 7]) {
    it(`finds the real added, removed and changed TLD delegations (${partitions} partition(s))`, async () => {
      const changes: DelegationChange[] = [];
      const stats = await diffZones(OLD, NEW, (c) => changes.push(c), { partitions, workDir: work });
      const names = (k: string) =>
        changes
          .filter((c) => c.change === k)
          .map((c) => c.name)
          .sort();
      assert.deepEqual(names('added'), ADDED);
      assert.deepEqual(names('removed'), REMOVED);
      assert.equal(stats.changed, 294);
      assert.equal(stats.old.delegations, 1454);
      assert.equal(stats.new.delegations, 1438);
      assert.equal(stats.old.apex, '.');
      assert.equal(stats.new.serial, 2026082201);
      const aarp = changes.find((c) => c.name === 'aarp');
      assert.deepEqual(aarp, {
        name: 'aarp',
        change: 'changed',
        ns: ['a.nic.aarp', 'b.nic.aarp', 'c.nic.aarp', 'x.nic.aarp', 'y.nic.aarp', 'z.nic.aarp'],
        oldNs: ['ac1.nstld.com', 'ac2.nstld.com', 'ac3.nstld.com', 'ac4.nstld.com'],
      });
      const web = changes.find((c) => c.name === 'web');
      assert.ok(web && web.ns.length > 0);
    });
  }

  it('gives the same changes, stats and error order with two worker threads as in process', async () => {
    const run = async (workers: boolean) => {
      const changes: DelegationChange[] = [];
      const errors: string[] = [];
      const stats = await diffZones(OLD, NEW, (c) => changes.push(c), {
        workers,
        partitions: 5,
        workDir: work,
        onError: (side, e) => errors.push(`${side}:${e.line}:${e.error}`),
      });
      return { changes, errors, stats };
    };
    const inProcess = await run(false);
    const threaded = await run(true);
    assert.equal(inProcess.changes.length, 2 + 18 + 294);
    assert.deepEqual(threaded, inProcess);
    // Errors on both sides: the old side's come first, in line order, with or without workers.
    const a = join(work, 'err-a.zone');
    const b = join(work, 'err-b.zone');
    writeFileSync(a, '$ORIGIN example.\nx IN NS\nkeep IN NS n.\ny 1x NS z.\n');
    writeFileSync(b, 'no-owner-yet\n$ORIGIN example.\nkeep IN NS n.\nq IN\n');
    for (const workers of [false, true]) {
      const errors: string[] = [];
      await diffZones(a, b, () => {}, {
        workers,
        workDir: work,
        onError: (side, e) => errors.push(`${side}:${e.line}`),
      });
      assert.deepEqual(errors, ['old:2', 'old:4', 'new:1', 'new:4'], `workers: ${workers}`);
    }
  });

  it('ignores the zone apex NS and glue, reads relative NS targets, and keeps going past malformed entries', async () => {
    const a = join(work, 'a.zone');
    const b = join(work, 'b.zone');
    writeFileSync(
      a,
      [
        '$ORIGIN example.',
        '@ 3600 IN SOA ns hm 2024010101 1 1 1 1',
        '@ IN NS ns',
        'keep IN NS ns1.host.net.',
        'gone IN NS ns1.host.net.',
        'moved IN NS ns1.host.net.',
        'ns1.keep IN A 192.0.2.1',
      ].join('\n'),
    );
    writeFileSync(
      b,
      [
        '$ORIGIN example.',
        '@ 3600 IN SOA ns hm 2024010201 1 1 1 1',
        '@ IN NS ns2',
        'keep IN NS ns1.host.net.',
        'moved IN NS ns.moved',
        'new IN NS ns1.host.net.',
        'broken IN NS',
        'new IN NS ns2.host.net.',
      ].join('\n'),
    );
    const changes: DelegationChange[] = [];
    const errors: string[] = [];
    await diffZones(a, b, (c) => changes.push(c), {
      workDir: work,
      onError: (side, e) => errors.push(`${side}:${e.line}`),
    });
    assert.deepEqual(
      changes.sort((x, y) => x.name.localeCompare(y.name)),
      [
        { name: 'gone.example', change: 'removed', ns: ['ns1.host.net'] },
        { name: 'moved.example', change: 'changed', ns: ['ns.moved.example'], oldNs: ['ns1.host.net'] },
        { name: 'new.example', change: 'added', ns: ['ns1.host.net', 'ns2.host.net'] },
      ],
    );
    assert.deepEqual(errors, ['new:7']);
  });
});

describe('zone diff source', () => {
  let t: TestStore;
  let work: string;
  before(async () => {
    t = await sqliteFactory.open();
    work = mkdtempSync(join(tmpdir(), 'zone-src-'));
  });
  after(async () => {
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('ingests the root-zone diff as delegation observations at the new serial’s date, resumably, once', async () => {
    const source = createZoneDiffSource({ oldPath: OLD, newPath: NEW, workDir: work });
    assert.equal(source.id, 'zone:.');
    // Stop after the first batch, as a crash would.
    const ac = new AbortController();
    const first = await runIngest(source, t.store, {
      batchSize: 100,
      signal: ac.signal,
      onCommitted: () => ac.abort(),
    });
    assert.equal(first.records, 100);
    const second = await runIngest(
      createZoneDiffSource({ oldPath: OLD, newPath: NEW, workDir: work }),
      t.store,
      { batchSize: 100 },
    );
    assert.match(second.resumedFrom ?? '', /^[0-9a-f]{24}:\d+:100$/);
    assert.equal(first.records + second.records, 2 + 18 + 294);
    assert.equal(await t.store.observations.count('zone:.'), 314);

    const all = (await t.store.observations.after(0, 1000)) as unknown as Array<
      Observation<'delegation'> & { seq: number }
    >;
    const added = all.filter((o) => o.payload.change === 'added');
    assert.deepEqual(added.map((o) => o.payload.name).sort(), ADDED);
    assert.ok(all.every((o) => o.observedAt === '2026-08-22T00:00:00.000Z' && o.payload.zone === '.'));

    // Re-ingesting the same pair from scratch is a no-op.
    const again = await runIngest(
      createZoneDiffSource({ oldPath: OLD, newPath: NEW, workDir: work }),
      t.store,
      { ignoreCheckpoint: true },
    );
    assert.equal(again.inserted, 0);
    assert.equal(again.duplicates, 314);
  });

  it('malformed zone entries become dead letters with file and line', async () => {
    const a = join(work, 'm1.zone');
    const b = join(work, 'm2.zone');
    writeFileSync(a, 'test. 60 IN SOA ns hm 2024010101 1 1 1 1\nx.test. 60 IN NS ns.x.test.\n');
    writeFileSync(
      b,
      'test. 60 IN SOA ns hm 2024010201 1 1 1 1\nx.test. 60 IN NS ns.x.test.\ny.test. 60 IN NS\nz.test. 60 IN NS ns.z.test.\n',
    );
    const s = await runIngest(createZoneDiffSource({ oldPath: a, newPath: b, workDir: work }), t.store);
    assert.equal(s.rejected, 1);
    assert.equal(s.inserted, 1);
    const dead = await t.store.observations.deadLetters({ source: 'zone:test' });
    assert.equal(dead[0]?.code, 'PARSE_ERROR');
    assert.match(dead[0]?.reason ?? '', /m2\.zone line 3: NS record without RDATA/);
  });
});
