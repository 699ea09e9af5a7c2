import assert from 'node:assert/strict';
import { it } from 'node:test';
import { publishCase, publisher, seedEntities } from '../../test/support/published-intel.js';
import { stixErrors } from '../../test/support/stix-schemas.js';
import { describeEachStore } from '../../test/support/stores.js';
import { ConfigSchema } from '../config/config-schema.js';
import { runExport } from './export-service.js';

const config = ConfigSchema.parse({ share: { rpz: { origin: 'rpz.example.net' } } });
const NOW = new Date('2026-11-22T00:00:00.000Z');

describeEachStore('exports of published intel', (t, skip) => {
  it('exports every format within the TLP, leaves revoked and expired out, keeps the RPZ serial', {
    skip,
  }, async () => {
    await seedEntities(t.store, [
      'domain:lure-a.example',
      'domain:lure-b.example',
      'domain:amber.example',
      'url:https://lure-a.example/login',
      'domain:old.example',
    ]);
    const p = publisher();
    await publishCase(t.store, p, {
      caseId: 'K-1',
      campaignId: 'C-1',
      keys: ['domain:lure-a.example', 'domain:lure-b.example', 'url:https://lure-a.example/login'],
      at: '2026-11-20T12:00:00.000Z',
    });
    await publishCase(t.store, p, {
      caseId: 'K-2',
      keys: ['domain:amber.example'],
      tlp: 'amber',
      at: '2026-11-20T12:00:00.000Z',
    });
    await publishCase(t.store, p, {
      caseId: 'K-3',
      keys: ['domain:old.example'],
      at: '2026-09-01T00:00:00.000Z',
    });
    const run = (
      format: Parameters<typeof runExport>[2]['format'],
      tlp: 'green' | 'amber' | 'red' = 'green',
      extra = {},
    ) => runExport(t.store, config, { format, tlp, actor: 'cli:test', now: NOW, ...extra });

    const stix = await run('stix');
    const bundle = JSON.parse(stix.files[0]?.content ?? '{}');
    for (const o of bundle.objects) assert.deepEqual(stixErrors(o), [], JSON.stringify(o));
    const patterns = bundle.objects
      .filter((o: { type: string }) => o.type === 'indicator')
      .map((o: { pattern: string }) => o.pattern);
    assert.equal(patterns.length, 4);
    assert.ok(!patterns.some((x: string) => x.includes('amber.example')));
    assert.equal(stix.counts.campaigns, 1);
    const since = await run('stix', 'green', { since: '2026-11-01T00:00:00.000Z' });
    assert.ok(!(since.files[0]?.content ?? '').includes('old.example'));

    const rpz1 = await run('rpz');
    const zone = rpz1.files[0]?.content ?? '';
    assert.match(zone, /^lure-a\.example\s.*CNAME\s+\.$/m);
    assert.match(zone, /^\*\.lure-b\.example\s.*CNAME\s+\.$/m);
    assert.ok(!zone.includes('old.example'), 'an expired indicator is left out');
    assert.ok(!zone.includes('amber.example'));
    assert.match((await run('rpz', 'amber')).files[0]?.content ?? '', /amber\.example/);
    const serial = (z: string) => Number(/SOA\s+\S+\s+\S+\s+\(?\s*(\d+)/.exec(z)?.[1]);
    assert.equal(
      serial((await run('rpz')).files[0]?.content ?? ''),
      serial(zone),
      'same content, same serial',
    );
    await t.store.transaction((tx) =>
      p.revoke(tx, { caseId: 'K-1', at: '2026-11-21T00:00:00.000Z', actor: 'cli:test', reason: 'takedown' }),
    );
    const rpz2 = (await run('rpz')).files[0]?.content ?? '';
    assert.ok(!rpz2.includes('lure-a.example'), 'a revoked indicator leaves the zone');
    assert.ok(serial(rpz2) > serial(zone));
    for (const format of ['hosts', 'adblock', 'plain', 'csv', 'suricata'] as const) {
      const out = await run(format, 'amber');
      assert.ok(out.files[0]?.content.includes('amber.example'), format);
      assert.ok(!out.files[0]?.content.includes('lure-a.example'), format);
    }
    const misp = await run('misp');
    assert.ok(misp.files.some((f) => f.name === 'manifest.json'));
    assert.ok(misp.files.some((f) => f.name === 'hashes.csv'));
    await assert.rejects(run('stix', 'green', { includePersonalData: true }), /only be exported at TLP:RED/);
    const audit = (await t.store.audit.list({ limit: 1000 })).filter((a) => a.action.startsWith('export.'));
    assert.ok(audit.length >= 10);
    assert.deepEqual(audit[0]?.detail.tlp, 'green');
    assert.equal(audit[0]?.actor, 'cli:test');
  });

  it('exports one campaign: its indicators only, its own RPZ serial, an unknown id refused', {
    skip,
  }, async () => {
    await seedEntities(t.store, ['domain:camp-a.example', 'domain:camp-b.example', 'domain:lone.example']);
    const p = publisher();
    await publishCase(t.store, p, {
      caseId: 'K-10',
      campaignId: 'C-10',
      keys: ['domain:camp-a.example', 'domain:camp-b.example'],
      at: '2026-11-20T12:00:00.000Z',
    });
    await publishCase(t.store, p, {
      caseId: 'K-11',
      keys: ['domain:lone.example'],
      at: '2026-11-20T12:00:00.000Z',
    });
    const run = (format: 'stix' | 'rpz' | 'misp', extra = {}) =>
      runExport(t.store, config, { format, tlp: 'green', actor: 'cli:test', now: NOW, ...extra });
    const full = await run('stix');
    assert.ok(full.files[0]?.content.includes('lone.example'));
    const one = await run('stix', { campaign: 'C-10' });
    const bundle = JSON.parse(one.files[0]?.content ?? '{}');
    for (const o of bundle.objects) assert.deepEqual(stixErrors(o), [], JSON.stringify(o));
    const patterns = bundle.objects
      .filter((o: { type: string }) => o.type === 'indicator')
      .map((o: { pattern: string }) => o.pattern)
      .join(' ');
    assert.match(patterns, /camp-a\.example/);
    assert.match(patterns, /camp-b\.example/);
    assert.ok(!patterns.includes('lone.example'), 'another case’s indicator stays out');
    const serial = (z: string) => Number(/SOA\s+\S+\s+\S+\s+\(?\s*(\d+)/.exec(z)?.[1]);
    const zone = (await run('rpz')).files[0]?.content ?? '';
    const campZone = (await run('rpz', { campaign: 'C-10' })).files[0]?.content ?? '';
    assert.match(campZone, /^camp-a\.example\s/m);
    assert.ok(!campZone.includes('lone.example'));
    assert.equal(
      serial((await run('rpz')).files[0]?.content ?? ''),
      serial(zone),
      'a campaign zone leaves the full zone’s serial alone',
    );
    const misp = await run('misp', { campaign: 'C-10' });
    assert.ok(!misp.files.some((f) => f.content.includes('lone.example')));
    await assert.rejects(run('stix', { campaign: 'C-nope' }), /no campaign C-nope/);
    const audit = (await t.store.audit.list({ limit: 1000 })).filter((a) => a.detail.campaign === 'C-10');
    assert.ok(audit.length >= 3, 'the audit says which campaign was exported');
  });
});
