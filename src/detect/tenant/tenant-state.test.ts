import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPivotModel } from '../../correlate/pivots.js';
import type { EntityKey, TenantEvent } from '../../domain/index.js';
import { parseTenantEvent } from '../../ingest/sources/tenant/tenant-schema.js';
import { simulateTenants } from '../../simulate/tenant-simulator.js';
import { DEFAULT_TENANT_CONFIG, type TenantConfig } from './tenant-config.js';
import { largestBursts, TenantState } from './tenant-state.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (hours: number): string => new Date(T0 + hours * 3_600_000).toISOString();
let seq = 0;

function ev(type: string, fields: Record<string, unknown>): TenantEvent {
  const r = parseTenantEvent({ event_id: `e${++seq}`, provider: 'cloud-a', type, ...fields });
  if (!r.ok) throw new Error(`bad test event: ${r.rejection.reason}`);
  return r.event;
}
const created = (account: string, hours: number, extra: Record<string, unknown> = {}) =>
  ev('account.created', {
    account_id: account,
    ts: at(hours),
    email: `${account}@example-corp.test`,
    ip: `198.51.100.${seq % 250}`,
    ...extra,
  });
const payment = (account: string, hours: number, fingerprint: string, extra: Record<string, unknown> = {}) =>
  ev('payment.method_added', { account_id: account, ts: at(hours), method: 'card', fingerprint, ...extra });
const key = (account: string, provider = 'cloud-a') => `account:${provider}/${account}` as EntityKey;
const ids = (s: TenantState, account: string, provider?: string) =>
  s
    .signalsOf(key(account, provider))
    .map((x) => x.id)
    .sort();
const has = (s: TenantState, account: string, id: string, provider?: string) =>
  ids(s, account, provider).includes(id);

function feed(s: TenantState, events: TenantEvent[]): TenantState {
  for (const e of events) s.apply(e, `tenant:${e.provider}:${e.event_id}`);
  return s;
}

