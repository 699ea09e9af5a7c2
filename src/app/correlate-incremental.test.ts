import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCertstreamSource } from '../ingest/sources/certstream/certstream-source.js';
import { createTenantFileSource } from '../ingest/sources/tenant/tenant-source.js';
import { generateWorld, writeWorld } from '../simulate/index.js';
import type { Store } from '../store/store.js';
import { openApp } from './open-app.js';
import { tenantStageFor } from './tenant-stage-for.js';

/** Campaign members and flagged entities: what an analyst sees of correlation. */
async function snapshot(store: Store) {
  const members = new Set<string>();
  for (const c of await store.campaigns.memberSets()) for (const m of c.members) members.add(m);
  const flagged = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await store.entities.list({ flagged: true, limit: 10_000, ...(after ? { after } : {}) });
    for (const v of page) flagged.add(v.entity.key);
    if (page.length < 10_000) break;
    after = page[page.length - 1]!.entity.key;
  }
  return { members, flagged };
}

describe('incremental correlation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-incremental-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes later arrivals into campaigns as a full recluster of everything would', async () => {
    const world = join(dir, 'w');
    writeWorld(generateWorld({ seed: 1, scale: 'small' }), world);
    // The certstream in two halves: the first before a full run, the second taken in incrementally.
    const lines = readFileSync(join(world, 'certstream.jsonl'), 'utf8').split('\n').filter(Boolean);
    const half = Math.floor(lines.length / 2);
    writeFileSync(join(dir, 'a.jsonl'), `${lines.slice(0, half).join('\n')}\n`);
    writeFileSync(join(dir, 'b.jsonl'), `${lines.slice(half).join('\n')}\n`);

    const app = await openApp({ overrides: { home: join(dir, 'home') } });
    try {
      const p = app.pipeline;
      const quiet = { ignoreCheckpoint: true, correlate: false, review: false } as const;
      await p.ingest(createTenantFileSource({ path: join(world, 'tenant-events.jsonl') }), quiet);
      const stage = tenantStageFor(p.store, app.config);
      await stage.run();
      await stage.persist();
      await p.ingest(createCertstreamSource({ input: join(dir, 'a.jsonl') }), quiet);
      const first = await p.correlate({ force: true });
      assert.equal(first.mode, 'full');
      const before = await snapshot(p.store);

      const r = await p.ingest(createCertstreamSource({ input: join(dir, 'b.jsonl') }), {
        ignoreCheckpoint: true,
        review: false,
      });
      assert.equal(r.correlate?.mode, 'incremental', JSON.stringify(r.correlate));
      const live = await snapshot(p.store);
      assert.ok(live.members.size > before.members.size, 'the campaigns took arrivals in');
      assert.equal(
        await p.store.stages.cursor('correlate'),
        await p.store.stages.cursor('detect'),
        'the stage cursor covers what was taken in',
      );

      const full = await p.correlate({ force: true });
      assert.equal(full.created + full.merged + full.split + full.dissolved, 0, JSON.stringify(full));
      const again = await snapshot(p.store);
      const diff = (a: Set<string>, b: Set<string>) => [...a].filter((k) => !b.has(k));
      assert.deepEqual(diff(live.members, again.members), []);
      assert.deepEqual(diff(again.members, live.members), []);
      assert.deepEqual(diff(live.flagged, again.flagged), []);
      assert.deepEqual(diff(again.flagged, live.flagged), []);
    } finally {
      await app.close();
    }
  });
});
