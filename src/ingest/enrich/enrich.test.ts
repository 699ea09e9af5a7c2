import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as dnsPacket from 'dns-packet';
import type { Observation } from '../../domain/index.js';
import { sqliteFactory, type TestStore } from '../../../test/support/stores.js';
import { extract } from '../extract.js';
import { runIngest } from '../run-ingest.js';
import { createDnsResolver } from './dns-resolve.js';
import { createEnrichSource } from './enrich-source.js';
import { createRdapClient, parseRdapBootstrap, rdapBaseFor, rdapFacts } from './rdap.js';

const FIXTURES = new URL('../../../test/fixtures/rdap', import.meta.url).pathname;
const read = (f: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8'));

describe('RDAP', () => {
  it('reads registration date, registrar, abuse contact and status from recorded responses', () => {
    assert.deepEqual(rdapFacts(read('20c.com.json')), {
      registeredAt: '2004-06-28T18:28:14.000Z',
      expiresAt: '2025-06-28T18:28:14.000Z',
      lastChangedAt: '2024-06-25T03:31:37.000Z',
      registrar: 'CSL Computer Service Langenbach GmbH d/b/a joker.com',
      abuseEmail: 'abuse@joker.com',
      nameservers: [
        'ns-1468.awsdns-55.org',
        'ns-1771.awsdns-29.co.uk',
        'ns-327.awsdns-40.com',
        'ns-545.awsdns-04.net',
      ],
    });
    const cz = rdapFacts(read('example.cz.json'));
    assert.equal(cz.registeredAt, '2004-08-30T22:55:00.000Z');
    assert.equal(cz.registrar, 'REG-INTERNET-CZ');
    assert.deepEqual(cz.rdapStatus, ['active']);
    assert.deepEqual(rdapFacts('nonsense'), {});
  });

  it('reuses an answer for a day, never a failed lookup', async () => {
    let calls = 0;
    let up = false;
    let clock = 0;
    const client = createRdapClient({
      bootstrap: parseRdapBootstrap({ services: [[['com'], ['http://127.0.0.1:9/rdap/']]] }),
      minIntervalMs: 0,
      now: () => clock,
      retry: {
        retries: 0,
        fetch: async () => {
          calls++;
          return up
            ? new Response(JSON.stringify({ objectClassName: 'domain', ldhName: 'example.com' }))
            : new Response('', { status: 503 });
        },
      },
    });
    const signal = AbortSignal.timeout(5000);
    const failed = await client.lookup('example.com', signal);
    assert.equal(failed.ok, false);
    up = true;
    assert.equal((await client.lookup('www.example.com', signal)).ok, true, 'the failure is asked again');
    assert.equal((await client.lookup('example.com', signal)).ok, true);
    assert.equal(calls, 2, 'the answer is reused');
    clock = 86_400_001;
    await client.lookup('example.com', signal);
    assert.equal(calls, 3, 'a day-old answer is asked again');
  });

  it('finds the server from the IANA bootstrap file', () => {
    const b = parseRdapBootstrap(read('bootstrap-dns.json'));
    assert.equal(rdapBaseFor(b, 'www.example.cz'), 'https://rdap.nic.cz/');
    assert.equal(rdapBaseFor(b, 'x.com.br'), 'https://rdap.registro.br/');
    assert.equal(rdapBaseFor(b, 'example.zz'), undefined);
    assert.throws(() => parseRdapBootstrap({ services: 'no' }), /invalid RDAP bootstrap/);
  });
});

/** A loopback DNS server answering from a table (dns-packet for the wire format). */
function dnsServer(table: Record<string, Array<{ type: string; data: unknown }>>): Promise<Socket> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const name = question?.name.toLowerCase() ?? '';
    const known = Object.keys(table).some((k) => k === name);
    const answers = (table[name] ?? [])
      .filter((a) => a.type === question?.type)
      .map((a) => ({ name, type: a.type, ttl: 60, class: 'IN', data: a.data }));
    const reply = dnsPacket.encode({
      id: q.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: q.questions ?? [],
      answers: answers as dnsPacket.Answer[],
    });
    sock.send(reply, rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => sock.bind(0, '127.0.0.1', () => resolve(sock)));
}