describe('TenantState: sign-up velocity per shared attribute', () => {
  it('fires at the threshold of distinct accounts within the window, not below', () => {
    const s = feed(new TenantState(), [
      created('a1', 0),
      created('a2', 0),
      created('a3', 0),
      payment('a1', 1, 'fp1'),
      payment('a2', 2, 'fp1'),
    ]);
    assert.equal(
      has(s, 'a1', 'tenant.velocity.payment-fingerprint'),
      false,
      'two accounts are below the threshold of 3',
    );
    feed(s, [payment('a3', 3, 'fp1')]);
    for (const a of ['a1', 'a2', 'a3']) assert.ok(has(s, a, 'tenant.velocity.payment-fingerprint'), a);
    const sig = s.signalsOf(key('a1')).find((x) => x.id === 'tenant.velocity.payment-fingerprint');
    assert.match(sig?.detail ?? '', /3 accounts bound payment.*damped/);
    assert.ok((sig?.weight ?? 99) <= 30, 'linkage without any risk indicator is damped');
    feed(s, [
      ev('payment.method_added', { account_id: 'a1', ts: at(4), method: 'prepaid', fingerprint: 'pp' }),
    ]);
    assert.equal(
      s.signalsOf(key('a1')).find((x) => x.id === 'tenant.velocity.payment-fingerprint')?.weight,
      35,
      'full weight once the account shows risk',
    );
    assert.ok(has(s, 'a2', 'tenant.cluster.linked-to-risk'), 'and its linked accounts are told');
    assert.equal(
      s.signalsOf(key('a2')).find((x) => x.id === 'tenant.velocity.payment-fingerprint')?.weight,
      35,
    );
  });

  it('treats the window as half-open: an event exactly one window later starts a new window', () => {
    const s = feed(new TenantState(), [created('b1', 0), created('b2', 0), created('b3', 0)]);
    feed(s, [payment('b1', 0, 'fp2'), payment('b2', 10, 'fp2'), payment('b3', 24, 'fp2')]);
    assert.equal(
      has(s, 'b3', 'tenant.velocity.payment-fingerprint'),
      false,
      '(24h−24h, 24h] excludes the binding at 0h',
    );
    const s2 = feed(new TenantState(), [created('b1', 0), created('b2', 0), created('b3', 0)]);
    feed(s2, [payment('b1', 0, 'fp2'), payment('b2', 10, 'fp2'), payment('b3', 23.999, 'fp2')]);
    assert.ok(has(s2, 'b3', 'tenant.velocity.payment-fingerprint'), 'just inside the window');
  });

  it('counts ties (several bindings at the same instant) in one window', () => {
    const s = feed(new TenantState(), [created('c1', 0), created('c2', 0), created('c3', 0)]);
    feed(s, [payment('c1', 5, 'fp3'), payment('c2', 5, 'fp3'), payment('c3', 5, 'fp3')]);
    assert.ok(has(s, 'c1', 'tenant.velocity.payment-fingerprint'));
  });

  it('counts a late event that completes a window, and ignores one later than the allowed lateness', () => {
    const s = feed(new TenantState(), [created('d1', 0), created('d2', 0), created('d3', 0)]);
    feed(s, [payment('d1', 10, 'fp4'), payment('d3', 20, 'fp4')]);
    feed(s, [created('x', 40)]); // watermark moves to 40h
    feed(s, [payment('d2', 15, 'fp4')]); // 25h late, within the 48h allowed lateness
    for (const a of ['d1', 'd2', 'd3']) assert.ok(has(s, a, 'tenant.velocity.payment-fingerprint'), a);

    const t = feed(new TenantState(), [created('f1', 0), created('f2', 0), created('f3', 0)]);
    feed(t, [payment('f1', 10, 'fp5'), payment('f3', 20, 'fp5'), created('y', 100)]);
    feed(t, [payment('f2', 15, 'fp5')]); // 85h late: beyond 48h
    assert.equal(has(t, 'f1', 'tenant.velocity.payment-fingerprint'), false);
    assert.equal(t.stats().late, 1);
  });

  it('does not inflate counts with duplicate events or repeated bindings of one account', () => {
    const s = feed(new TenantState(), [created('g1', 0), created('g2', 0)]);
    const p = payment('g1', 1, 'fp6');
    feed(s, [p, p, payment('g1', 2, 'fp6'), payment('g2', 3, 'fp6')]);
    assert.equal(has(s, 'g1', 'tenant.velocity.payment-fingerprint'), false, 'only 2 distinct accounts');
  });

  it('treats mailbox variants (dots, plus tags, googlemail) as one mailbox', () => {
    const s = feed(new TenantState(), [
      ev('account.created', { account_id: 'm1', ts: at(0), email: 'jane.doe@gmail.com', ip: '100.64.1.1' }),
      ev('account.created', {
        account_id: 'm2',
        ts: at(1),
        email: 'JaneDoe+cloud2@googlemail.com',
        ip: '100.64.1.2',
      }),
      ev('account.created', {
        account_id: 'm3',
        ts: at(2),
        email: 'j.a.n.e.d.o.e+3@gmail.com',
        ip: '100.64.1.3',
      }),
    ]);
    assert.ok(has(s, 'm1', 'tenant.velocity.mailbox'));
    assert.ok(has(s, 'm2', 'tenant.velocity.mailbox'));
  });
});

describe('TenantState: ubiquitous values do not link', () => {
  it('many sign-ups on gmail.com, one CGNAT range and a mobile carrier raise nothing', () => {
    const s = new TenantState();
    for (let i = 0; i < 30; i++) {
      feed(s, [
        ev('account.created', {
          account_id: `u${i}`,
          ts: at(i / 10),
          email: `user${i}@gmail.com`,
          ip: `100.64.0.${i}`,
          asn: 64500,
        }),
      ]);
      feed(s, [
        ev('account.created', {
          account_id: `v${i}`,
          ts: at(i / 10),
          email: `v${i}@outlook.com`,
          ip: '172.58.1.1',
          asn: 21928,
        }),
      ]);
    }
    assert.deepEqual(ids(s, 'u5'), []);
    assert.deepEqual(ids(s, 'v5'), []);
  });

  it('a value shared by more accounts than maxShare stops counting', () => {
    const s = new TenantState();
    for (let i = 0; i < 60; i++) {
      feed(s, [
        ev('account.created', {
          account_id: `n${i}`,
          ts: at(i / 100),
          email: `n${i}@corp-nat.test`,
          ip: '203.0.113.9',
        }),
      ]);
    }
    const st = s.stats();
    assert.ok(has(s, 'n3', 'tenant.velocity.ip'), 'fired while it looked like a burst');
    assert.equal(
      has(s, 'n59', 'tenant.velocity.ip'),
      false,
      'after 40 accounts the address is treated as shared',
    );
    assert.ok(st.bindings < 200);
  });
});

