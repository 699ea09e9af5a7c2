import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../test/support/cli.js';
import { signInShot } from '../../test/support/images.js';
import { publishCase, publisher, seedEntities } from '../../test/support/published-intel.js';
import { EvidenceStore } from '../ingest/crawl/evidence-store.js';
import { createSqliteStore } from '../store/sqlite/sqlite-store.js';

describe('precursor report campaign', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-report-'));
  const env = { PRECURSOR_HOME: home };
  let snapshotHash = '';
  before(async () => {
    const store = createSqliteStore({ path: join(home, 'precursor.db') });
    await store.migrate();
    const evidence = new EvidenceStore(join(home, 'evidence'));
    snapshotHash = await evidence.putSnapshot({
      url: 'https://login-micros0ft.example/',
      finalUrl: 'https://login-micros0ft.example/o365/',
      fetchedAt: '2026-11-19T10:00:00.000Z',
      mode: 'fetch',
      status: 200,
      headers: {},
      redirectChain: [],
      html: '<form><input type=password></form>',
      scripts: [],
      requests: [],
      console: [],
      screenshot: signInShot(),
    });
    const at = '2026-11-18T08:00:00.000Z';
    await seedEntities(store, [
      'domain:login-micros0ft.example',
      'domain:portal-micros0ft.example',
      'email:ops@mailbox.example',
    ]);
    await store.entities.upsert([
      {
        key: 'domain:login-micros0ft.example',
        type: 'domain',
        display: 'login-micros0ft.example',
        seenAt: at,
        attrs: {
          registrar: 'Example Registrar, Inc.',
          abuseEmail: 'abuse@registrar.example',
          registeredAt: '2026-11-17T00:00:00Z',
          dns: { a: ['203.0.113.9'], ns: ['ns1.host.example'] },
        },
      },
      {
        key: 'ip:203.0.113.9',
        type: 'ip',
        display: '203.0.113.9',
        seenAt: at,
        attrs: { abuseEmail: 'abuse@host.example', network: 'Example Hosting' },
      },
      {
        key: `snapshot:sha256:${snapshotHash}`,
        type: 'snapshot',
        display: 'https://login-micros0ft.example/o365/',
        seenAt: at,
      },
      {
        key: 'cert:sha256:c0ffee',
        type: 'cert',
        display: 'login-micros0ft.example (R3)',
        seenAt: at,
        attrs: {
          issuer: "Let's Encrypt R3",
          notBefore: '2026-11-17T12:00:00Z',
          notAfter: '2027-02-15T12:00:00Z',
        },
      },
    ]);
    await store.entities.upsertLinks([
      {
        from: 'domain:login-micros0ft.example',
        to: 'ip:203.0.113.9',
        pivot: 'resolves-to',
        strength: 0.6,
        seenAt: at,
        provenance: 'enrich',
      },
      {
        from: 'domain:login-micros0ft.example',
        to: `snapshot:sha256:${snapshotHash}`,
        pivot: 'serves',
        strength: 1,
        seenAt: at,
        provenance: 'crawl',
      },
      {
        from: 'cert:sha256:c0ffee',
        to: 'domain:login-micros0ft.example',
        pivot: 'cert-name',
        strength: 0.9,
        seenAt: at,
        provenance: 'ct',
      },
    ]);
    const members = [
      'domain:login-micros0ft.example',
      'domain:portal-micros0ft.example',
      'email:ops@mailbox.example',
    ] as const;
    await store.campaigns.save([
      {
        id: 'C-raccoon',
        name: 'raccoon-o365',
        state: 'active',
        risk: 92,
        flagged: true,
        firstSeen: '2026-11-17T00:00:00.000Z',
        lastSeen: '2026-11-19T10:00:00.000Z',
        updatedAt: '2026-11-19T10:00:00.000Z',
        memberCount: 3,
        counts: { domain: 2, email: 1 },
        topPivots: [],
        explanation: 'two lookalikes on one certificate, paid from one account (ops@mailbox.example)',
        members: members.map((key) => ({
          key,
          type: key.startsWith('email') ? 'email' : 'domain',
          display: key.slice(key.indexOf(':') + 1),
          score: 91,
          flagged: true,
        })),
        pivots: [],
        growth: [],
        leadTime: null,
      },
    ]);
    await store.campaigns.appendEvents([
      { campaignId: 'C-raccoon', at: '2026-11-17T01:00:00.000Z', kind: 'created', detail: '2 members' },
    ]);
    await publishCase(store, publisher(), {
      caseId: 'K-1',
      campaignId: 'C-raccoon',
      keys: [...members],
      at: '2026-11-19T12:00:00.000Z',
    });
    await store.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('writes a self-contained HTML report, JSON, screenshots and abuse reports per registrar and host', async () => {
    const out = join(home, 'r');
    const r = await cli(['report', 'campaign', 'C-raccoon', '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out);
    assert.equal(summary.sites, 2);
    assert.equal(summary.abuseReports, 2);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /raccoon-o365/);
    assert.match(html, /data:image\/png;base64,/);
    assert.match(html, new RegExp(snapshotHash));
    assert.match(html, /Example Registrar/);
    assert.match(html, /Let&#39;s Encrypt R3/);
    assert.match(html, /published/);
    assert.ok(!/<script/i.test(html), 'no script in an exhibit');
    assert.ok(!html.includes('ops@mailbox.example'), 'personal data is redacted below TLP:RED');
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assert.equal(json.campaign.id, 'C-raccoon');
    assert.ok(json.timeline.some((t: { event: string }) => t.event === 'created'));
    const files: string[] = summary.files;
    const registrar = files.find((f) => f.includes('abuse/registrar-') && f.endsWith('.txt')) as string;
    const host = files.find((f) => f.includes('abuse/host-') && f.endsWith('.txt')) as string;
    assert.match(readFileSync(registrar, 'utf8'), /^To: abuse@registrar\.example\nSubject: \[Phishing\]/);
    assert.match(readFileSync(host, 'utf8'), /^To: abuse@host\.example/);
    const xarf = JSON.parse(readFileSync(files.find((f) => f.endsWith('.xarf.json')) as string, 'utf8'));
    assert.equal(xarf.xarf_version, '4.0.0');
    assert.equal(xarf.category, 'content');
    assert.equal(xarf.type, 'phishing');
    assert.ok(files.some((f) => f.endsWith('.png') && existsSync(f)));
  });

  it('is NOT_FOUND for an unknown campaign and refuses personal data below TLP:RED', async () => {
    const missing = await cli(['report', 'campaign', 'C-nope', '--out', join(home, 'x')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /CAMPAIGN_NOT_FOUND/);
    const personal = await cli(['report', 'campaign', 'C-raccoon', '--personal-data'], env);
    assert.equal(personal.code, 2);
    const red = await cli(
      ['report', 'campaign', 'C-raccoon', '--tlp', 'red', '--personal-data', '--out', join(home, 'red')],
      env,
    );
    assert.equal(red.code, 0, red.err);
    assert.match(readFileSync(join(home, 'red', 'report.html'), 'utf8'), /ops@mailbox\.example/);
  });
});
