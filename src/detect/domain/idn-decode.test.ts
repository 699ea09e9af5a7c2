import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainToASCII, domainToUnicode } from 'node:url';
import { decodeIdnName, safeLetter } from './idn-decode.js';

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Characters the look-alike names use, and ones the decoder must leave to Node: other scripts, marks,
// Hangul jamo (which compose with each other), upper case (mapped), joiners, RTL letters, digits.
const POOL = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789-',
  ...'àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćčďđēėęěğīıķłńňōőœřśşšţťūůűųźżžɑɡ',
  ...'αβγδεηικλμνοπρστυχωςаеорсухіјѕԁԛԝ',
  ...'ÀÉΑА\u0301\u0308\u1100\u1161\u11a8\u200d\u200c\u05d0\u0627\u0660\u0e01\u00b7\u00df\u03c2\u2126\u212a\u0131',
];

describe('decodeIdnName', () => {
  it('gives what domainToUnicode gives, or leaves the name to it', () => {
    const next = rng(17);
    let decoded = 0;
    for (let n = 0; n < 20000; n++) {
      const labels: string[] = [];
      const count = 1 + Math.floor(next() * 3);
      for (let k = 0; k < count; k++) {
        let label = '';
        const len = 1 + Math.floor(next() * 12);
        for (let i = 0; i < len; i++) label += POOL[Math.floor(next() * POOL.length)];
        labels.push(label);
      }
      const ascii = domainToASCII(`${labels.join('.')}.com`);
      if (ascii === '' || !ascii.includes('xn--') || /[^a-z0-9_.-]/.test(ascii)) continue;
      const fast = decodeIdnName(ascii);
      if (fast === undefined) continue;
      decoded++;
      assert.equal(fast, domainToUnicode(ascii), ascii);
    }
    assert.ok(decoded > 5000, `only ${decoded} names decoded here`);
  });

  it('leaves malformed punycode to domainToUnicode, or decodes it the same way', () => {
    const next = rng(5);
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    for (let n = 0; n < 50000; n++) {
      let label = 'xn--';
      const len = 1 + Math.floor(next() * 14);
      for (let i = 0; i < len; i++) label += chars[Math.floor(next() * chars.length)];
      const name = `${label}.com`;
      const fast = decodeIdnName(name);
      if (fast !== undefined) assert.equal(fast, domainToUnicode(name), name);
    }
  });

  it('decodes the usual look-alikes and refuses what it cannot be sure of', () => {
    assert.equal(decodeIdnName('login.xn--mcrosoft-c2a.com'), 'login.mícrosoft.com');
    assert.equal(
      decodeIdnName('xn--pypal-4ve.xn--80ak6aa92e.com'),
      domainToUnicode('xn--pypal-4ve.xn--80ak6aa92e.com'),
    );
    // A last label read as a number (the URL host parser's IPv4 rule).
    assert.equal(decodeIdnName('xn--mcrosoft-5ya.0x1f'), undefined);
    // Thai: another script.
    assert.equal(decodeIdnName(domainToASCII('ไทย.com')), undefined);
  });

  it('keeps only letters that never compose with a neighbour (NFC stays as it is)', () => {
    const safe: string[] = [];
    for (let cp = 0x80; cp < 0x2000; cp++) if (safeLetter(cp)) safe.push(String.fromCharCode(cp));
    assert.ok(safe.length > 500);
    const before = [...'abcdefghijklmnopqrstuvwxyz0123456789-', ...safe];
    for (const c of safe) for (const b of before) assert.equal(`${b}${c}`.normalize('NFC'), `${b}${c}`);
  });
});
