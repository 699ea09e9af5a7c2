import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashImage, IMAGE_HASH_ALGORITHM } from '../../evidence/image-hash.js';
import type { PageSnapshot } from '../../domain/index.js';
import { brandIcon, signInShot } from '../../../test/support/images.js';
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
      // Bytes that are not an image get the algorithm and no hash: analysis will not try to decode them.
      { ...snap, screenshot: [1, 2, 3], imageHashes: { algorithm: IMAGE_HASH_ALGORITHM } },
    );
    const file = await readFile(join(dir, 'sha256', hash.slice(0, 2), hash));
    assert.equal(sha256(file), hash, 'a stored file verifies against its name');
  });

  it('records the perceptual hashes of screenshot and favicon in the manifest, once', async () => {
    const store = new EvidenceStore(dir);
    const shot = signInShot(640, 400, 10);
    const icon = brandIcon(48, 12);
    const hash = await store.putSnapshot({ ...snap, screenshot: shot, favicon: icon });
    const manifest = await store.manifest(hash);
    assert.deepEqual(manifest?.imageHashes, {
      algorithm: IMAGE_HASH_ALGORITHM,
      screenshot: hashImage(shot),
      favicon: hashImage(icon),
    });
    const back = await store.read(hash);
    assert.equal(back?.imageHashes?.screenshot, hashImage(shot));
    assert.deepEqual([...(back?.favicon ?? [])], [...icon], 'the full evidence by default');
    const lean = await store.read(hash, { images: 'unhashed' });
    assert.equal(lean?.screenshot, undefined, 'analysis needs only the hashes');
    assert.equal(lean?.favicon, undefined);
    assert.equal(lean?.imageHashes?.favicon, hashImage(icon));
    // A capture that already hashed its images is not hashed again (the renderer does it at capture).
    const pre = { algorithm: IMAGE_HASH_ALGORITHM, favicon: '0123456789abcdef' };
    const h2 = await store.putSnapshot({ ...snap, screenshot: shot, favicon: icon, imageHashes: pre });
    assert.deepEqual((await store.manifest(h2))?.imageHashes, pre);
  });

  it('returns undefined for unknown, malformed or non-manifest hashes', async () => {
    const store = new EvidenceStore(dir);
    assert.equal(await store.read('0'.repeat(64)), undefined);
    assert.equal(await store.read('../../etc/passwd'), undefined);
    const blob = await store.put('not a manifest');
    assert.equal(await store.read(blob), undefined);
  });
});