describe('TenantState: payment, wallets and cross-provider clusters', () => {
  it('links accounts on two providers through one wallet', () => {
    const w = '0xAbCdEf0123456789abcdef0123456789ABCDEF01';
    const s = feed(new TenantState(), [
      ev('account.created', { account_id: 'p1', ts: at(0), email: 'op1@proton.me', ip: '198.51.100.7' }),
      ev('account.created', {
        provider: 'cloud-b',
        account_id: 'q1',
        ts: at(2),
        email: 'zz9@mailinator.com',
        ip: '192.0.2.44',
      }),
      ev('payment.method_added', {
        account_id: 'p1',
        ts: at(1),
        method: 'crypto',
        fingerprint: 'w1',
        wallet_address: w,
        chain: 'eth',
      }),
      ev('payment.method_added', {
        provider: 'cloud-b',
        account_id: 'q1',
        ts: at(3),
        method: 'crypto',
        fingerprint: 'w2',
        wallet_address: w.toLowerCase(),
        chain: 'ETH',
      }),
    ]);
    for (const [a, p] of [
      ['p1', 'cloud-a'],
      ['q1', 'cloud-b'],
    ] as const) {
      assert.ok(has(s, a, 'tenant.payment.wallet-reuse', p), `${a} wallet-reuse`);
      assert.ok(has(s, a, 'tenant.payment.crypto', p), `${a} crypto`);
      assert.ok(has(s, a, 'tenant.cluster.cross-provider', p), `${a} cross-provider`);
    }
    assert.ok(has(s, 'q1', 'tenant.email.disposable', 'cloud-b'));
  });

  it('flags a burst of linked accounts (device chain) created within the window', () => {
    const s = feed(new TenantState(), [
      created('k1', 0, { device_id: 'dev-1' }),
      created('k2', 30, { device_id: 'dev-1' }),
      created('k3', 60, { device_id: 'dev-2' }),
      ev('login', { account_id: 'k2', ts: at(61), ip: '198.51.100.200', device_id: 'dev-2' }),
    ]);
    for (const a of ['k1', 'k2', 'k3']) assert.ok(has(s, a, 'tenant.cluster.burst'), a);
    const t = feed(new TenantState(), [
      created('l1', 0, { device_id: 'dev-9' }),
      created('l2', 40, { device_id: 'dev-9' }),
      created('l3', 80, { device_id: 'dev-9' }),
    ]);
    assert.equal(has(t, 'l1', 'tenant.cluster.burst'), false, '72h window: 0h and 80h are not in one burst');
  });

  it('takes its link strengths from the pivot model', () => {
    const events = () => [
      created('m1', 0, { device_id: 'dev-7' }),
      created('m2', 10, { device_id: 'dev-7' }),
      created('m3', 20, { device_id: 'dev-7' }),
    ];
    const base = feed(new TenantState(), events());
    assert.ok(has(base, 'm1', 'tenant.cluster.burst') && has(base, 'm1', 'tenant.velocity.device'));
    const weak = feed(
      new TenantState({ pivots: createPivotModel({ strengths: { 'same-device': 0.4 } }) }),
      events(),
    );
    assert.equal(
      has(weak, 'm1', 'tenant.cluster.burst'),
      false,
      'a link below the cluster threshold joins none',
    );
    assert.ok(has(weak, 'm1', 'tenant.velocity.device'), 'the shared device still counts');
    const off = feed(
      new TenantState({ pivots: createPivotModel({ strengths: { 'same-device': 0 } }) }),
      events(),
    );
    assert.equal(has(off, 'm1', 'tenant.velocity.device'), false, 'a pivot given 0 binds nothing');
  });
});

