import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeletionIndex } from './deletion-index.js';
import { classifyEdit, osaDistance } from './edit-distance.js';
import { createSkeletonMap, foldAscii, foldAsciiCodes } from './skeleton.js';
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

describe('hot-path forms of the index structures', () => {
  it('finds the same candidates with a prefix-limited deletion index (a superset at most)', () => {
    const full = new DeletionIndex<string>(2);
    const prefixed = new DeletionIndex<string>(2, 7);
    for (const k of ['microsoftonline', 'mlcrosoft', 'paypal', 'lloydsbankinggroup']) {
      full.add(k, 2, k);
      prefixed.add(k, 2, k);
    }
    for (const q of ['mlcrosoftonllne', 'mcrosoftonline', 'mlcrosft', 'paypa', 'lloydsbanklnggroup', 'xyz'])
      for (const k of full.candidates(q, 2)) assert.ok(prefixed.candidates(q, 2).has(k), `${q} → ${k}`);
  });
  it('answers hasAny / hasAnyCodes like candidates', () => {
    const idx = new DeletionIndex<string>(1, 7);
    idx.add('office', 1, 'o');
    const codes = new Uint16Array(16);
    for (const q of ['offce', 'officex', 'riverstone', 'o']) {
      for (let i = 0; i < q.length; i++) codes[i] = q.charCodeAt(i);
      const expected = idx.candidates(q, 1).size > 0;
      assert.equal(idx.hasAny(q, 0, q.length, 1), expected, q);
      assert.equal(idx.hasAnyCodes(codes, q.length, 1), expected, q);
    }
  });
  it('folds ASCII look-alikes into codes exactly as foldAscii does', () => {
    const out = new Uint16Array(64);
    for (const label of ['rnicrosoft', 'vvells-fargo', 'paypa1', 'clloud', 'rrnn', 'a', 'x-rn-y']) {
      const n = foldAsciiCodes(label, 0, label.length, out);
      assert.equal(String.fromCharCode(...out.subarray(0, n)), foldAscii(label), label);
    }
    assert.equal(foldAsciiCodes('mіcrosoft', 0, 9, out), -1);
  });
  it('maps skeleton offsets back to the label', () => {
    const sk = createSkeletonMap();
    const label = 'rnicros0ft-login';
    const offsets = sk.offsets(label);
    assert.equal(offsets.length, sk.skeleton(label).length + 1);
    // `rn` folds to one `m`, so skeleton position 1 is label position 2.
    assert.equal(offsets[1], 2);
    assert.equal(offsets[offsets.length - 1], label.length);
  });
  it('reports token-kind flags in one automaton pass', () => {
    const ac = new TokenAutomaton<string>(
      [
        ['live', 'brand'],
        ['login', 'lure'],
      ],
      (v) => (v === 'brand' ? 1 : 2),
    );
    assert.equal(ac.flags('olive'), 1);
    assert.equal(ac.flags('secure-login'), 2);
    assert.equal(ac.flags('live-login'), 3);
    assert.equal(ac.flags('river'), 0);
  });
});
