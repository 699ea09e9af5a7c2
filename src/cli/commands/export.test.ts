import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { publishCase, publisher, seedEntities } from '../../../test/support/published-intel.js';
import { createSqliteStore } from '../../store/sqlite/sqlite-store.js';

describe('precursor export', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-export-'));
  const env = { PRECURSOR_HOME: home };
  before(async () => {
    const store = createSqliteStore({ path: join(home, 'precursor.db') });
    await store.migrate();
    await seedEntities(store, ['domain:lure-a.example', 'domain:lure-b.example', 'domain:amber.example']);
    const at = new Date().toISOString();
    await publishCase(store, publisher(), {
      caseId: 'K-1',
      campaignId: 'C-1',
      keys: ['domain:lure-a.example', 'domain:lure-b.example'],
      at,
    });
    await publishCase(store, publisher(), {
      caseId: 'K-2',
      keys: ['domain:amber.example'],
      tlp: 'amber',
      at,
    });
    await store.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('writes a STIX bundle to stdout and blocking lists to files, within the TLP', async () => {
    const stix = await cli(['export', 'stix'], env);
    assert.equal(stix.code, 0, stix.err);
    const bundle = JSON.parse(stix.out);
    assert.equal(bundle.type, 'bundle');
    assert.ok(!stix.out.includes('amber.example'));
    const out = join(home, 'out', 'zone.rpz');
    const rpz = await cli(['export', 'rpz', '--tlp', 'amber', '--out', out, '--json'], env);
    assert.equal(rpz.code, 0, rpz.err);
    assert.deepEqual(JSON.parse(rpz.out).files, [out]);
    assert.match(readFileSync(out, 'utf8'), /amber\.example/);
    const hosts = await cli(['export', 'hosts'], env);
    assert.match(hosts.out, /^0\.0\.0\.0 lure-a\.example$/m);
    for (const f of ['adblock', 'csv', 'suricata', 'plain']) {
      const r = await cli(['export', f], env);
      assert.equal(r.code, 0, `${f}: ${r.err}`);
      assert.match(r.out, /lure-b\.example/, f);
    }
  });

  it('writes a MISP feed directory and refuses what does not make sense', async () => {
    const dir = join(home, 'misp');
    const r = await cli(['export', 'misp', '--out', dir], env);
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(join(dir, 'manifest.json')));
    assert.ok(readdirSync(dir).length >= 3);
    const noDir = await cli(['export', 'misp'], env);
    assert.equal(noDir.code, 2);
    assert.match(noDir.err, /give --out DIR/);
    const personal = await cli(['export', 'stix', '--personal-data'], env);
    assert.equal(personal.code, 2);
    assert.match(personal.err, /TLP:RED/);
    assert.equal((await cli(['export', 'stix', '--tlp', 'purple'], env)).code, 2);
    assert.equal((await cli(['export', 'stix', '--since', 'yesterday'], env)).code, 2);
    assert.equal((await cli(['export', 'hosts', '--json'], env)).code, 2);
  });
});
