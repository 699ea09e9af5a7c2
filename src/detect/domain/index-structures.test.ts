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
  it('keeps, indexed by length, exactly the candidates whose length is within their distance', () => {
    const keys: [string, number][] = [
      ['microsoftonline', 2],
      ['mlcrosoft', 2],
      ['paypal', 1],
      ['office', 1],
      ['lloydsbankinggroup', 2],
      ['outlook', 2],
    ];
    const plain = new DeletionIndex<string>(2, 7);
    const byLength = new DeletionIndex<string>(2, 7, true);
    const budget = new Map(keys);
    for (const [k, d] of keys) {
      plain.add(k, d, k);
      byLength.add(k, d, k);
    }
    const codes = new Uint16Array(64);
    for (const q of [
      'mlcrosoftonllne',
      'micros',
      'microsoftonlinexyz',
      'paypa',
      'paypall',
      'paypalsecure',
      'outlok',
      'outlookmail',
      'offce',
      'xyz',
    ]) {
      const expected = [...plain.candidates(q, 2)].filter(
        (k) => Math.abs(k.length - q.length) <= (budget.get(k) as number),
      );
      assert.deepEqual([...byLength.candidates(q, 2)].sort(), expected.sort(), q);
      for (let i = 0; i < q.length; i++) codes[i] = q.charCodeAt(i);
      assert.equal(byLength.hasAny(q, 0, q.length, 2), expected.length > 0, q);
      assert.equal(byLength.hasAnyCodes(codes, q.length, 2), expected.length > 0, q);
      const found: string[] = [];
      byLength.collectCodes(codes, q.length, 2, found);
      assert.deepEqual(found.sort(), expected.sort(), q);
    }
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

describe('hot-path forms, second round', () => {
  /** Full-matrix OSA distance, the reference for the banded one. */
  function reference(a: string, b: string): number {
    const d: number[][] = [];
    for (let i = 0; i <= a.length; i++) d.push(new Array<number>(b.length + 1).fill(0));
    for (let i = 0; i <= a.length; i++) (d[i] as number[])[0] = i;
    for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) {
        const row = d[i] as number[];
        const up = d[i - 1] as number[];
        let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1);
        v = Math.min(v, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
        row[j] = v;
      }
    return (d[a.length] as number[])[b.length] as number;
  }

  it('computes OSA distance in a band around the diagonal exactly (capped at max + 1)', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const word = (n: number): string => {
      let w = '';
      for (let i = 0; i < n; i++) w += 'abcab-'[Math.floor(rnd() * 6)];
      return w;
    };
    for (let k = 0; k < 3000; k++) {
      const a = word(Math.floor(rnd() * 12));
      let b = a;
      for (let e = Math.floor(rnd() * 4); e > 0; e--) {
        const p = Math.floor(rnd() * (b.length + 1));
        const op = rnd();
        if (op < 0.25) b = b.slice(0, p) + word(1) + b.slice(p);
        else if (op < 0.5) b = b.slice(0, p) + b.slice(p + 1);
        else if (op < 0.75) b = b.slice(0, p) + word(1) + b.slice(p + 1);
        else b = b.slice(0, p) + (b[p + 1] ?? '') + (b[p] ?? '') + b.slice(p + 2);
      }
      if (rnd() < 0.2) b = word(Math.floor(rnd() * 12));
      for (const max of [1, 2, 3])
        assert.equal(osaDistance(a, b, max), Math.min(reference(a, b), max + 1), `${a} ${b} ${max}`);
    }
  });

  it('answers hasAnyCodes at an offset like candidates on the substring', () => {
    const idx = new DeletionIndex<string>(2, 7);
    for (const k of ['microsoftonline', 'paypal', 'office', 'lloydsbankinggroup']) idx.add(k, 2, k);
    const codes = new Uint16Array(64);
    for (const q of ['xx-micrsoftonline', 'ab-paypa', 'z-offce', 'q-riverstone', 'r-lloydsbanklnggroup']) {
      for (let i = 0; i < q.length; i++) codes[i] = q.charCodeAt(i);
      const from = q.indexOf('-') + 1;
      const rest = q.slice(from);
      for (const d of [0, 1, 2]) {
        const expected = idx.candidates(rest, d).size > 0;
        assert.equal(idx.hasAnyCodes(codes, rest.length, d, from), expected, `${q} ${d}`);
        const found: string[] = [];
        idx.collectCodes(codes, rest.length, d, found, from);
        assert.deepEqual(new Set(found), idx.candidates(rest, d), `${q} ${d}`);
      }
    }
  });

  it('scans into buffers exactly what matches returns, and reports how many when they are too small', () => {
    const ac = new TokenAutomaton([
      ['live', 'live'],
      ['olive', 'olive'],
      ['microsoft', 'ms'],
      ['soft', 'soft'],
      ['o', 'o'],
    ]);
    for (const text of ['olive-microsoft', 'nothing', 'oooo', '']) {
      const starts = new Int32Array(32);
      const ends = new Int32Array(32);
      const values: string[] = [];
      const n = ac.scan(text, starts, ends, values);
      const expected = ac.matches(text);
      assert.equal(n, expected.length, text);
      for (let k = 0; k < n; k++)
        assert.deepEqual(
          { start: starts[k], end: ends[k], value: values[k] },
          expected[k] as { start: number; end: number; value: string },
          text,
        );
    }
    assert.equal(ac.scan('oooo', new Int32Array(2), new Int32Array(2), []), 4);
  });
});

describe('folding in one pass', () => {
  it('folds any ASCII text into codes as foldAscii does, hyphens kept or dropped', () => {
    let seed = 11;
    const out = new Uint16Array(64);
    for (let k = 0; k < 5000; k++) {
      let text = '';
      for (let n = k % 13; n > 0; n--) {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        text += 'rnmvwclduie01q-'[seed % 15];
      }
      const n = foldAsciiCodes(text, 0, text.length, out);
      assert.equal(String.fromCharCode(...out.subarray(0, n)), foldAscii(text), text);
      const d = foldAsciiCodes(text, 0, text.length, out, true);
      assert.equal(String.fromCharCode(...out.subarray(0, d)), foldAscii(text.replaceAll('-', '')), text);
    }
  });
});
