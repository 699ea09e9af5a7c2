import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalHost, generalHost } from './canonical-host.js';

const accepted = (s: string) => {
  const r = canonicalHost(s);
  return r.ok ? r.ascii : `! ${r.reason}`;
};

describe('canonicalHost', () => {
  it('keeps canonical names as they are and canonicalises the rest', () => {
    assert.equal(accepted('login-microsoft.example.com'), 'login-microsoft.example.com');
    assert.equal(accepted('  Login.Example.COM. '), 'login.example.com');
    assert.equal(accepted('*.example.com'), 'example.com');
    assert.equal(accepted('_dmarc.example.com'), '_dmarc.example.com');
    assert.equal(accepted('xn--mcrosoft-c2a.com'), 'xn--mcrosoft-c2a.com');
    assert.equal(accepted('mícrosoft.com'), 'xn--mcrosoft-c2a.com');
    assert.equal(canonicalHost('xn--mcrosoft-c2a.com').ok && canonicalHost('mícrosoft.com').ok, true);
    const idn = canonicalHost('mícrosoft.com');
    assert.equal(idn.ok && idn.unicode, 'mícrosoft.com');
    const plain = canonicalHost('a1.example.org');
    assert.equal(plain.ok && plain.unicode, 'a1.example.org');
  });

  it('rejects what cannot be a host name, saying why', () => {
    assert.match(accepted(''), /empty name/);
    assert.match(accepted('localhost'), /no top-level domain/);
    assert.match(accepted('10.0.0.1'), /IP address/);
    assert.match(accepted('1.2.3.999'), /numeric/);
    assert.match(accepted('[::1]'), /IP address/);
    assert.match(accepted('a..example.com'), /empty label/);
    assert.match(accepted('-a.example.com'), /not a valid DNS label/);
    assert.match(accepted('a-.example.com'), /not a valid DNS label/);
    assert.match(accepted(`${'a'.repeat(64)}.com`), /longer than 63/);
    assert.match(accepted(`${'abcdefghi.'.repeat(26)}com`), /exceeds 253/);
    assert.match(accepted('ex ample.com'), /cannot be in a host name/);
    assert.match(accepted('foo_bar.example.com'), /not a valid DNS label/);
    assert.match(accepted('xn--zz.com'), /not a valid IDNA|not a valid DNS label/);
  });

  // The one-pass fast path must never accept what the general path would change or reject.
  it('answers exactly as the general path on random LDH-like names', () => {
    const alphabet = 'abcxyz0189-._';
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const len = 1 + rand(20);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      if (rand(4) === 0) s = `xn--${s}`;
      if (rand(8) === 0) s = `${'a'.repeat(60 + rand(8))}.${s}`;
      assert.deepEqual(
        JSON.stringify(canonicalHost(s)),
        JSON.stringify(generalHost(s)),
        `fast and general paths disagree on '${s}'`,
      );
    }
  });
});
