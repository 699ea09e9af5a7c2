import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cluster, DEFAULT_CLUSTER_CONFIG } from './cluster.js';
import { PivotClass, PivotGraphBuilder } from './pivot-graph.js';
import { loadSharedInfrastructure } from './shared-infrastructure.js';

const { strong, medium, weak } = PivotClass;
/** Value kinds of the hand-built world. */
const K = { ip: 1, ns: 2, cert: 3, payment: 4, kit: 5, regday: 6, nspair: 7, bot: 8 } as const;
const infra = loadSharedInfrastructure();

/**
 * Two operators and an honest world around them. Operator A: six domains on one certificate and one
 * account; operator B: two accounts on one card, six domains. Everyone — both operators and 300 honest
 * names — sits behind the same CDN anycast IP and nameservers, and both operators' first accounts,
 * like 30 staff accounts of one honest organisation, sign in from the same office IP.
 */
function world() {
  const b = new PivotGraphBuilder();
  const value = (key: string, kind: number) => b.node(key, kind, infra.match(key) !== undefined);
  const cdnIp = value('ip:104.16.1.1', K.ip);
  const cdnNs = value('ns:kate.ns.cloudflare.com', K.ns);
  const office = value('ip:198.51.100.7', K.ip);
  const link = (a: number, v: number, c = strong) => b.edge(a, v, c);

  const certA = value('cert:sha256:aa', K.cert);
  const accA = b.node('account:cloud-a/1');
  for (let i = 0; i < 6; i++) {
    const d = b.node(`domain:a${i}.live`);
    if (i < 3) link(d, certA);
    link(accA, d);
    link(d, cdnIp);
    link(d, cdnNs);
  }
  link(accA, office);

  const card = value('payment:fp:bb', K.payment);
  const accB1 = b.node('account:cloud-b/1');
  const accB2 = b.node('account:cloud-b/2');
  link(accB1, card);
  link(accB2, card);
  link(accB1, office);
  for (let i = 0; i < 6; i++) {
    const d = b.node(`domain:b${i}.site`);
    link(i < 3 ? accB1 : accB2, d);
    link(d, cdnIp);
    link(d, cdnNs);
  }

  for (let i = 0; i < 30; i++) link(b.node(`account:cloud-a/staff${i}`), office);
  for (let i = 0; i < 300; i++) {
    const d = b.node(`domain:honest${i}.com`);
    link(d, cdnIp);
    link(d, cdnNs);
    // Ordinary hosting: most IPs serve one or two names, some three.
    const group = i < 150 ? i >> 1 : 75 + Math.floor((i - 150) / 3);
    link(d, value(`ip:203.0.113.${group}`, K.ip));
    link(d, value(`cert:sha256:h${group}`, K.cert));
  }
  return { b, accA, accB1, accB2 };
}

const comp = (r: ReturnType<typeof cluster>, b: PivotGraphBuilder, key: string) => r.component[b.id(key)!]!;

