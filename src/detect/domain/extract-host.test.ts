import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractHosts } from './extract-host.js';

const hosts = (line: string) => {
  const r = extractHosts(line);
  assert.ok(r.ok, `expected hosts from ${line}`);
  return r.hosts;
};

describe('extractHosts', () => {
  it('takes a bare name, dropping a path or port', () => {
    assert.deepEqual(hosts(' example.com '), ['example.com']);
    assert.deepEqual(hosts('example.com/login?x=1'), ['example.com']);
    assert.deepEqual(hosts('example.com:8443'), ['example.com']);
  });
  it('takes the host of a URL, without user info or port', () => {
    assert.deepEqual(hosts('https://user:pw@Login.Example.com:8443/a?b#c'), ['Login.Example.com']);
  });
  it('refangs defanged indicators', () => {
    assert.deepEqual(hosts('hxxps://evil[.]example[.]com/x'), ['evil.example.com']);
  });
  it('reads certstream messages (data.leaf_cert.all_domains)', () => {
    const line = JSON.stringify({
      message_type: 'certificate_update',
      data: { leaf_cert: { all_domains: ['a.com', '*.a.com'] } },
    });
    assert.deepEqual(hosts(line), ['a.com', '*.a.com']);
  });
  it('reads plain JSON objects with a domain or url field', () => {
    assert.deepEqual(hosts('{"domain":"x.org"}'), ['x.org']);
    assert.deepEqual(hosts('{"url":"https://y.org/p"}'), ['y.org']);
  });
  it('skips blank lines and comments', () => {
    assert.deepEqual(hosts(''), []);
    assert.deepEqual(hosts('# comment'), []);
  });
  it('reports bad JSON and hostless lines as values', () => {
    const bad = extractHosts('{not json');
    assert.equal(bad.ok, false);
    assert.equal(bad.ok ? '' : bad.code, 'PARSE_ERROR');
    const none = extractHosts('{"foo":1}');
    assert.equal(none.ok ? '' : none.code, 'NO_HOST');
    assert.equal(extractHosts('two words').ok, false);
    assert.equal(extractHosts('http:///nohost').ok, false);
  });
});
