import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../test/support/cli.js';
import { publishCase, publisher, seedEntities } from '../../test/support/published-intel.js';
import { RunSchema } from '../config/run-schema.js';
import { createSqliteStore } from '../store/sqlite/sqlite-store.js';
import { openApp } from './open-app.js';
import { createEnrichRound } from './run/enrich-round.js';

const FIXTURES = new URL('../../test/fixtures/rdap', import.meta.url).pathname;
const ARIN = readFileSync(`${FIXTURES}/ip-206.41.110.0.json`, 'utf8');
const vcard = (fn: string, email?: string) => [
  'vcard',
  [['version', {}, 'text', '4.0'], ['fn', {}, 'text', fn], ...(email ? [['email', {}, 'text', email]] : [])],
];
const RIPE_V6 = JSON.stringify({
  objectClassName: 'ip network',
  handle: '2A00:1450::/29',
  startAddress: '2a00:1450::',
  endAddress: '2a00:1457:ffff:ffff:ffff:ffff:ffff:ffff',
  name: 'EXAMPLE-V6-NET',
  country: 'IE',
  entities: [
    { handle: 'ORG-EX1-RIPE', roles: ['registrant'], vcardArray: vcard('Example Hosting Ltd') },
    { handle: 'AR1-RIPE', roles: ['abuse'], vcardArray: vcard('Abuse-C', 'abuse@v6host.example') },
  ],
});

/**
 * From RDAP of IP networks to abuse reports per hosting provider: `precursor enrich --flagged` looks
 * up the networks the flagged domains resolve to (a loopback RDAP server stands in for ARIN and RIPE
 * NCC), and `precursor report campaign` writes one report per network abuse contact, each naming only
 * the addresses in that network.
 */
