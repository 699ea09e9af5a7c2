import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sqliteFactory, type TestStore } from '../../../test/support/stores.js';
import { shippedIpBootstrap } from '../../app/rdap-bootstrap.js';
import type { Observation } from '../../domain/index.js';
import { extract } from '../extract.js';
import { runIngest } from '../run-ingest.js';
import type { DnsResolver } from './dns-resolve.js';
import { createEnrichSource } from './enrich-source.js';
import {
  canonicalIp,
  createIpRdapClient,
  ipNetworkFacts,
  ipRdapBaseFor,
  isSpecialPurposeIp,
  parseIpRdapBootstrap,
} from './rdap-ip.js';

const FIXTURES = new URL('../../../test/fixtures/rdap', import.meta.url).pathname;
const read = (f: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8'));
const ARIN = read('ip-206.41.110.0.json');
const APNIC = read('ip-101.203.88.0.json');
const vcard = (fn: string, email?: string) => [
  'vcard',
  [['version', {}, 'text', '4.0'], ['fn', {}, 'text', fn], ...(email ? [['email', {}, 'text', email]] : [])],
];
/** RIPE NCC's shape (RFC 9083 §5.4): start/end addresses, the abuse contact at the top level. */
const RIPE_V6 = {
  objectClassName: 'ip network',
  handle: '2A00:1450::/29',
  startAddress: '2a00:1450::',
  endAddress: '2a00:1457:ffff:ffff:ffff:ffff:ffff:ffff',
  ipVersion: 'v6',
  name: 'EXAMPLE-V6-NET',
  type: 'ALLOCATED-BY-RIR',
  country: 'ie',
  entities: [
    {
      objectClassName: 'entity',
      handle: 'ORG-EX1-RIPE',
      roles: ['registrant'],
      vcardArray: vcard('Example Hosting Ltd'),
    },
    {
      objectClassName: 'entity',
      handle: 'AR1-RIPE',
      roles: ['abuse'],
      vcardArray: vcard('Abuse-C', 'abuse@v6host.example'),
    },
  ],
};

describe('IP network RDAP: parsing and bootstrap', () => {
  it('reads range, name, registrant, country and the abuse contact, nested (ARIN) or not (APNIC, RIPE)', () => {
    const arin = ipNetworkFacts(ARIN);
    assert.deepEqual(arin?.facts, {
      network: 'CHIX',
      networkHandle: 'NET-206-41-110-0-1',
      networkCidr: ['206.41.110.0/24'],
      networkStart: '206.41.110.0',
      networkEnd: '206.41.110.255',
      networkType: 'DIRECT ALLOCATION',
      registrant: 'United-IX',
      abuseEmail: 'neteng@unitedix.net',
    });
    assert.equal(arin?.range?.block.check('206.41.110.77', 'ipv4'), true);
    assert.equal(arin?.range?.block.check('206.41.111.1', 'ipv4'), false);
    const apnic = ipNetworkFacts(APNIC)?.facts;
    assert.equal(apnic?.abuseEmail, 'hostmaster@nic.ad.jp');
    assert.equal(apnic?.country, 'JP');
    assert.equal(apnic?.network, 'BBIXINTLNET');
    assert.deepEqual(apnic?.networkCidr, ['101.203.88.0/21']);
    const ripe = ipNetworkFacts(RIPE_V6);
    assert.equal(ripe?.facts.abuseEmail, 'abuse@v6host.example');
    assert.equal(ripe?.facts.registrant, 'Example Hosting Ltd');
    assert.equal(ripe?.facts.country, 'IE');
    assert.deepEqual(ripe?.facts.networkCidr, ['2a00:1450:: - 2a00:1457:ffff:ffff:ffff:ffff:ffff:ffff']);
    assert.equal(ripe?.range?.block.check('2a00:1451::9', 'ipv6'), true);
    // Not an ip network object: nothing (the client turns it into a failed lookup).
    for (const bad of [null, 'x', [], {}, { errorCode: 500, title: 'oops' }])
      assert.equal(ipNetworkFacts(bad), undefined);
    // Hostile shapes do not throw.
    assert.deepEqual(
      ipNetworkFacts({ objectClassName: 'ip network', entities: [{ roles: 'abuse' }, 7] })?.facts,
      {},
    );
  });

  it('routes IPv4 and IPv6 addresses to their RIR with the shipped IANA bootstrap files', () => {
    const b = parseIpRdapBootstrap(
      JSON.parse(readFileSync(shippedIpBootstrap('ipv4'), 'utf8')),
      JSON.parse(readFileSync(shippedIpBootstrap('ipv6'), 'utf8')),
    );
    assert.equal(ipRdapBaseFor(b, '206.41.110.1'), 'https://rdap.arin.net/registry/');
    assert.equal(ipRdapBaseFor(b, '101.203.88.5'), 'https://rdap.apnic.net/');
    assert.equal(ipRdapBaseFor(b, '193.0.6.139'), 'https://rdap.db.ripe.net/');
    assert.equal(ipRdapBaseFor(b, '200.3.14.10'), 'https://rdap.lacnic.net/rdap/');
    assert.equal(ipRdapBaseFor(b, '196.216.2.1'), 'https://rdap.afrinic.net/rdap/');
    assert.equal(ipRdapBaseFor(b, '2a00:1450:4001::1'), 'https://rdap.db.ripe.net/');
    assert.equal(ipRdapBaseFor(b, '2a10:c0::1'), 'https://rdap.db.ripe.net/');
    assert.equal(ipRdapBaseFor(b, '2600:1f18::1'), 'https://rdap.arin.net/registry/');
    assert.equal(ipRdapBaseFor(b, '2001:200::1'), 'https://rdap.apnic.net/');
    assert.equal(ipRdapBaseFor(b, '2c0f:f000::1'), 'https://rdap.afrinic.net/rdap/');
    assert.equal(ipRdapBaseFor(b, '2800:3f0::1'), 'https://rdap.lacnic.net/rdap/');
    assert.equal(ipRdapBaseFor(b, 'not-an-ip'), undefined);
    assert.equal(canonicalIp('2A00:1450:4001:0:0:0:0:1'), '2a00:1450:4001::1');
    assert.equal(isSpecialPurposeIp('192.0.2.10'), true);
    assert.equal(isSpecialPurposeIp('2001:db8::1'), true);
    assert.equal(isSpecialPurposeIp('206.41.110.1'), false);
    assert.throws(
      () => parseIpRdapBootstrap({ services: [[['300.0.0.0/8'], ['https://x/']]] }),
      /bad prefix/,
    );
    assert.throws(() => parseIpRdapBootstrap({ services: 'no' }), /invalid RDAP IP bootstrap/);
  });
});

describe('IP network RDAP through a loopback server', () => {
  let server: Server;
  let t: TestStore;
  const hits = new Map<string, number>();
  let base = '';
  before(async () => {
    t = await sqliteFactory.open();
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const json = (doc: unknown) => {
        res.setHeader('content-type', 'application/rdap+json');
        res.end(JSON.stringify(doc));
      };
      if (path.startsWith('/arin/ip/206.41.110.')) return json(ARIN);
      if (path.startsWith('/apnic/ip/101.203.')) return json(APNIC);
      if (path.startsWith('/ripe/ip/2a00:145')) return json(RIPE_V6);
      if (path === '/arin/ip/206.2.2.2') {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        return res.end();
      }
      if (path === '/arin/ip/206.3.3.3') return res.end('{"objectClassName": "ip network", "hand');
      if (path === '/arin/ip/206.4.4.4') return json({ errorCode: 400, title: 'bad request' });
      res.statusCode = 404;
      res.end();
    });
    // Loopback only; every request below is bounded by the retry policy's timeout and attempts.
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await t.cleanup();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const client = () =>
    createIpRdapClient({
      bootstrap: parseIpRdapBootstrap(
        {
          services: [
            [['206.0.0.0/8'], [`${base}/arin`]],
            [['101.0.0.0/8'], [`${base}/apnic/`]],
          ],
        },
        { services: [[['2a00::/12'], [`${base}/ripe/`]]] },
      ),
      minIntervalMs: 1,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 },
    });

  it('answers every address of a network from one request, even asked at once', async () => {
    hits.clear();
    const c = client();
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([c.lookup('206.41.110.1', signal), c.lookup('206.41.110.200', signal)]);
    const later = await c.lookup('206.41.110.255', signal);
    assert.deepEqual(
      [...hits.entries()].filter(([p]) => p.startsWith('/arin/ip/206.41.110.')).length,
      1,
      'one request for the /24',
    );
    for (const r of [a, b, later]) {
      assert.equal(r.ok, true);
      if (r.ok) {
        assert.equal(r.facts.abuseEmail, 'neteng@unitedix.net');
        assert.equal(r.facts.rir, '127.0.0.1');
        assert.equal(r.query, '206.41.110.1');
      }
    }
    const v6 = await c.lookup('2A00:1450:4001:0::1', signal);
    const v6b = await c.lookup('2a00:1457::5', signal);
    assert.ok(v6.ok && v6b.ok);
    assert.equal([...hits.keys()].filter((p) => p.startsWith('/ripe/')).length, 1);
    assert.ok(hits.has('/ripe/ip/2a00:1450:4001::1'), 'the canonical address, colons unescaped');
  });

  it('404 is an answer; 429 after retries, a cut-off body and a non-network object are failures', async () => {
    const c = client();
    const signal = new AbortController().signal;
    const nf = await c.lookup('206.1.1.1', signal);
    assert.deepEqual([nf.ok, !nf.ok && nf.answered], [false, true]);
    for (const ip of ['206.2.2.2', '206.3.3.3', '206.4.4.4']) {
      const r = await c.lookup(ip, signal);
      assert.equal(r.ok, false, ip);
      assert.equal(!r.ok && r.answered, false, ip);
    }
    assert.equal(hits.get('/arin/ip/206.2.2.2'), 2, '429: the first attempt and one retry');
    const none = await c.lookup('8.8.8.8', signal);
    assert.match(!none.ok ? none.error : '', /no RDAP server/);
    const special = await c.lookup('10.1.2.3', signal);
    assert.match(!special.ok ? special.error : '', /special-purpose/);
  });

  it('stores network facts on ip: entities; failures are SOURCE_FAILED dead letters; follows DNS answers', async () => {
    hits.clear();
    const dns: DnsResolver = {
      resolve: async (name) => ({
        a: name === 'login-micros0ft.example' ? ['206.41.110.77', '192.0.2.1'] : [],
        aaaa: name === 'login-micros0ft.example' ? ['2a00:1450:4001::99'] : [],
        ns: [],
        mx: [],
        cname: [],
      }),
    };
    const source = createEnrichSource({
      domains: ['login-micros0ft.example'],
      dns,
      ips: ['206.41.110.1', '101.203.88.5', '206.2.2.2', '206.3.3.3', '10.0.0.1', 'nonsense'],
      ipRdap: client(),
      followAddresses: true,
      now: () => new Date('2026-11-20T10:00:00Z'),
    });
    const s = await runIngest(source, t.store);
    // Listed: the domain, 206.41.110.1, 101.203.88.5 (2 failures); followed: 206.41.110.77 (cached)
    // and 2a00:1450:4001::99 (the documentation address is skipped).
    assert.equal(s.inserted, 5);
    assert.equal(s.rejected, 2);
    assert.equal([...hits.keys()].filter((p) => p.startsWith('/arin/ip/206.41.110.')).length, 1);
    const dead = await t.store.observations.deadLetters({});
    assert.deepEqual(dead.map((d) => d.code).sort(), ['SOURCE_FAILED', 'SOURCE_FAILED']);
    assert.ok(dead.some((d) => d.raw === 'ip:206.3.3.3' && /not JSON/.test(d.reason)));
    const obs = (await t.store.observations.after(0, 20)) as unknown as Array<Observation<'enrichment'>>;
    const followed = obs.find((o) => o.payload.entity === 'ip:206.41.110.77');
    assert.equal(followed?.payload.facts.abuseEmail, 'neteng@unitedix.net');
    assert.equal(followed?.payload.facts.rdapQuery, '206.41.110.1');
    const x = extract(followed as Observation);
    assert.deepEqual(
      [x.entities[0]?.key, x.entities[0]?.type, (x.entities[0]?.attrs as Record<string, unknown>)?.network],
      ['ip:206.41.110.77', 'ip', 'CHIX'],
    );
    const v6 = obs.find((o) => o.payload.entity === 'ip:2a00:1450:4001::99');
    assert.equal(v6?.payload.facts.abuseEmail, 'abuse@v6host.example');
    assert.ok(!obs.some((o) => o.payload.entity === 'ip:192.0.2.1'));
  });
});
