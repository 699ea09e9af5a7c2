import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sqliteFactory, type TestStore } from '../../../test/support/stores.js';
import { ConfigSchema } from '../../config/config-schema.js';
import { DetectorRegistry } from '../../detect/registry.js';
import { createPipeline } from '../pipeline.js';
import { readNewZonePairs, zoneSnapshots } from './zone-watch.js';

/** A snapshot of zone `example` on day `d` delegating `names`. */
const snapshot = (dir: string, d: number, names: string[]) =>
  writeFileSync(
    join(dir, `example.2024-01-0${d}.zone`),
    [
      '$ORIGIN example.',
      `@ 3600 IN SOA ns hm 2024010${d}01 1 1 1 1`,
      '@ IN NS ns',
      ...names.map((n) => `${n} IN NS ns1.host.net.`),
    ].join('\n'),
  );

describe('zone snapshots directory as a feed', () => {
  let t: TestStore;
  let dir: string;
  before(async () => {
    t = await sqliteFactory.open();
    dir = mkdtempSync(join(tmpdir(), 'zone-watch-'));
  });
  after(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('diffs each new snapshot against the one before, from the newest pair on, and resumes', async () => {
    const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), ConfigSchema.parse({}));
    const signal = new AbortController().signal;
    const seen: string[] = [];
    const read = () =>
      readNewZonePairs(pipeline, dir, '.zone', {
        signal,
        onCommitted: (obs) => {
          for (const o of obs)
            seen.push(`${(o.payload as { change: string }).change} ${(o.payload as { name: string }).name}`);
        },
      });
    assert.equal(await read(), 0, 'no pair yet');
    snapshot(dir, 1, ['old-a']);
    snapshot(dir, 2, ['old-a', 'day2']);
    snapshot(dir, 3, ['old-a', 'day2', 'day3']);
    writeFileSync(join(dir, 'README.txt'), 'not a snapshot');
    assert.equal(zoneSnapshots(dir, '.zone').length, 3);
    // A first start watches from now: the newest pair only, not day 2's history.
    assert.equal(await read(), 1);
    assert.deepEqual(seen, ['added day3.example']);
    // Nothing new: the checkpoint's pair is read to its end, nothing again.
    await read();
    assert.deepEqual(seen, ['added day3.example']);
    // Two more days arrive between polls: both pairs, in order.
    snapshot(dir, 4, ['old-a', 'day2', 'day3', 'day4']);
    snapshot(dir, 5, ['day2', 'day3', 'day4', 'day5']);
    assert.equal(await read(), 3, 'the checkpoint pair (already done), then the two new ones');
    assert.deepEqual(seen.slice(1).sort(), [
      'added day4.example',
      'added day5.example',
      'removed old-a.example',
    ]);
    assert.equal(await t.store.observations.count('zone:example'), 4);
  });

  it('takes old and new, or a dir, in the run configuration', () => {
    const feeds = (f: object) => ConfigSchema.safeParse({ run: { feeds: [{ type: 'zone', ...f }] } }).success;
    assert.equal(feeds({ dir: '/var/zones/com' }), true);
    assert.equal(feeds({ old: 'a.zone', new: 'b.zone' }), true);
    assert.equal(feeds({}), false);
    assert.equal(feeds({ old: 'a.zone' }), false);
    assert.equal(feeds({ dir: '/var/zones/com', old: 'a.zone', new: 'b.zone' }), false);
    assert.equal(feeds({ dir: '/var/zones/com', every: 5 }), false, 'unknown keys stay errors');
  });
});
