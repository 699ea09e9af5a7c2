import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-config-'));
  it('has documented defaults', () => {
    const c = loadConfig({ env: {}, cwd: dir });
    assert.equal(c.server.port, 8080);
    assert.equal(c.server.host, '127.0.0.1');
    assert.equal(c.scoring.flag, 50);
    assert.equal(c.home, join(dir, '.precursor'));
    assert.equal(c.crawl.allowPrivate, false);
  });
  it('reads precursor.yaml and lets the environment win', () => {
    writeFileSync(join(dir, 'precursor.yaml'), 'server:\n  port: 9000\nscoring:\n  flag: 60\n');
    const c = loadConfig({ env: { PRECURSOR_PORT: '9100', PRECURSOR_ALLOW_PRIVATE: 'true' }, cwd: dir });
    assert.equal(c.server.port, 9100);
    assert.equal(c.scoring.flag, 60);
    assert.equal(c.crawl.allowPrivate, true);
  });
  it('names the bad key', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'server:\n  prot: 1\n');
    assert.throws(() => loadConfig({ file: f, env: {}, cwd: dir }), /CONFIG|server/);
    writeFileSync(f, '- a list\n');
    assert.throws(() => loadConfig({ file: f, env: {}, cwd: dir }), /mapping/);
    assert.throws(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {}, cwd: dir }), /cannot read/);
  });
  it('reads the pivot model section strictly', () => {
    const f = join(dir, 'pivots.yaml');
    writeFileSync(
      f,
      'pivots:\n  strengths:\n    same-kit: 0.8\n    same-ip: { hosting: 0.6 }\n  sharedFloor: 0.05\n',
    );
    const c = loadConfig({ file: f, env: {}, cwd: dir });
    assert.deepEqual(c.pivots, {
      strengths: { 'same-kit': 0.8, 'same-ip': { hosting: 0.6 } },
      sharedFloor: 0.05,
    });
    assert.deepEqual(
      loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'precursor-config-')) }).pivots,
      {},
    );
    for (const bad of [
      'pivots:\n  strengths:\n    same-thing: 0.5\n',
      'pivots:\n  strengths:\n    same-ip: { cgnat: 0.5 }\n',
      'pivots:\n  strengths:\n    same-ip: 0.5\n',
      'pivots:\n  strengths:\n    same-kit: 2\n',
      'pivots:\n  weights: {}\n',
    ]) {
      writeFileSync(f, bad);
      assert.throws(() => loadConfig({ file: f, env: {}, cwd: dir }), { code: 'CONFIG_INVALID' }, bad);
    }
  });
});
