import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadBrandProfiles } from './brand-profiles.js';
import { createDomainEngine, type DomainEngine } from './engine.js';
import { defaultBrandsDir, packageRoot } from './package-paths.js';

// Fixtures: dnstwist permutations of five Microsoft domains and the Tranco top 50k (see
// test/fixtures/domain/SOURCE.md). The figures per fuzzer come from bench/domain-recall.ts.
const fixtures = join(packageRoot(), 'test', 'fixtures', 'domain');
const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

let engine: DomainEngine;
before(() => {
  engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
});

describe('recall on dnstwist permutations', () => {
  it('flags at least 98% of the permutations the brand does not own', () => {
    const dir = join(fixtures, 'permutations');
    let total = 0;
    let flagged = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
      const original = file.replace(/\.txt$/, '');
      for (const name of lines(join(dir, file))) {
        if (name === original) continue;
        const r = engine.score(name);
        assert.ok(r.ok, `${name} rejected: ${r.ok ? '' : r.reason}`);
        if (r.signals.some((s) => s.id === 'domain.brand-owned')) continue;
        total++;
        if (r.flagged) flagged++;
      }
    }
    assert.ok(total > 27_000, `expected the full permutation set, got ${total}`);
    const recall = flagged / total;
    assert.ok(recall >= 0.98, `recall ${(100 * recall).toFixed(2)}% (${flagged}/${total}) is below 98%`);
  });

  it('does not flag the names Microsoft owns, though the permutation engine emits them', () => {
    for (const owned of [
      'microsoftonline.com',
      'microsoft.com',
      'office.com',
      'live.com',
      'outlook.com',
      'microsoft.net',
      'office.net',
      'live.net',
    ]) {
      const r = engine.score(owned);
      assert.ok(r.ok && !r.flagged, owned);
    }
  });
});

describe('false positives on the Tranco top 50k', () => {
  it('flags at most 0.3% of popular domains', () => {
    const names = lines(join(fixtures, 'tranco-top-50k.txt'));
    assert.ok(names.length > 50_000);
    let scored = 0;
    const flagged: string[] = [];
    for (const name of names) {
      const r = engine.score(name);
      if (!r.ok) continue;
      scored++;
      if (r.flagged) flagged.push(name);
    }
    const rate = flagged.length / scored;
    assert.ok(
      rate <= 0.003,
      `FP rate ${(100 * rate).toFixed(3)}% (${flagged.length}): ${flagged.slice(0, 20).join(', ')}`,
    );
  });
});