describe('TenantState: deployments, attaches, lookalikes and logins', () => {
  const deploy = (account: string, hours: number, id?: string) =>
    id === undefined
      ? ev('deployment.created', { account_id: account, ts: at(hours), kind: 'worker' })
      : ev('deployment.created', { event_id: id, account_id: account, ts: at(hours), kind: 'worker' });

  it('fires when a new account deploys baseline × factor times within the window', () => {
    const s = feed(new TenantState(), [created('r1', 0)]);
    for (let i = 0; i < 11; i++) feed(s, [deploy('r1', 1 + i / 10)]);
    assert.equal(has(s, 'r1', 'tenant.deploy.burst'), false, '11 < 3 × 4');
    feed(s, [deploy('r1', 3)]);
    assert.ok(has(s, 'r1', 'tenant.deploy.burst'));
  });

  it('ignores duplicate deployment events and old accounts', () => {
    const s = feed(new TenantState(), [created('r2', 0)]);
    const d = deploy('r2', 1, 'same');
    for (let i = 0; i < 20; i++) feed(s, [d]);
    assert.equal(has(s, 'r2', 'tenant.deploy.burst'), false);
    const old = feed(new TenantState(), [created('r3', 0)]);
    for (let i = 0; i < 20; i++) feed(old, [deploy('r3', 200 + i / 10)]);
    assert.equal(has(old, 'r3', 'tenant.deploy.burst'), false, 'older than newAccountHours (168h)');
  });

  it('per-provider config raises one provider’s baseline only', () => {
    const config: TenantConfig = {
      ...DEFAULT_TENANT_CONFIG,
      providers: { 'cloud-a': { deployment: { baselineDeployments: 10 } } },
    };
    const s = feed(new TenantState({ config }), [created('r4', 0)]);
    for (let i = 0; i < 20; i++) feed(s, [deploy('r4', 1 + i / 10)]);
    assert.equal(has(s, 'r4', 'tenant.deploy.burst'), false, 'cloud-a now needs 40');
  });

  it('scores attached domains with the injected domain engine', () => {
    const s = new TenantState({
      scoreDomain: (d) =>
        d.includes('micros0ft')
          ? { score: 90, flagged: true, brand: 'microsoft' }
          : { score: 5, flagged: false },
    });
    feed(s, [
      created('t1', 0),
      ev('domain.attached', { account_id: 't1', ts: at(1), domain: 'login-micros0ft.example' }),
    ]);
    feed(s, [ev('domain.attached', { account_id: 't1', ts: at(1), domain: 'my-bakery.example' })]);
    const sig = s.signalsOf(key('t1')).find((x) => x.id === 'tenant.domain.lookalike');
    assert.equal(sig?.weight, 70);
    assert.match(sig?.detail ?? '', /microsoft/);
  });

  it('flags a login from a new ASN and device shortly before a deployment, in either arrival order', () => {
    const login = (hours: number) =>
      ev('login', {
        account_id: 'w1',
        ts: at(hours),
        ip: '203.0.113.50',
        asn: 14061,
        device_id: 'new-dev',
        country: 'NL',
      });
    const base = () => created('w1', 0, { asn: 3320, device_id: 'home', country: 'DE', ip: '198.51.100.3' });
    const s = feed(new TenantState(), [base(), login(100), deploy('w1', 110)]);
    assert.ok(has(s, 'w1', 'tenant.login.anomalous'));
    assert.equal(s.signalsOf(key('w1')).find((x) => x.id === 'tenant.login.anomalous')?.weight, 25);
    const late = feed(new TenantState(), [base(), deploy('w1', 110), login(100)]);
    assert.ok(has(late, 'w1', 'tenant.login.anomalous'), 'late login before an already seen deployment');
    const one = feed(new TenantState(), [
      base(),
      ev('login', {
        account_id: 'w1',
        ts: at(100),
        ip: '198.51.100.3',
        asn: 3320,
        device_id: 'new-laptop',
        country: 'DE',
      }),
      deploy('w1', 101),
    ]);
    assert.deepEqual(
      ids(one, 'w1'),
      ['tenant.login.new-context'],
      'one new thing is a weaker, non-risk signal',
    );
    const far = feed(new TenantState(), [base(), login(100), deploy('w1', 124.5)]);
    assert.equal(has(far, 'w1', 'tenant.login.anomalous'), false, 'more than 24h apart');
    const same = feed(new TenantState(), [
      base(),
      ev('login', {
        account_id: 'w1',
        ts: at(100),
        ip: '198.51.100.3',
        asn: 3320,
        device_id: 'home',
        country: 'DE',
      }),
      deploy('w1', 101),
    ]);
    assert.equal(has(same, 'w1', 'tenant.login.anomalous'), false);
  });
});

