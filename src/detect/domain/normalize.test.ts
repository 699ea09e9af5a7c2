import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHost, normalizePlainHost } from './normalize.js';

const ok = (input: string) => {
  const r = normalizeHost(input);
  assert.ok(r.ok, `expected ${input} to normalise, got ${r.ok ? '' : r.reason}`);
  return r;
};
const code = (input: string) => {
  const r = normalizeHost(input);
  assert.equal(r.ok, false, `expected ${input} to be rejected`);
  return r.ok ? undefined : r.code;
};

describe('normalizeHost', () => {
  it('lower-cases, drops the trailing dot and a wildcard', () => {
    const r = ok('*.Login.Example.CO.UK.');
    assert.equal(r.ascii, 'login.example.co.uk');
    assert.equal(r.registrable, 'example.co.uk');
    assert.equal(r.suffix, 'co.uk');
    assert.deepEqual(r.labels, ['login', 'example']);
    assert.equal(r.wildcard, true);
  });
  it('decodes punycode to Unicode and encodes Unicode to punycode (UTS #46)', () => {
    const a = ok('xn--80ak6aa92e.com');
    assert.equal(a.unicode, 'аррӏе.com');
    assert.equal(a.isIdn, true);
    const b = ok('аррӏе.com');
    assert.equal(b.ascii, 'xn--80ak6aa92e.com');
    assert.equal(b.registrableLabel, 'аррӏе');
  });
  it('maps full-width and upper-case Unicode as browsers do', () => {
    assert.equal(ok('ＥＸＡＭＰＬＥ.com').ascii, 'example.com');
  });
  it('keeps mixed-script labels (they are evidence, not errors)', () => {
    const r = ok('micrоsoft.com'); // Cyrillic о
    assert.match(r.ascii, /^xn--/);
    assert.equal(r.unicode, 'micrоsoft.com');
  });
  it('rejects punycode that fails to decode', () => {
    assert.equal(code('xn--zzzzzzzz.com'), 'INVALID_PUNYCODE');
    assert.equal(code('xn--.com'), 'INVALID_PUNYCODE');
  });
  it('rejects punycode that decodes to plain ASCII (RFC 5891)', () => {
    assert.equal(code('xn--microsoft-.com'), 'INVALID_PUNYCODE');
  });
  it('rejects empty labels, over-long labels and names', () => {
    assert.equal(code('a..b.com'), 'EMPTY_LABEL');
    assert.equal(code('.example.com'), 'EMPTY_LABEL');
    assert.equal(code(`${'a'.repeat(64)}.com`), 'LABEL_TOO_LONG');
    assert.equal(code(`${'abcdefghi.'.repeat(26)}com`), 'TOO_LONG');
    assert.equal(code('   '), 'EMPTY');
  });
  it('rejects non-LDH garbage', () => {
    assert.equal(code('micro$oft.com'), 'INVALID_CHARACTERS');
    assert.equal(code('-abc.com'), 'INVALID_CHARACTERS');
    assert.equal(code('exa mple.com'), 'INVALID_CHARACTERS');
  });
  it('rejects IP addresses and bare public suffixes', () => {
    assert.equal(code('192.0.2.7'), 'IP_ADDRESS');
    assert.equal(code('co.uk'), 'NO_REGISTRABLE_DOMAIN');
  });
});

describe('normalizePlainHost (the one-pass form for plain names)', () => {
  it('gives what the general path gives, or leaves the name to it', () => {
    // A trailing dot sends a name down the general path, which drops it: both must agree.
    for (const name of [
      'example.com',
      'login.secure-auth.top',
      'a.b.c.example.co.uk',
      'example.co.uk',
      '_dmarc.example.com',
      'x.kawasaki.jp',
      'a.x.kawasaki.jp',
      'city.kawasaki.jp',
      'www.ck',
      'a.b.ck',
      'foo.blogspot.com',
      'a.github.io',
      'localhost',
      'co.uk',
      'a-.com',
      'a.b-',
      'abc.com1',
      'xn--80ak6aa92e.com',
      'axn--b.com',
      'UPPER.com',
      `${'a'.repeat(63)}.com`,
      `${'a'.repeat(64)}.com`,
      '*.example.com',
      '*.a.b.example.co.uk',
      '*.co.uk',
      '*.*.example.com',
      '*.xn--80ak6aa92e.com',
      'login.xn--80ak6aa92e.com',
      'a.b.xn--80ak6aa92e.co.uk',
      'xn--80ak6aa92e.xn--p1ai',
      'xn--p1ai',
      'a.xn--p1ai',
      'xn--80ak6aa92e.kawasaki.jp',
      'xn--zzzzzzzz.com',
      'xn--.com',
      'xn--microsoft-.com',
      'xn--80ak6aa92e.xn--zzzzzzzz',
      'xn--80ak6aa92e-.com',
      'xn--80ak6aa92e.com1',
      'xn--80ak6aa92e.xn--80ak6aa92e.com',
      'a.xn--80ak6aa92e.b.xn--p1ai',
      'xn--80ak6aa92e.xn--microsoft-.com',
    ]) {
      const fast = normalizePlainHost(name);
      const general = normalizeHost(`${name}.`);
      if (fast !== undefined) assert.deepEqual(fast, general, name);
      else if (general.ok) assert.deepEqual(normalizeHost(name), general, name);
      else assert.equal((normalizeHost(name) as { code: string }).code, general.code, name);
    }
  });
});