describe('cluster', () => {
  it('ties each operator by its strong pivots and keeps CDN and office pivots from merging them', () => {
    const { b } = world();
    const r = cluster(b.build());
    const a = comp(r, b, 'account:cloud-a/1');
    for (let i = 0; i < 6; i++) assert.equal(comp(r, b, `domain:a${i}.live`), a, `a${i} in A`);
    assert.equal(comp(r, b, 'cert:sha256:aa'), a);
    const bb = comp(r, b, 'account:cloud-b/1');
    assert.equal(comp(r, b, 'account:cloud-b/2'), bb, 'the shared card ties the two accounts');
    for (let i = 0; i < 6; i++) assert.equal(comp(r, b, `domain:b${i}.site`), bb, `b${i} in B`);
    assert.notEqual(a, bb, 'the office IP and the CDN do not merge the operators');
    assert.notEqual(comp(r, b, 'account:cloud-a/staff0'), a, 'nor the honest organisation into A');
    assert.notEqual(comp(r, b, 'domain:honest0.com'), a);
    assert.equal(r.sizes[a], 8, 'six names, the certificate and the account');
    assert.equal(r.sizes[bb], 9);
    assert.ok(r.stats.largest <= 9, `largest component ${r.stats.largest}`);
    assert.equal(r.stats.knownShared, 2, 'the CDN IP and nameserver are known shared infrastructure');
    assert.equal(r.stats.overCap, 1, 'the office IP is over the learned cap of its kind');
    assert.ok(r.caps[K.ip]! < 32, `learned IP cap ${r.caps[K.ip]}`);
  });

  it('would glue the world together without the discount (the test can fail)', () => {
    const { b } = world();
    const g = b.build();
    const r = cluster(
      { ...g, known: new Uint8Array(g.nodeCount) },
      {
        ...DEFAULT_CLUSTER_CONFIG,
        capOverrides: { [K.ip]: 1e9, [K.ns]: 1e9 },
      },
    );
    assert.equal(comp(r, b, 'account:cloud-a/1'), comp(r, b, 'account:cloud-b/1'));
    assert.ok(r.stats.largest > 300);
  });

  it('learns a high cap for a kind whose values are all widely shared', () => {
    const b = new PivotGraphBuilder();
    // Certificates with many SANs are normal for their kind; the cap follows the kind's own degrees.
    for (let c = 0; c < 20; c++) {
      const cert = b.node(`cert:sha256:${c}`, K.cert);
      for (let i = 0; i < 40 + c; i++) b.edge(b.node(`domain:c${c}-${i}.com`), cert, strong);
    }
    const r = cluster(b.build());
    assert.ok(r.caps[K.cert]! >= 59, `cert cap ${r.caps[K.cert]}`);
    assert.equal(r.stats.largest, 60);
    assert.equal(r.stats.overCap, 0);
  });

  it('ties a pair by two different medium pivots, never by one', () => {
    const b = new PivotGraphBuilder();
    const kit = b.node('kit:family-x', K.kit);
    const day = b.node('regday:2026-11-02|registrar-9', K.regday);
    const nsPair = b.node('nspair:a.example|b.example', K.nspair);
    const c1 = b.node('domain:c1.top');
    const c2 = b.node('domain:c2.top');
    const c3 = b.node('domain:c3.top');
    const h = b.node('domain:honest.com');
    b.edge(c1, kit, medium);
    b.edge(c2, kit, medium);
    b.edge(c3, kit, medium);
    b.edge(c1, day, medium);
    b.edge(c2, day, medium);
    b.edge(c1, nsPair, medium);
    b.edge(h, nsPair, medium);
    b.edge(c3, h, weak);
    const r = cluster(b.build());
    const c = (k: string) => r.component[b.id(k)!]!;
    assert.equal(c('domain:c1.top'), c('domain:c2.top'), 'kit family + registration day');
    assert.notEqual(c('domain:c3.top'), c('domain:c1.top'), 'the kit family alone');
    assert.notEqual(c('domain:honest.com'), c('domain:c1.top'), 'the nameserver pair alone');
    assert.notEqual(c('domain:honest.com'), c('domain:c3.top'), 'a weak pivot never ties');
    assert.equal(r.stats.mediumTies, 1);
  });

  it('counts values of a collapsed kind once (two kit rules matching one page are one kit)', () => {
    const b = new PivotGraphBuilder();
    const gate = b.node('kit:captcha-gate', K.kit);
    const clone = b.node('kit:m365-clone', K.kit);
    const p1 = b.node('snapshot:sha256:p1');
    const p2 = b.node('snapshot:sha256:p2');
    for (const p of [p1, p2]) {
      b.edge(p, gate, medium);
      b.edge(p, clone, medium);
    }
    const r = cluster(b.build(), { ...DEFAULT_CLUSTER_CONFIG, collapseKinds: [K.kit] });
    assert.notEqual(r.component[p1], r.component[p2]);
    assert.equal(r.stats.mediumTies, 0);
    // Without the collapse, the two rules are two pivots.
    assert.equal(cluster(b.build()).component[p1], cluster(b.build()).component[p2]);
  });

  it('reports the size distribution and raises an alarm on an implausibly large component', () => {
    const b = new PivotGraphBuilder();
    const acct = b.node('account:x/1');
    for (let i = 0; i < 50; i++) b.edge(acct, b.node(`domain:x${i}.com`), strong);
    for (let i = 0; i < 10; i++) b.node(`domain:single${i}.com`);
    const r = cluster(b.build(), { ...DEFAULT_CLUSTER_CONFIG, alarmSize: 40 });
    assert.deepEqual(r.stats.sizeBuckets, [10, 0, 0, 0, 0, 1]);
    assert.equal(r.alarms.length, 1);
    assert.equal(r.alarms[0]?.size, 51);
  });
});

