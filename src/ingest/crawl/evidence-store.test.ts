import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PageSnapshot } from '../../detect/page/page-snapshot.js';
import { EvidenceStore, sha256 } from './evidence-store.js';

describe('EvidenceStore', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'precursor-evidence-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const snap: PageSnapshot = {
    url: 'https://a.example/',
    finalUrl: 'https://b.example/x',
    fetchedAt: '2025-01-01T00:00:00.000Z',
    mode: 'render',
    status: 200,
    headers: { server: 'x' },
    redirectChain: ['https://a.example/'],
    html: '<title>t</title>',
    scripts: [{ url: 'https://b.example/a.js', body: 'var a' }],
    requests: [{ url: 'https://b.example/x', type: 'document', status: 200 }],
    console: ['log: hi'],
    screenshot: new Uint8Array([1, 2, 3]),
    crawlerView: { status: 404, finalUrl: 'https://a.example/', html: 'nope' },
  };

  it('round-trips a snapshot under a content address', async () => {
    const store = new EvidenceStore(dir);
    const hash = await store.putSnapshot(snap);
    assert.equal(await store.putSnapshot(snap), hash, 'same capture, same identity');
    const back = await store.read(hash);
    assert.deepEqual(
      { ...back, screenshot: [...(back?.screenshot ?? [])] },
      { ...snap, screenshot: [1, 2, 3] },
    );
    const file = await readFile(join(dir, 'sha256', hash.slice(0, 2), hash));
    assert.equal(sha256(file), hash, 'a stored file verifies against its name');
  });

  it('returns undefined for unknown, malformed or non-manifest hashes', async () => {
    const store = new EvidenceStore(dir);
    assert.equal(await store.read('0'.repeat(64)), undefined);
    assert.equal(await store.read('../../etc/passwd'), undefined);
    const blob = await store.put('not a manifest');
    assert.equal(await store.read(blob), undefined);
  });
});
