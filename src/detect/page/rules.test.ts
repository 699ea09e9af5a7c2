import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../../../test/support/page-corpus.js';
import { brandIcon, otherIcon } from '../../../test/support/images.js';
import type { Signal } from '../../domain/index.js';
import { brandFromProfile, loadBrandCatalog } from './brand-catalog.js';
import { hamming, hashImage } from '../../evidence/image-hash.js';
import { parseKitRules } from './kit-rules.js';
import { resolvePageConfig } from './page-config.js';
import { applyComboRules, DEFAULT_COMBO_RULES, parseComboRules } from './page-rules.js';

const sig = (id: string, weight = 20): Signal => ({ id, detector: 'page', weight, detail: id, evidence: [] });

describe('combination rules', () => {
  it('boosts gate + clone + lookalike name and damps a lone CAPTCHA', () => {
    const combo = applyComboRules(
      [sig('page.gate.turnstile', 10), sig('page.brand.signin-markers'), sig('domain.homoglyph')],
      DEFAULT_COMBO_RULES,
    );
    assert.ok(combo.some((s) => s.id === 'page.combo.gate-clone-new-name'));
    const lone = applyComboRules(
      [sig('page.gate.turnstile', 10), sig('page.capture.password-field')],
      DEFAULT_COMBO_RULES,
    );
    assert.equal(lone.find((s) => s.id === 'page.gate.turnstile')?.weight, 5);
    assert.ok(!lone.some((s) => s.id.startsWith('page.combo.')));
  });

  it('parses YAML rules and reports the bad field', () => {
    const ok = parseComboRules(
      '- id: x-y\n  description: d\n  when: { all: [a.*] }\n  effect: { add: 10 }\n',
    );
    assert.ok(ok.ok);
    const bad = parseComboRules('- id: x-y\n  description: d\n  when: {}\n  effect: { add: 500 }\n');
    assert.ok(!bad.ok && /effect/.test(bad.error));
    assert.ok(!parseComboRules('[').ok);
  });

  it('validates the page config section', () => {
    assert.equal(
      resolvePageConfig({ weights: { 'page.gate.turnstile': 3 } }).weights['page.gate.turnstile'],
      3,
    );
    assert.equal(resolvePageConfig({ brand: { faviconMaxDistance: 4 } }).brand.minSignInMarkers, 2);
    assert.throws(() => resolvePageConfig({ weights: { x: 1000 } }), /weights/);
  });
});

describe('kit rules', () => {
  it('rejects malformed rules with a path, and bad patterns', () => {
    const noMatch = parseKitRules('id: abc\nname: n\nweight: 10\nmatch: {}\n');
    assert.ok(!noMatch.ok && /match/.test(noMatch.error));
    const badRe = parseKitRules("id: abc\nname: n\nweight: 10\nmatch: { all: [{ html: '(' }] }\n");
    assert.ok(!badRe.ok && /bad pattern/.test(badRe.error));
    const twoFields = parseKitRules(
      "id: abc\nname: n\nweight: 10\nmatch: { all: [{ html: 'a', js: 'b' }] }\n",
    );
    assert.ok(!twoFields.ok);
    assert.ok(
      parseKitRules(
        "- id: abc\n  name: n\n  weight: 10\n  match: { any: [{ header: { name: Server, pattern: 'x' } }] }\n",
      ).ok,
    );
  });
});

describe('brand catalogue', () => {
  it("reads the domain engine's shipped profiles", async () => {
    const { catalog } = await loadBrandCatalog(join(REPO, 'brands'));
    const ms = catalog.brands.find((b) => b.id === 'microsoft');
    if (!ms) return; // profiles are owned by the domain engine; nothing to check without them
    assert.ok(ms.officialDomains.includes('microsoftonline.com'));
    assert.ok(ms.tokens.length > 0);
  });

  it('ignores what it does not understand', () => {
    assert.equal(brandFromProfile(null), undefined);
    assert.equal(brandFromProfile([1, 2]), undefined);
    const b = brandFromProfile({
      id: 'x',
      tokens: [1, 'Foo'],
      page: { faviconHashes: ['zz', '0123456789abcdef'] },
    });
    assert.deepEqual(b?.tokens, ['x', 'foo']);
    assert.deepEqual(b?.faviconHashes, ['0123456789abcdef']);
  });
});

describe('image hash', () => {
  it('matches a rescaled, recoloured icon and not a different one', () => {
    const a = hashImage(brandIcon(32)) ?? '';
    assert.ok(hamming(a, hashImage(brandIcon(64, 15)) ?? '') <= 4);
    assert.ok(hamming(a, hashImage(otherIcon(32)) ?? '') > 10);
  });

  it('decodes an ICO wrapping a PNG and survives garbage', () => {
    const png = brandIcon(32);
    const ico = Buffer.alloc(22 + png.length);
    ico.writeUInt16LE(0, 0);
    ico.writeUInt16LE(1, 2);
    ico.writeUInt16LE(1, 4);
    ico[6] = 32;
    ico[7] = 32;
    ico.writeUInt32LE(png.length, 14);
    ico.writeUInt32LE(22, 18);
    png.copy(ico, 22);
    assert.equal(hashImage(ico), hashImage(png));
    assert.equal(hashImage(Buffer.from('not an image at all')), undefined);
    assert.equal(hashImage(Buffer.concat([png.subarray(0, 40), Buffer.alloc(10)])), undefined);
  });
});
