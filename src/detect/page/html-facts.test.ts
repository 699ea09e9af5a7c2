import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFacts, mergeFacts } from './html-facts.js';

const URL_ = 'https://drop.example.top/';
const FORM =
  '<form action="/p.php" method="post"><input type="email" name="login"><input type="password" name="pw"></form>';

describe('mergeFacts', () => {
  it('counts a form once when the rendered page already shows what its script decodes', () => {
    const page = extractFacts(`<body>${FORM}<script>document.write(atob("…"))</script></body>`, URL_);
    const merged = mergeFacts(page, extractFacts(FORM, URL_));
    assert.equal(merged.forms.length, 1);
    assert.equal(merged.inputs.filter((i) => i.type === 'password').length, 1);
  });

  it('adds a hidden form the page does not show, its inputs numbered past the page’s forms', () => {
    const page = extractFacts('<body><form action="/search"><input name="q"></form></body>', URL_);
    const hidden = extractFacts(`<div>${FORM}${FORM.replace('/p.php', '/q.php')}</div>`, URL_);
    const merged = mergeFacts(page, hidden);
    assert.equal(merged.forms.length, 3);
    assert.deepEqual(
      merged.inputs.filter((i) => i.type === 'password').map((i) => merged.forms[i.form]?.rawAction),
      ['/p.php', '/q.php'],
    );
  });

  it('keeps a decoded form that asks for other fields than the shown one at the same address', () => {
    const page = extractFacts(FORM, URL_);
    const merged = mergeFacts(page, extractFacts(FORM.replace('name="pw"', 'name="otp"'), URL_));
    assert.equal(merged.forms.length, 2);
    assert.equal(merged.inputs.filter((i) => i.form === 1).length, 2);
  });
});