describe('enrichment through loopback RDAP and DNS servers', () => {
  let t: TestStore;
  let rdap: Server;
  let dns: Socket;
  let rdapRequests = 0;
  before(async () => {
    t = await sqliteFactory.open();
    const body = readFileSync(`${FIXTURES}/20c.com.json`, 'utf8');
    rdap = createServer((req, res) => {
      rdapRequests++;
      if (rdapRequests === 1) {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end();
        return;
      }
      if (req.url === '/rdap/domain/20c.com') {
        res.setHeader('content-type', 'application/rdap+json');
        res.end(body);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => rdap.listen(0, '127.0.0.1', r));
    dns = await dnsServer({
      'www.20c.com': [
        { type: 'A', data: '192.0.2.10' },
        { type: 'AAAA', data: '2001:db8::10' },
      ],
      '20c.com': [
        { type: 'NS', data: 'ns1.20c.com' },
        { type: 'MX', data: { preference: 10, exchange: 'mx.20c.com' } },
      ],
      'nodata.test': [],
    });
  });
  after(async () => {
    await t.cleanup();
    rdap.closeAllConnections();
    await new Promise<void>((r) => rdap.close(() => r()));
    dns.close();
  });

  it('resolves A/AAAA/NS/MX from a configured resolver; NXDOMAIN is an answer', async () => {
    const r = createDnsResolver({ servers: [`127.0.0.1:${dns.address().port}`], timeoutMs: 1000, tries: 1 });
    const www = await r.resolve('www.20c.com');
    assert.deepEqual([www.a, www.aaaa, www.rcode], [['192.0.2.10'], ['2001:db8::10'], undefined]);
    const apex = await r.resolve('20c.com');
    assert.deepEqual([apex.ns, apex.mx], [['ns1.20c.com'], ['mx.20c.com']]);
    const nx = await r.resolve('missing.test');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.deepEqual(nx.a, []);
  });

  it('writes registeredAt and DNS facts into the domain entity, with resolves-to links; cached per registrable domain', async () => {
    const base = `http://127.0.0.1:${(rdap.address() as AddressInfo).port}/rdap/`;
    const client = createRdapClient({
      bootstrap: parseRdapBootstrap({ services: [[['com'], [base]]] }),
      minIntervalMs: 1,
      retry: { retries: 3, baseDelayMs: 1 },
    });
    const source = createEnrichSource({
      domains: ['www.20c.com', '20c.com', 'not a domain', 'example.zz'],
      rdap: client,
      dns: createDnsResolver({ servers: [`127.0.0.1:${dns.address().port}`], timeoutMs: 1000, tries: 1 }),
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    const s = await runIngest(source, t.store);
    assert.equal(s.inserted, 3);
    assert.equal(rdapRequests, 2, 'one 429, then one lookup for both names of 20c.com');
    const obs = (await t.store.observations.after(0, 10)) as unknown as Array<Observation<'enrichment'>>;
    const www = obs.find((o) => o.payload.entity === 'domain:www.20c.com');
    assert.equal(www?.payload.facts.registeredAt, '2004-06-28T18:28:14.000Z');
    assert.equal(www?.payload.facts.rdapQuery, '20c.com');
    assert.equal(www?.payload.facts.rdapError, null, 'a later answer clears an earlier error');
    assert.equal(www?.observedAt, '2026-01-02T03:04:05.000Z');
    const zz = obs.find((o) => o.payload.entity === 'domain:example.zz');
    assert.match(String(zz?.payload.facts.rdapError), /no RDAP server/);

    const x = extract(www as Observation);
    assert.equal(
      (x.entities[0]?.attrs as { registeredAt?: string } | undefined)?.registeredAt,
      '2004-06-28T18:28:14.000Z',
    );
    assert.deepEqual(
      x.links.map((l) => `${l.pivot} ${l.to}`),
      ['resolves-to ip:192.0.2.10', 'resolves-to ip:2001:db8::10'],
    );
    // Same day, same names: a no-op.
    const again = await runIngest(
      createEnrichSource({ domains: ['20c.com'], now: () => new Date('2026-01-02T09:00:00Z') }),
      t.store,
      { ignoreCheckpoint: true },
    );
    assert.equal(again.duplicates, 1);
  });
});
