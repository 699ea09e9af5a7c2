import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandIndex, markersIn } from './brand-index.js';
import type { PageBrand } from './brand-catalog.js';
import { telegramBots } from './exfil-analyzer.js';
import { base64Runs } from './gate-analyzer.js';

/** A deterministic pseudo-random text over a small alphabet, so that patterns overlap often. */
function text(seed: number, n: number, alphabet: string): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

const brand = (signInMarkers: string[]): PageBrand => ({
  id: 'b',
  name: 'B',
  tokens: [],
  officialDomains: [],
  signInMarkers,
  assetHosts: [],
  faviconHashes: [],
  screenshotHashes: [],
});

describe('hand-written scanners equal the obvious implementation', () => {
  it('markersIn finds exactly the markers that `includes` finds (prefixes, overlaps, several texts)', () => {
    const markers = ['abab', 'aba', 'bab', 'abc', 'cab', 'bca', 'abcab', 'ccc', 'a.b', 'a|b'];
    const index = brandIndex({ brands: [brand(markers)] });
    for (let seed = 1; seed < 300; seed++) {
      const texts = [text(seed, 40, 'abc.|'), text(seed * 7, 25, 'abc')];
      const want = markers.filter((m) => texts.some((t) => t.includes(m))).sort();
      assert.deepEqual([...markersIn(index, texts)].sort(), want, texts.join(' / '));
    }
  });

  it('telegramBots finds what the token pattern finds', () => {
    const re = /(?<!\d)(\d{6,12}):([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g;
    const secret = 'AAHq3v7TqXr9s_fakeTokenForTests1234';
    const cases = [
      `x 5823412907:${secret} y`,
      `5823412907:${secret}`,
      `12345:${secret}`,
      `1234567890123:${secret}`,
      `a1234567:${secret}x`,
      `1234567:${secret.slice(0, 34)}"`,
      `"123456:${secret}","7654321:${secret}-"`,
      `::${'1'.repeat(8)}:${secret}:${secret}`,
    ];
    for (let seed = 1; seed < 200; seed++) cases.push(text(seed, 400, '0123456789:abAB_-'));
    for (const c of cases) {
      const got = new Set<string>();
      telegramBots(c, got);
      assert.deepEqual([...got], [...new Set([...c.matchAll(re)].map((m) => m[1]))], c.slice(0, 80));
    }
  });

  it('base64Runs finds every maximal run of 800+ base64 characters, in order', () => {
    const naive = (s: string): string[] =>
      [...s.matchAll(/[A-Za-z0-9+/]+/g)].map((m) => m[0]).filter((r) => r.length >= 800);
    const pieces = ['A'.repeat(799), 'B'.repeat(800), 'C'.repeat(1601), ' ', '=', 'x'.repeat(2400)];
    for (let seed = 1; seed < 200; seed++) {
      let s = '';
      for (let i = 0; i < 6; i++) s += pieces[(seed * (i + 3)) % pieces.length] + (seed % 3 ? ' ' : '');
      const got: string[] = [];
      base64Runs(s, got);
      assert.deepEqual(got, naive(s).slice(0, 20));
    }
  });
});