describe('TenantState: bounded and persistable', () => {
  it('sweeps accounts and bindings older than the horizon', () => {
    const s = new TenantState({ sweepEvery: 1_000_000 });
    for (let i = 0; i < 500; i++) feed(s, [created(`h${i}`, i)]);
    s.sweep();
    const st = s.stats();
    assert.ok(st.accounts <= 30 * 24 + 2, `accounts ${st.accounts}`);
    assert.equal(st.events, 500);
  });

  it('a restored snapshot continues exactly like the original', () => {
    const a = feed(new TenantState(), [
      created('s1', 0),
      created('s2', 0),
      created('s3', 0),
      payment('s1', 1, 'fpS'),
      payment('s2', 2, 'fpS'),
    ]);
    const b = TenantState.restore(JSON.parse(JSON.stringify(a.snapshot())));
    a.drainDirty();
    const next = payment('s3', 3, 'fpS');
    feed(a, [next]);
    feed(b, [next]);
    assert.deepEqual(a.drainDirty().sort(), b.drainDirty().sort());
    assert.deepEqual(a.signalsOf(key('s1')), b.signalsOf(key('s1')));
    assert.deepEqual(a.stats(), b.stats());
  });
});

describe('TenantState: streamed snapshots and sweeps', () => {
  const simulated = () =>
    simulateTenants({ seed: 'snapshot-parts', honestAccounts: 1500, start: '2026-03-01T00:00:00Z' })
      .events.map((e) => parseTenantEvent(e))
      .flatMap((r) => (r.ok ? [r.event] : []));
  const accountsOf = (events: TenantEvent[]) => [
    ...new Set(events.map((e) => key(e.account_id, e.provider))),
  ];

  it('a state restored from parts continues exactly like the original', () => {
    const events = simulated();
    const half = Math.floor(events.length / 2);
    const a = feed(new TenantState({ sweepEvery: 500 }), events.slice(0, half));
    a.drainDirty();
    // Small parts: many of them, each a JSON document of its own.
    const parts = [...a.snapshotParts(20_000)];
    assert.ok(parts.length > 5, `${parts.length} parts`);
    for (const p of parts) assert.ok(p.length < 40_000);
    const b = TenantState.restoreParts(
      parts.map((p) => JSON.parse(p)),
      { sweepEvery: 500 },
    );
    assert.deepEqual(b.stats(), a.stats());
    // Sweeps count events from the restore, as a restarted stage does: line them up.
    a.sweep();
    b.sweep();
    for (let i = half; i < events.length; i += 250) {
      const slice = events.slice(i, i + 250);
      feed(a, slice);
      feed(b, slice);
      assert.deepEqual(b.drainDirty().sort(), a.drainDirty().sort());
    }
    for (const k of accountsOf(events)) assert.deepEqual(b.signalsOf(k), a.signalsOf(k), k);
    assert.deepEqual(b.stats(), a.stats());
  });

  it('restores a version 1 snapshot (what stages persisted before parts)', () => {
    const events = simulated().slice(0, 3000);
    const a = feed(new TenantState(), events);
    const v2 = a.snapshot();
    const flat = <T>(xs: T[], n: number) =>
      Array.from({ length: xs.length / n }, (_, i) => xs.slice(i * n, i * n + n));
    const v1 = {
      version: 1 as const,
      watermark: v2.watermark ?? 0,
      events: v2.events,
      late: v2.late,
      values: v2.values.map(
        ([k, kind, display, strength, until, entries]) =>
          [k, kind, display, strength, until, flat(entries, 3)] as [
            string,
            (typeof v2.values)[number][1],
            string,
            number,
            number | null,
            Array<[number, string, string]>,
          ],
      ),
      accounts: v2.accounts.map((r) => ({
        key: r[0],
        provider: r[1],
        ...(r[2] !== null ? { createdAt: r[2] } : {}),
        ...(r[3] !== null ? { country: r[3] } : {}),
        lastSeen: r[4],
        bound: flat(r[5], 2) as Array<[string, number]>,
        knownAsns: r[6],
        knownCountries: r[7],
        knownDevices: r[8],
        deployments: flat(r[9], 2).map(([ts, id]) => ({ ts: ts as number, id: id as string })),
        domains: flat(r[10], 2).map(([ts, id]) => ({ ts: ts as number, id: id as string })),
        anomalies: r[11].map(([ts, id, reasons]) => ({ ts, id, reasons })),
        signals: r[12],
      })),
    };
    const b = TenantState.restore(JSON.parse(JSON.stringify(v1)));
    assert.deepEqual(b.stats(), a.stats());
    assert.deepEqual(b.snapshot(), a.snapshot());
  });

  it('a late first binding whose value is swept away does not hide the next binding', () => {
    const s = new TenantState({ sweepEvery: 1_000_000 });
    feed(s, [created('l1', 0), created('l2', 0), created('l3', 0), created('w', 100)]);
    // More than the allowed lateness behind the watermark: bound, but outside every window.
    feed(s, [payment('l1', 51, 'fpLate')]);
    s.sweep(); // the value has no window entries left, so it goes
    feed(s, [payment('l1', 101, 'fpLate'), payment('l2', 101, 'fpLate'), payment('l3', 102, 'fpLate')]);
    assert.ok(has(s, 'l1', 'tenant.velocity.payment-fingerprint'), 'l1 counts as a new binding');
  });
});