describe('abuse reports per hosting provider', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-host-report-'));
  const env = { PRECURSOR_HOME: home };
  const hits: string[] = [];
  let server: Server;
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.push(path);
      res.setHeader('content-type', 'application/rdap+json');
      if (path.startsWith('/arin/ip/206.41.110.')) res.end(ARIN);
      else if (path.startsWith('/ripe/ip/2a00:1450:')) res.end(RIPE_V6);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(home, 'dns.json'), JSON.stringify({ services: [[['example'], [`${base}/dom/`]]] }));
    writeFileSync(
      join(home, 'ipv4.json'),
      JSON.stringify({ services: [[['206.0.0.0/8'], [`${base}/arin/`]]] }),
    );
    writeFileSync(
      join(home, 'ipv6.json'),
      JSON.stringify({ services: [[['2a00::/12'], [`${base}/ripe/`]]] }),
    );

    const store = createSqliteStore({ path: join(home, 'precursor.db') });
    await store.migrate();
    const at = '2026-11-18T08:00:00.000Z';
    const domains = ['domain:login-micros0ft.example', 'domain:portal-micros0ft.example'] as const;
    await seedEntities(store, [...domains]);
    const resolves = (from: string, ip: string) => ({
      from: from as `domain:${string}`,
      to: `ip:${ip}` as const,
      pivot: 'resolves-to' as const,
      strength: 0.5,
      seenAt: at,
      provenance: 'enrich',
    });
    await store.entities.upsert(
      ['206.41.110.9', '2a00:1450:4001::9', '206.41.110.10'].map((ip) => ({
        key: `ip:${ip}` as const,
        type: 'ip' as const,
        display: ip,
        seenAt: at,
      })),
    );
    await store.entities.upsertLinks([
      resolves(domains[0], '206.41.110.9'),
      resolves(domains[0], '2a00:1450:4001::9'),
      resolves(domains[1], '206.41.110.10'),
    ]);
    await store.campaigns.save([
      {
        id: 'C-hosts',
        name: 'two-hosts',
        state: 'active',
        risk: 90,
        flagged: true,
        firstSeen: '2026-11-17T00:00:00.000Z',
        lastSeen: '2026-11-19T10:00:00.000Z',
        updatedAt: '2026-11-19T10:00:00.000Z',
        memberCount: 2,
        counts: { domain: 2 },
        topPivots: [],
        explanation: 'two lookalikes on one network',
        members: domains.map((key) => ({
          key,
          type: 'domain' as const,
          display: key.slice(7),
          score: 90,
          flagged: true,
        })),
        pivots: [],
        growth: [],
        leadTime: null,
      },
    ]);
    await publishCase(store, publisher(), {
      caseId: 'K-hosts',
      campaignId: 'C-hosts',
      keys: [...domains],
      at: '2026-11-19T12:00:00.000Z',
    });
    await store.close();
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(home, { recursive: true, force: true });
  });

  it('enrich --flagged looks up the networks of the resolved addresses, one request per network', async () => {
    const r = await cli(
      [
        'enrich',
        '--flagged',
        '--no-dns',
        '--bootstrap',
        join(home, 'dns.json'),
        '--ipv4-bootstrap',
        join(home, 'ipv4.json'),
        '--ipv6-bootstrap',
        join(home, 'ipv6.json'),
        '--rdap-interval',
        '0',
        '--timeout',
        '2000',
        '--json',
      ],
      env,
    );
    assert.equal(r.code, 0, r.err);
    // Two domains (RDAP 404: an answer) and three addresses.
    assert.equal(JSON.parse(r.out).inserted, 5);
    assert.equal(hits.filter((p) => p.startsWith('/arin/')).length, 1, 'one request covers the /24');
    assert.equal(hits.filter((p) => p.startsWith('/ripe/')).length, 1);
  });

  it("the run's enrichment round looks up the same networks, from run.enrich settings", async () => {
    const settings = RunSchema.parse({
      enrich: {
        enabled: true,
        dns: false,
        bootstrap: join(home, 'dns.json'),
        ipv4Bootstrap: join(home, 'ipv4.json'),
        ipv6Bootstrap: join(home, 'ipv6.json'),
        timeoutMs: 2000,
      },
    }).enrich;
    assert.equal(settings.ipRdap, true);
    assert.equal(RunSchema.safeParse({ enrich: { ipv4Bootstrapp: 'x' } }).success, false, 'unknown key');
    const app = await openApp({ env: env });
    try {
      hits.length = 0;
      const round = createEnrichRound(app, settings, home);
      assert.equal(await round(new AbortController().signal), 2);
      assert.deepEqual(
        [
          hits.filter((p) => p.startsWith('/arin/')).length,
          hits.filter((p) => p.startsWith('/ripe/')).length,
        ],
        [1, 1],
      );
      const ip = await app.pipeline.store.entities.get('ip:206.41.110.10');
      assert.equal(ip?.attrs.abuseEmail, 'neteng@unitedix.net');
      assert.equal(ip?.attrs.rir, '127.0.0.1');
    } finally {
      await app.close();
    }
  });

  it('report campaign writes one abuse report per hosting network contact, with its own addresses', async () => {
    const out = join(home, 'r');
    const r = await cli(['report', 'campaign', 'C-hosts', '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out);
    assert.equal(summary.abuseReports, 2);
    const files: string[] = summary.files;
    const text = (needle: string) =>
      readFileSync(files.find((f) => f.includes(needle) && f.endsWith('.txt')) as string, 'utf8');
    const arin = text('abuse/host-united-ix-');
    assert.match(arin, /^To: neteng@unitedix\.net\nSubject: \[Phishing\] 2 sites hosted at United-IX/);
    assert.match(arin, /Hosted at: 206\.41\.110\.9 \(network 206\.41\.110\.0\/24, NET-206-41-110-0-1\)/);
    assert.match(arin, /Hosted at: 206\.41\.110\.10 /);
    assert.doesNotMatch(arin, /2a00:1450/);
    const ripe = text('abuse/host-example-hosting-ltd-');
    assert.match(
      ripe,
      /^To: abuse@v6host\.example\nSubject: \[Phishing\] 1 site hosted at Example Hosting Ltd/,
    );
    assert.match(ripe, /login-micros0ft\[\.\]example/);
    assert.doesNotMatch(ripe, /portal-micros0ft|206\.41\.110/);
    const xarf = JSON.parse(
      readFileSync(
        files.find((f) => f.includes('host-example-hosting-ltd-') && f.endsWith('.xarf.json')) as string,
        'utf8',
      ),
    );
    assert.equal(xarf.source_identifier, '2a00:1450:4001::9');
    assert.equal(xarf.hosting_provider, 'Example Hosting Ltd');
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const login = json.sites.find((s: { domain: string }) => s.domain === 'login-micros0ft.example');
    assert.deepEqual(
      login.hosts.map((h: { abuseEmail: string; addresses: string[] }) => [h.abuseEmail, h.addresses]),
      [
        ['neteng@unitedix.net', ['206.41.110.9']],
        ['abuse@v6host.example', ['2a00:1450:4001::9']],
      ],
    );
    assert.ok(
      json.facts.some(
        (f: { entity: string; label: string }) => f.entity === 'ip:206.41.110.9' && f.label === 'network',
      ),
    );
  });
});
