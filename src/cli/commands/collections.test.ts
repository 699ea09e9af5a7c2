import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';

describe('precursor collections and partner keys', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-collections-'));
  const env = { PRECURSOR_HOME: home };
  after(() => rmSync(home, { recursive: true, force: true }));

  it('creates a partner key, grants, lists and revokes', async () => {
    const key = await cli(['keys', 'create', '--role', 'reader', '--partner', 'acme', '--json'], env);
    assert.equal(key.code, 0, key.err);
    assert.equal(JSON.parse(key.out).partner, 'acme');
    assert.match((await cli(['keys', 'list'], env)).out, /partner acme/);
    const bad = await cli(['keys', 'create', '--role', 'reader', '--partner', 'Not A Name'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /VALIDATION_FAILED: partner/);

    const g = await cli(['collections', 'grant', 'confirmed', 'acme', '--tlp', 'amber', '--json'], env);
    assert.equal(g.code, 0, g.err);
    assert.equal(JSON.parse(g.out).tlp, 'amber');
    const list = (await cli(['collections', 'list', '--json'], env)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(list.map((c) => c.alias).sort(), ['confirmed', 'partner-submissions']);
    assert.deepEqual(
      list
        .find((c) => c.alias === 'confirmed')
        .grants.map((x: { partner: string; tlp: string }) => [x.partner, x.tlp]),
      [['acme', 'amber']],
    );
    assert.match((await cli(['collections', 'list'], env)).out, /grant acme up to TLP:AMBER/);
    assert.equal((await cli(['collections', 'revoke', 'confirmed', 'acme'], env)).code, 0);
    const again = await cli(['collections', 'revoke', 'confirmed', 'acme'], env);
    assert.equal(again.code, 1);
    assert.match(again.err, /NOT_FOUND/);
    const unknown = await cli(['collections', 'grant', 'nope', 'acme'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no collection 'nope'/);
    const badTlp = await cli(['collections', 'grant', 'confirmed', 'acme', '--tlp', 'purple'], env);
    assert.equal(badTlp.code, 2);
  });
});
