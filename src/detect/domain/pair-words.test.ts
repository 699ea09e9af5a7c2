import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBrandProfiles } from './brand-profiles.js';
import { createDomainEngine, type DomainEngine, type DomainScore } from './engine.js';
import { defaultBrandsDir } from './package-paths.js';

let engine: DomainEngine;
before(() => {
  engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
});
const score = (name: string): DomainScore => {
  const r = engine.score(name);
  assert.ok(r.ok, name);
  return r;
};

describe('look-alike letter pairs inside an English word', () => {
  it('are the word’s spelling, not a disguised brand letter', () => {
    // `corner` spells its own `rn`: `baycorner` is not `bancomer` (`m` from `rn`, plus one edit).
    const honest = score('baycorner.com');
    assert.ok(!honest.signals.some((s) => s.id === 'domain.homoglyph'), JSON.stringify(honest.signals));
    // A pair standing in no word still reads as the brand's letter.
    for (const n of ['rnicrosoftomline.com', 'mythervvallet.com']) {
      const r = score(n);
      assert.ok(
        r.signals.some((s) => s.id === 'domain.homoglyph' && /letter pairs/.test(s.detail)),
        n,
      );
    }
  });
});
