import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { articleShot, brandIcon, otherIcon, signInShot } from '../../test/support/images.js';
import { decodeImage, dHash, hashImage, IMAGE_HASH_ALGORITHM, imageHashesOf } from './image-hash.js';

/** A noisy RGBA image with partial transparency, written in the given PNG colour type and filter. */
function noisy(colorType: 0 | 2 | 4 | 6, filterType: number): Buffer {
  const img = new PNG({ width: 53, height: 29 });
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37 + (i >> 5) * 11) % 256;
  return PNG.sync.write(img, { colorType, filterType });
}

describe('image hashes', () => {
  it('the streaming PNG path gives exactly the full decoder’s dHash', () => {
    const images: Buffer[] = [
      brandIcon(48, 12),
      otherIcon(33),
      signInShot(640, 400, 10),
      articleShot(317, 211),
    ];
    for (const colorType of [0, 2, 4, 6] as const)
      for (const filterType of [0, 1, 2, 3, 4]) images.push(noisy(colorType, filterType));
    for (const bytes of images) {
      const full = decodeImage(bytes);
      assert.ok(full);
      assert.equal(hashImage(bytes), dHash(full));
    }
    assert.equal(hashImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5])), undefined);
  });

  it('hashes a capture once, under the current algorithm', () => {
    assert.deepEqual(imageHashesOf({ favicon: brandIcon(48) }), {
      algorithm: IMAGE_HASH_ALGORITHM,
      favicon: hashImage(brandIcon(48)),
    });
    assert.equal(imageHashesOf({}), undefined);
  });
});
