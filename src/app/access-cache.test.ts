import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ApiKeyRecord, IntelGrant } from '../store/store.js';
import { ACCESS_TTL_MS, AccessCache } from './access-cache.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function fakeStore() {
  const keys = new Map<string, ApiKeyRecord>();
  const grants: IntelGrant[] = [];
  const calls = { byHash: 0, grants: 0, collections: 0 };
  const store = {
    keys: {
      byHash: async (h: string) => {
        calls.byHash++;
        return keys.get(h);
      },
    },
    intel: {
      grants: async (f: { partner?: string }) => {
        calls.grants++;
        return grants.filter((g) => g.partner === f.partner);
      },
      collections: async () => {
        calls.collections++;
        return [];
      },
    },
  };
  return { store: store as never, keys, grants, calls };
}

const key = (id: string, revokedAt: string | null = null): ApiKeyRecord => ({
  id,
  label: id,
  role: 'reader',
  hash: sha(id),
  createdAt: '2026-11-20T00:00:00.000Z',
  revokedAt,
  partner: null,
});

describe('access cache', () => {
  it('verifies a key once per time-to-live and sees a revocation after it', async () => {
    const f = fakeStore();
    let now = 1_000_000;
    const cache = new AccessCache(f.store, () => now);
    f.keys.set(sha('secret'), key('k1'));
    assert.equal((await cache.key('secret'))?.id, 'k1');
    assert.equal((await cache.key('secret'))?.id, 'k1');
    assert.equal(f.calls.byHash, 1);
    f.keys.set(sha('secret'), key('k1', '2026-11-20T01:00:00.000Z'));
    now += ACCESS_TTL_MS - 1;
    assert.equal((await cache.key('secret'))?.id, 'k1', 'within the time-to-live');
    now += 1;
    assert.equal(await cache.key('secret'), undefined, 'revoked once it expired');
    assert.equal(await cache.key('secret'), undefined);
    assert.equal(f.calls.byHash, 3, 'a revoked key is looked up every time, never cached');
  });

  it('never caches an unknown secret, so a key created elsewhere works at once', async () => {
    const f = fakeStore();
    const cache = new AccessCache(f.store, () => 0);
    assert.equal(await cache.key('new'), undefined);
    f.keys.set(sha('new'), key('k2'));
    assert.equal((await cache.key('new'))?.id, 'k2');
  });

  it('keeps grants per partner and forgets everything on clear', async () => {
    const f = fakeStore();
    const cache = new AccessCache(f.store, () => 0);
    assert.deepEqual(await cache.grants('acme'), []);
    f.grants.push({
      collectionId: 'c',
      partner: 'acme',
      tlp: 'green',
      grantedAt: '2026-11-20T00:00:00.000Z',
      grantedBy: 'test',
    });
    assert.deepEqual(await cache.grants('acme'), [], 'cached');
    cache.clear();
    assert.equal((await cache.grants('acme'))[0]?.tlp, 'green');
    assert.equal(f.calls.grants, 2);
  });
});
