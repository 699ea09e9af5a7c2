import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type BrandToken, buildParts, type WordHit } from './brand-index.js';
import { type IndexInputs, readPrebuiltIndex, writePrebuiltIndex } from './prebuilt-index.js';

const dir = mkdtempSync(join(tmpdir(), 'prebuilt-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const token = (t: string, maxEdits: number): BrandToken =>
  ({
    token: t,
    skeleton: t,
    brand: { id: t },
    role: 'brand',
    cls: 'distinctive',
    declaredGeneric: false,
    maxEdits,
  }) as unknown as BrandToken;

function inputsOf(maxEdits: number): IndexInputs {
  const tokens = [token('microsoft', maxEdits), token('paypal', 1), token('apple', 0)];
  const wordEntries = [
    ...tokens.map((t) => [t.token, { word: t.token, kind: 'brand', weight: 0, token: t }] as const),
    ['login', { word: 'login', kind: 'lure', weight: 20 }] as const,
    ['secure', { word: 'secure', kind: 'lure', weight: 10 }] as const,
  ] as (readonly [string, WordHit])[];
  return {
    tokens,
    brandEntries: tokens.map((t) => [t.skeleton, t] as const),
    brandFlags: tokens.map(() => 3),
    wordEntries,
    wordFlags: wordEntries.map(([, w]) => (w.kind === 'lure' ? 2 : 1)),
    vocabularyWords: ['login', 'secure', 'account'],
    fuzzyPrefix: 7,
  };
}

describe('prebuilt domain index', () => {
  it('restores tables that answer as the built ones, with the same value objects', () => {
    const inputs = inputsOf(2);
    const built = buildParts(inputs);
    const path = join(dir, 'index.bin');
    writePrebuiltIndex(inputs, built, path);
    const read = readPrebuiltIndex(inputs, path);
    assert.ok(read);
    for (const q of ['micrsoft', 'mircosoft', 'paypa1', 'paypal', 'apple', 'google', 'miсrosoft'])
      assert.deepEqual([...read.fuzzy.candidates(q, 2)], [...built.fuzzy.candidates(q, 2)], q);
    for (const q of ['logn', 'secur', 'acount', 'xyz'])
      assert.deepEqual(
        [...read.vocabularyFuzzy.candidates(q, 1)],
        [...built.vocabularyFuzzy.candidates(q, 1)],
        q,
      );
    assert.deepEqual([...read.fuzzy.candidates('micrsoft', 2)], [inputs.tokens[0]]);
    for (const q of ['paypal', 'apple', 'paypa1'])
      assert.deepEqual([...read.exact.candidates(q, 0)], [...built.exact.candidates(q, 0)], q);
    for (const text of ['login-microsoft-secure', 'paypal-apple', 'nothing-here', 'mіcrosoft']) {
      assert.deepEqual(read.words.matches(text), built.words.matches(text), text);
      assert.deepEqual(read.brandAutomaton.matches(text), built.brandAutomaton.matches(text), text);
      assert.equal(read.words.flags(text), built.words.flags(text), text);
    }
    assert.equal(read.words.matches('login')[0]?.value, inputs.wordEntries[3]?.[1]);
    assert.throws(() => read.fuzzy.add('google', 1, inputs.tokens[0] as BrandToken));
  });

  it('is not used for other inputs, nor when the file is missing or damaged', () => {
    const path = join(dir, 'other.bin');
    writePrebuiltIndex(inputsOf(2), buildParts(inputsOf(2)), path);
    assert.equal(readPrebuiltIndex(inputsOf(1), path), undefined);
    const fewer = { ...inputsOf(2), vocabularyWords: ['login', 'secure'] };
    assert.equal(readPrebuiltIndex(fewer, path), undefined);
    assert.equal(readPrebuiltIndex(inputsOf(2), join(dir, 'missing.bin')), undefined);
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, 'not an index');
    assert.equal(readPrebuiltIndex(inputsOf(2), bad), undefined);
  });
});
