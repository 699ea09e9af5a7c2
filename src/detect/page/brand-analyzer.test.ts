import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandIcon, otherIcon } from '../../../test/support/images.js';
import type { PageSnapshot } from '../../domain/index.js';
import { hashImage, IMAGE_HASH_ALGORITHM, imageHashesOf } from '../../evidence/image-hash.js';
import { createPageAnalyzer } from './analyze-page.js';

describe('brand analyzer and image hashes', () => {
  it('analysis reads the hashes recorded at capture instead of decoding the images', () => {
    const analyzer = createPageAnalyzer({
      brands: {
        brands: [
          {
            id: 'acme',
            name: 'Acme',
            tokens: [],
            officialDomains: ['acme.example'],
            signInMarkers: [],
            assetHosts: [],
            faviconHashes: [hashImage(brandIcon(48)) ?? ''],
            screenshotHashes: [],
          },
        ],
      },
    });
    const base: PageSnapshot = {
      url: 'https://x.example/',
      finalUrl: 'https://x.example/',
      fetchedAt: '2025-01-01T00:00:00.000Z',
      mode: 'render',
      headers: {},
      redirectChain: [],
      html: '<title>x</title>',
      scripts: [],
      requests: [],
      console: [],
      favicon: otherIcon(32),
    };
    const ids = (s: PageSnapshot) => analyzer.analyze(s).signals.map((x) => x.id);
    assert.ok(!ids(base).includes('page.brand.favicon-match'), 'the bytes themselves do not match');
    const stored = { algorithm: IMAGE_HASH_ALGORITHM, favicon: hashImage(brandIcon(48)) ?? '' };
    assert.ok(ids({ ...base, imageHashes: stored }).includes('page.brand.favicon-match'), 'stored hash used');
    const stale = { ...stored, algorithm: 'dhash64-old' };
    assert.ok(
      !ids({ ...base, imageHashes: stale }).includes('page.brand.favicon-match'),
      'a hash made another way is ignored and the image decoded',
    );
    assert.deepEqual(imageHashesOf({ favicon: brandIcon(48) }), stored);
  });
});
