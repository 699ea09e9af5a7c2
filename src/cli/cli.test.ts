import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from './exit-codes.js';
import { cli } from '../../test/support/cli.js';

describe('precursor CLI', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-cli-'));
  const file = join(home, 'names.txt');
  writeFileSync(file, 'alpha-login.com\nnot valid!!\nbeta.org\n');

  it('prints help and version with exit 0, and usage errors with exit 2', async () => {
    const h = await cli(['--help']);
    assert.equal(h.code, EXIT.OK);
    assert.match(h.out, /ingest/);
    assert.match(h.out, /dead-letters/);
    assert.equal((await cli(['ingest', 'list', '--help'])).code, EXIT.OK);
    assert.equal((await cli(['--version'])).code, EXIT.OK);
    assert.equal((await cli(['entities', '--bogus'])).code, EXIT.USAGE);
    assert.equal((await cli(['entities', '--type', 'planet'])).code, EXIT.USAGE);
    assert.equal((await cli(['nope'])).code, EXIT.USAGE);
    assert.equal((await cli(['keys', 'create'])).code, EXIT.USAGE, '--role is mandatory');
  });

  it('ingests a list (exit 3 when lines were rejected) and lists what it stored', async () => {
    const r = await cli(['--home', home, 'ingest', 'list', file, '--json']);
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const s = JSON.parse(r.out) as { inserted: number; rejected: number; detect: { entities: number } };
    assert.equal(s.inserted, 2);
    assert.equal(s.rejected, 1);
    const e = await cli(['--home', home, 'entities', '--type', 'domain', '--json']);
    assert.equal(e.code, EXIT.OK);
    const rows = e.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string });
    assert.deepEqual(
      rows.map((x) => x.key),
      ['domain:alpha-login.com', 'domain:beta.org'],
    );
    const d = await cli(['--home', home, 'dead-letters', '--json']);
    const dl = JSON.parse(d.out.trim()) as { position: string; code: string };
    assert.equal(dl.position, 'line 2');
    assert.equal(dl.code, 'INVALID_VALUE');
    const again = await cli(['--home', home, 'ingest', 'list', file, '--json']);
    assert.equal(again.code, EXIT.OK, 'resumed at the end: nothing read, nothing rejected');
    assert.equal((JSON.parse(again.out) as { records: number }).records, 0);
  });

  it('creates keys once, lists them without secrets, revokes them', async () => {
    const c = await cli(['--home', home, 'keys', 'create', '--role', 'reader', '--json']);
    assert.equal(c.code, EXIT.OK);
    const k = JSON.parse(c.out) as { id: string; key: string };
    assert.match(k.key, /^pcr_[0-9a-f]{12}_/);
    const l = await cli(['--home', home, 'keys', 'list', '--json']);
    assert.ok(!l.out.includes(k.key));
    assert.equal((await cli(['--home', home, 'keys', 'revoke', k.id])).code, EXIT.OK);
    assert.equal((await cli(['--home', home, 'keys', 'revoke', k.id])).code, EXIT.FAILURE);
  });

  it('reports an unreachable database with exit 4 and a bad config with exit 2', async () => {
    const r = await cli(['--database-url', 'postgres://nobody@127.0.0.1:1/none', 'entities']);
    assert.equal(r.code, EXIT.UNAVAILABLE, r.err);
    assert.match(r.err, /STORE_UNAVAILABLE/);
    const cfg = join(home, 'bad.yaml');
    writeFileSync(cfg, 'scoring:\n  flag: 500\n');
    const b = await cli(['--config', cfg, 'entities']);
    assert.equal(b.code, EXIT.USAGE);
    assert.match(b.err, /scoring\.flag/);
  });
});