/**
 * An operation and the islands around it. Operation A: one account attaches 30 names, each serving a
 * page of kit family `relay` that posts to one Telegram bot — the kit (30 pages) is over the medium cap
 * and the bot over its kind's cap (8), so neither ties a pair. Operation B: a card ties its two
 * accounts' 24 names, whose pages carry kit `relay` too (kits are sold) and sit on one hosting IP.
 * Islands are two names on a certificate of their own with one page:
 * - `join`: kit `relay` and A's bot — two kinds of pivot shared with A;
 * - `kitOnly`: kit `relay` alone (posts to its own site);
 * - `twoKits`: kits `relay` and `relay-v2` (A's pages match both): two rules of one kind;
 * - `spread`: kit `relay` and an address that 30 honest names share too (each its own component);
 * - `both`: A's bot and B's hosting IP, beside the kit both use.
 */
function islands() {
  const b = new PivotGraphBuilder();
  const relay = b.node('kit:relay', K.kit);
  const relay2 = b.node('kit:relay-v2', K.kit);
  const bot = b.node('telegram-bot:1', K.bot);
  const hostB = b.node('ip:203.0.113.9', K.ip);
  const busy = b.node('ip:198.51.100.80', K.ip);
  const accA = b.node('account:cloud-a/1');
  for (let i = 0; i < 30; i++) {
    const d = b.node(`domain:a${i}.top`);
    const p = b.node(`snapshot:sha256:a${i}`);
    b.edge(accA, d, strong);
    b.edge(d, p, strong);
    b.edge(p, relay, medium);
    if (i < 10) b.edge(p, relay2, medium);
    b.edge(p, bot, strong);
    if (i < 5) b.edge(d, busy, medium);
  }
  const card = b.node('payment:fp:b', K.payment);
  const accB = [b.node('account:cloud-b/1'), b.node('account:cloud-b/2')];
  for (const a of accB) b.edge(a, card, strong);
  for (let i = 0; i < 24; i++) {
    const d = b.node(`domain:b${i}.site`);
    const p = b.node(`snapshot:sha256:b${i}`);
    b.edge(accB[i % 2]!, d, strong);
    b.edge(d, p, strong);
    b.edge(p, relay, medium);
    b.edge(d, hostB, medium);
  }
  for (let i = 0; i < 30; i++) b.edge(b.node(`domain:honest${i}.com`), busy, medium);
  const island = (name: string, values: number[]) => {
    const cert = b.node(`cert:sha256:${name}`, K.cert);
    const d1 = b.node(`domain:${name}-1.click`);
    const d2 = b.node(`domain:${name}-2.click`);
    const p = b.node(`snapshot:sha256:${name}`);
    b.edge(d1, cert, strong);
    b.edge(d2, cert, strong);
    b.edge(d1, p, strong);
    for (const v of values) b.edge(p, v, v === bot ? strong : medium);
    return d1;
  };
  island('join', [relay, bot]);
  island('kitOnly', [relay]);
  island('twoKits', [relay, relay2]);
  island('spread', [relay, busy]);
  island('both', [relay, bot, hostB]);
  return b;
}

const ISLAND_CONFIG = { ...DEFAULT_CLUSTER_CONFIG, capOverrides: { [K.bot]: 8 }, collapseKinds: [K.kit] };

describe('islands', () => {
  it('joins an island that shares two kinds of pivot with one operation, counted between the groups', () => {
    const b = islands();
    const r = cluster(b.build(), ISLAND_CONFIG);
    const c = (k: string) => r.component[b.id(k)!]!;
    const a = c('account:cloud-a/1');
    assert.equal(r.strongDegree[b.id('telegram-bot:1')!], 32, 'the bot is over its cap');
    assert.equal(r.conducting[b.id('telegram-bot:1')!], 0);
    assert.equal(c('domain:join-1.click'), a, 'kit and bot');
    assert.equal(c('domain:join-2.click'), a, 'with its certificate');
    // Without the step the island stays apart: the kit is over the medium cap, the bot over its cap.
    const off = cluster(b.build(), { ...ISLAND_CONFIG, islandSize: 0 });
    assert.notEqual(off.component[b.id('domain:join-1.click')!], off.component[b.id('account:cloud-a/1')!]);
  });

  it('leaves an island alone on one pivot, on one kind twice, or on a value spread over many groups', () => {
    const b = islands();
    const r = cluster(b.build(), ISLAND_CONFIG);
    const c = (k: string) => r.component[b.id(k)!]!;
    const a = c('account:cloud-a/1');
    const bb = c('account:cloud-b/1');
    for (const name of ['kitOnly', 'twoKits', 'spread']) {
      assert.notEqual(c(`domain:${name}-1.click`), a, `${name} not in A`);
      assert.notEqual(c(`domain:${name}-1.click`), bb, `${name} not in B`);
    }
    assert.notEqual(c('domain:honest0.com'), a, 'an honest name on the busy address');
  });

  it('joins an island tied to two operations to one of them, and never merges the operations', () => {
    const b = islands();
    const r = cluster(b.build(), ISLAND_CONFIG);
    const c = (k: string) => r.component[b.id(k)!]!;
    const a = c('account:cloud-a/1');
    assert.notEqual(a, c('account:cloud-b/1'));
    // kit + bot with A, kit + hosting IP with B: two kinds each; the larger operation (A) takes it.
    assert.equal(c('domain:both-1.click'), a);
    assert.equal(r.stats.islandsAttached, 2);
  });
});