describe('TenantState: lists leave their windows at the sweep', () => {
  const attach = (account: string, hours: number, domain: string) =>
    ev('domain.attached', { account_id: account, ts: at(hours), domain });
  const run = (sweepBetween: boolean) => {
    const s = new TenantState({ sweepEvery: 1_000_000 });
    feed(s, [created('d1', 0), attach('d1', 1, 'one.example'), created('other', 100)]);
    if (sweepBetween) s.sweep(); // watermark 100h: the attach at 1h is behind every window
    feed(s, [
      attach('d1', 101, 'one.example'),
      attach('d1', 102, 'two.example'),
      attach('d1', 103, 'three.example'),
      attach('d1', 104, 'four.example'),
    ]);
    return has(s, 'd1', 'tenant.domain.attach-burst');
  };
  it('a domain attached again after a sweep dropped it counts as a new attach', () => {
    assert.equal(run(true), true, 'four distinct attaches within 24h');
    assert.equal(run(false), false, 'without a sweep the first attach is still known: a repeat');
  });
});

describe('largestBursts', () => {
  /** Widening every run's members one by one, as the cluster search did. */
  const naive = (createdAt: readonly number[], width: number, min: number): number[] => {
    const out = createdAt.map(() => 0);
    let lo = 0;
    for (let hi = 0; hi < createdAt.length; hi++) {
      while ((createdAt[lo] as number) <= (createdAt[hi] as number) - width) lo += 1;
      const n = hi - lo + 1;
      if (n < min) continue;
      for (let i = lo; i <= hi; i++) out[i] = Math.max(out[i] as number, n);
    }
    return out;
  };

  it('gives each account the largest run of creations within the window that includes it', () => {
    assert.deepEqual(largestBursts([0, 1, 2, 10, 11, 30], 5, 2), [3, 3, 3, 2, 2, 0]);
    assert.deepEqual(largestBursts([0, 1, 2, 10, 11, 30], 5, 3), [3, 3, 3, 0, 0, 0]);
    assert.deepEqual(largestBursts([], 5, 2), []);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rand() * 40);
      let t = 0;
      const times = Array.from({ length: n }, () => (t += Math.floor(rand() * 6)));
      const width = 1 + Math.floor(rand() * 12);
      const min = 1 + Math.floor(rand() * 5);
      assert.deepEqual(
        largestBursts(times, width, min),
        naive(times, width, min),
        `${times} ${width} ${min}`,
      );
    }
  });
});
