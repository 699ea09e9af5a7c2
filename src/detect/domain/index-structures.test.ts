import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeletionIndex } from './deletion-index.js';
import { classifyEdit, osaDistance } from './edit-distance.js';
import { createSkeletonMap, foldAscii } from './skeleton.js';
import { TokenAutomaton } from './token-automaton.js';

describe('osaDistance', () => {
  it('counts edits and adjacent transpositions, with an early exit', () => {
    assert.equal(osaDistance('microsoft', 'microsoft', 2), 0);
    assert.equal(osaDistance('microsoft', 'mircosoft', 2), 1);
    assert.equal(osaDistance('microsoft', 'micrsft', 2), 2);
    assert.equal(osaDistance('microsoft', 'paypal', 2), 3);
  });
  it('names single edits as permutation engines do', () => {
    assert.equal(classifyEdit('microsoft', 'micosoft').kind, 'omission');
    assert.equal(classifyEdit('microsoft', 'microsoft1').kind, 'addition');
    assert.equal(classifyEdit('microsoft', 'miccrosoft').kind, 'repetition');
    assert.equal(classifyEdit('microsoft', 'micxrosoft').kind, 'insertion');
    assert.equal(classifyEdit('microsoft', 'mircosoft').kind, 'transposition');
    assert.equal(classifyEdit('microsoft', 'micrasoft').kind, 'vowel-swap');
    assert.equal(classifyEdit('microsoft', 'mic2osoft').kind, 'bitsquatting');
    assert.equal(classifyEdit('microsoft', 'micrpsoft').kind, 'replacement');
  });
});

describe('DeletionIndex', () => {
  it('finds keys within the distance and not beyond', () => {
    const idx = new DeletionIndex<string>(2);
    idx.add('microsoft', 2, 'ms');
    idx.add('paypal', 1, 'pp');
    assert.deepEqual([...idx.candidates('micrsft', 2)], ['ms']);
    assert.deepEqual([...idx.candidates('paypa', 1)], ['pp']);
    assert.deepEqual([...idx.candidates('pyp', 1)], []);
  });
  it('matches every single and double deletion, adjacent equal letters included', () => {
    const idx = new DeletionIndex<string>(2);
    idx.add('abcdef', 2, 'k');
    for (const q of [
      'abcdef',
      'bcdef',
      'abcde',
      'acdf',
      'abef',
      'aabcdef',
      'abcdeff',
      'bacdef',
      'abxdef',
      'xabcdefy',
    ])
      assert.deepEqual([...idx.candidates(q, 2)], ['k'], q);
    const one = new DeletionIndex<string>(1);
    one.add('abcdef', 1, 'k');
    assert.deepEqual([...one.candidates('abxyef', 1)], []);
  });
});

describe('TokenAutomaton', () => {
  it('finds every token occurrence in one pass, overlapping ones too', () => {
    const ac = new TokenAutomaton([
      ['live', 'live'],
      ['olive', 'olive'],
      ['microsoft', 'ms'],
      ['soft', 'soft'],
    ]);
    const found = ac.matches('olive-microsoft').map((m) => `${m.value}@${m.start}-${m.end}`);
    assert.deepEqual(found.sort(), ['live@1-5', 'ms@6-15', 'olive@0-5', 'soft@11-15']);
    assert.deepEqual(ac.matches('nothing-here'), []);
  });
});

describe('skeletons', () => {
  const s = createSkeletonMap();
  it('maps UTS #39 confusables, diacritics and Latin variants to the same skeleton', () => {
    const target = s.skeleton('microsoft');
    for (const lookalike of ['mіcrosoft', 'micrоsoft', 'mícrosoft', 'ṁicrosoft', 'microsofƫ'])
      assert.equal(s.skeleton(lookalike), target, lookalike);
    assert.notEqual(s.skeleton('macrosoft'), target);
  });
  it('folds ASCII look-alikes', () => {
    assert.equal(foldAscii('rnicrosoft'), foldAscii('microsoft'));
    assert.equal(foldAscii('0ffice'), foldAscii('office'));
    assert.equal(foldAscii('vvells'), foldAscii('wells'));
    assert.notEqual(foldAscii('paypal'), foldAscii('paypol'));
  });
  it('names the confused characters', () => {
    assert.deepEqual(s.confusedChars('pаypal'), ['а']);
  });
});