/**
 * Two operators (an account each over 20 names) and 200 honest names, each renewed on certificates of
 * its own (one to three). Then 40 constructed certificates each name `microsoft.com` beside one
 * operator name — 20 of A's, 20 of B's — as a CDN's shared certificate of the old kind would.
 */
function hubWorld() {
  const b = new PivotGraphBuilder();
  const cert = (key: string) => b.node(`cert:sha256:${key}`, K.cert);
  for (const op of ['a', 'b']) {
    const acc = b.node(`account:cloud-${op}/1`);
    for (let i = 0; i < 20; i++) {
      const d = b.node(`domain:${op}${i}.top`);
      b.edge(acc, d, strong);
      // An operator's names renewed too: three certificates each.
      for (let r = 0; r < 3; r++) b.edge(d, cert(`${op}${i}-${r}`), strong);
    }
  }
  for (let i = 0; i < 200; i++) {
    const d = b.node(`domain:honest${i}.com`);
    for (let r = 0; r <= i % 3; r++) b.edge(d, cert(`h${i}-${r}`), strong);
  }
  const ms = b.node('domain:microsoft.com');
  for (let i = 0; i < 20; i++)
    for (const op of ['a', 'b']) {
      const c = cert(`ms-${op}${i}`);
      b.edge(ms, c, strong);
      b.edge(b.id(`domain:${op}${i}.top`)!, c, strong);
    }
  return b;
}

describe('hub members', () => {
  it('stops a name on far more certificates than names have from tying them (ubiquity of a member)', () => {
    const b = hubWorld();
    const r = cluster(b.build(), { ...DEFAULT_CLUSTER_CONFIG, hubKinds: [K.cert] });
    const c = (k: string) => r.component[b.id(k)!]!;
    assert.equal(r.hubs[b.id('domain:microsoft.com')!], 1);
    assert.equal(r.stats.hubMembers, 1, 'renewed names stay under the cap');
    assert.ok(r.hubCap >= 3 && r.hubCap < 40, `hub cap ${r.hubCap}`);
    assert.notEqual(c('account:cloud-a/1'), c('account:cloud-b/1'), 'the operators stay apart');
    assert.notEqual(c('domain:microsoft.com'), c('account:cloud-a/1'));
    assert.equal(c('domain:a0.top'), c('account:cloud-a/1'), 'a name keeps its own certificates and account');
    assert.equal(c('cert:sha256:ms-a0'), c('account:cloud-a/1'), 'the certificate still ties its other name');
    // Without the discount the name is a hub that joins both operations (the test can fail).
    const off = cluster(b.build());
    assert.equal(off.component[b.id('account:cloud-a/1')!], off.component[b.id('account:cloud-b/1')!]);
  });
});

describe('shared infrastructure list', () => {
  it('matches CDN ranges, CDN and parking nameservers, privacy proxies and public JS CDNs', () => {
    assert.equal(infra.match('ip:104.16.1.1'), 'cloudflare-anycast-v4');
    assert.equal(infra.match('ip:151.101.65.140'), 'fastly-anycast');
    assert.equal(infra.match('ns:kate.ns.cloudflare.com'), 'cdn-nameservers');
    assert.equal(infra.match('ns:ns-1234.awsdns-56.org'), 'route53-nameservers');
    assert.equal(infra.match('ns:ns1.sedoparking.com'), 'parking-nameservers');
    assert.equal(infra.match('email:abc123@withheldforprivacy.com'), 'privacy-proxy-whois');
    assert.equal(infra.match('url:https://code.jquery.com/jquery-3.7.1.min.js'), 'public-js-cdns');
    assert.equal(infra.match('ip:8.8.8.8'), undefined);
    assert.equal(infra.match('ns:ns1.notcloudflare.com'), undefined);
    assert.equal(infra.match('domain:ns.cloudflare.com'), undefined, 'entries apply to their type only');
    for (const e of infra.entries) assert.ok(e.source.length > 0, `${e.id} names its source`);
  });
});
