import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateTenants } from '../../../simulate/tenant-simulator.js';
import { fastTenantEvent } from './tenant-fast-parse.js';
import { parseTenantEvent, tenantEventSchema } from './tenant-schema.js';

/** The fast path may decline, but whatever it accepts zod accepts with the identical output. */
function agrees(input: unknown): boolean {
  const fast = fastTenantEvent(input);
  const z = tenantEventSchema.safeParse(input);
  if (fast === undefined) return false;
  assert.ok(z.success, `zod rejects what the fast path accepted: ${JSON.stringify(input)}`);
  assert.deepStrictEqual(fast, z.data);
  assert.deepStrictEqual(Object.keys(fast), Object.keys(z.data as object), 'same key order');
  return true;
}

const base = {
  event_id: 'e1',
  provider: 'cloud-a',
  account_id: 'a1',
  ts: '2024-01-01T10:00:00.000Z',
};

test('the fast path agrees with zod on a simulated month', () => {
  const sim = simulateTenants({ seed: 'fast-parse', start: '2024-01-01T00:00:00Z' });
  let taken = 0;
  for (const e of sim.events.slice(0, 40_000)) if (agrees(e)) taken += 1;
  // Well-formed events (all but the simulator's deliberately malformed ones) take the fast path.
  assert.ok(taken > 39_000, `only ${taken} took the fast path`);
});

test('the fast path declines what zod must normalise or reject, and zod names the field', () => {
  const cases: unknown[] = [
    { ...base, type: 'login', ip: ' 10.0.0.1' }, // trimmed by zod
    { ...base, type: 'login', ip: '10.0.0.1', asn: 'AS13335' }, // ASN string converted by zod
    { ...base, type: 'login', ip: '10.0.0.1', country: 'de' }, // upper-cased by zod
    { ...base, provider: 'Cloud-A', type: 'login', ip: '10.0.0.1' }, // lower-cased by zod
    { ...base, ts: '2024-01-01T12:00:00+02:00', type: 'login', ip: '10.0.0.1' }, // offset converted
    { ...base, ts: '2024-02-30T00:00:00.000Z', type: 'login', ip: '10.0.0.1' }, // no such day
    { ...base, type: 'login', ip: '10.0.0.1', extra: 1 }, // unknown key, stripped by zod
    { ...base, type: 'payment.made', method: 'crypto', fingerprint: 'f', amount: 1, currency: 'usd' },
    { ...base, schema_version: 2, type: 'login', ip: '10.0.0.1' },
    { ...base, type: 'login', ip: '10.0.0.300' },
    { ...base, type: 'login' },
    { ...base, type: 'resource.usage', metric: 'cpu', value: Number.NaN },
    { ...base, type: 'deployment.created', kind: 'site', url: 'ftp://x.example' },
    { ...base, type: 'login', ip: '10.0.0.1', device_id: undefined },
  ];
  for (const c of cases) assert.equal(fastTenantEvent(c), undefined, JSON.stringify(c));
  const r = parseTenantEvent({ ...base, type: 'login', ip: '10.0.0.300' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.rejection.path, 'ip');
  const d = parseTenantEvent({ ...base, type: 'domain.attached', domain: 'EXAMPLE.com' });
  assert.ok(d.ok && d.event.type === 'domain.attached' && d.event.domain === 'example.com');
});

test('the fast path takes each event type in normal form', () => {
  const ok: unknown[] = [
    {
      ...base,
      type: 'account.created',
      email: 'x@example.com',
      ip: '2001:db8::1',
      asn: 64500,
      country: 'DE',
      device_id: 'd',
      user_agent: ' ua ',
    },
    { ...base, schema_version: 1, type: 'account.updated', email: 'y@example.com' },
    { ...base, type: 'account.closed', reason: 'fraud' },
    {
      ...base,
      type: 'payment.method_added',
      method: 'crypto',
      fingerprint: 'f',
      wallet_address: 'w',
      chain: 'btc',
      bin_country: 'US',
    },
    { ...base, type: 'payment.made', method: 'card', fingerprint: 'f', amount: 0, currency: 'USD' },
    { ...base, type: 'domain.attached', domain: 'example.com' },
    { ...base, type: 'domain.attached', domain: 'EXAMPLE.com.' }, // canonicalised exactly as zod does
    {
      ...base,
      type: 'deployment.created',
      kind: 'worker',
      url: 'https://a.example/x',
      domains: ['a.example', 'xn--bcher-kva.example'],
    },
    { ...base, type: 'resource.usage', metric: 'cpu', value: -1.5 },
    { ...base, type: 'login', ip: '10.0.0.1', asn: 0 },
  ];
  for (const c of ok) assert.ok(agrees(c), JSON.stringify(c));
});

test('timestamps: the fast path takes exactly the real instants in normal form', () => {
  const ev = (ts: string) => ({ ...base, ts, type: 'login', ip: '10.0.0.1' });
  for (const ts of [
    '2024-02-29T23:59:59.999Z', // leap day
    '2000-02-29T00:00:00.000Z', // divisible by 400: leap
    '0000-01-01T00:00:00.000Z',
    '2024-12-31T00:00:00.000Z',
    '2024-04-30T12:34:56.789Z',
  ])
    assert.ok(agrees(ev(ts)), ts);
  for (const ts of [
    '2023-02-29T00:00:00.000Z', // not a leap year
    '1900-02-29T00:00:00.000Z', // divisible by 100, not by 400
    '2024-04-31T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z',
    '2024-00-10T00:00:00.000Z',
    '2024-01-00T00:00:00.000Z',
    '2024-01-01T24:00:00.000Z',
    '2024-01-01T23:60:00.000Z',
    '2024-01-01T23:59:60.000Z', // leap second: Date.parse refuses it
    '2024-01-01T10:00:00Z', // no milliseconds: not the normal form
  ]) {
    assert.equal(fastTenantEvent(ev(ts)), undefined, ts);
    // zod then decides; where it accepts, the output is the normal form.
    const r = parseTenantEvent(ev(ts));
    if (r.ok) assert.equal(r.event.ts, new Date(ts).toISOString(), ts);
  }
});
