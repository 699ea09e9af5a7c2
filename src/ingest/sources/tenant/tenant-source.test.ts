import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSqliteStore } from '../../../store/sqlite/sqlite-store.js';
import { runIngest } from '../../run-ingest.js';
import { classifyNetwork, ipv6Prefix64, normaliseEmail } from '../../../correlate/identity/identity.js';
import { extractValidTenantEvent } from './tenant-extract.js';
import { parseTenantEvent, parseTenantEventLine } from './tenant-schema.js';
import { createTenantFileSource, decodeStoredTenantEvent, tenantObservation } from './tenant-source.js';

const base = { event_id: 'e1', provider: 'Cloud-A', account_id: '42', ts: '2026-03-01T10:00:00+02:00' };

describe('tenant event schema', () => {
  it('normalises a valid event', () => {
    const r = parseTenantEvent({
      ...base,
      type: 'account.created',
      email: 'a@b.test',
      ip: '192.0.2.1',
      asn: 'AS64500',
      country: 'de',
    });
    assert.ok(r.ok);
    assert.equal(r.event.provider, 'cloud-a');
    assert.equal(r.event.ts, '2026-03-01T08:00:00.000Z');
    assert.equal(r.event.schema_version, 1);
    assert.ok(r.event.type === 'account.created' && r.event.asn === 64500 && r.event.country === 'DE');
  });

  it('rejects bad events with a code and the path at fault', () => {
    const cases: Array<[unknown, string, string | undefined]> = [
      [{ ...base, type: 'account.created', email: 'a@b.test' }, 'SCHEMA_INVALID', 'ip'],
      [{ ...base, type: 'account.created', email: 'a@b.test', ip: '999.1.1.1' }, 'INVALID_VALUE', 'ip'],
      [{ ...base, type: 'account.exploded' }, 'SCHEMA_INVALID', 'type'],
      [{ ...base, ts: 'yesterday', type: 'login', ip: '192.0.2.1' }, 'SCHEMA_INVALID', 'ts'],
      [
        { ...base, type: 'payment.method_added', method: 'gold', fingerprint: 'x' },
        'SCHEMA_INVALID',
        'method',
      ],
      [{ ...base, type: 'domain.attached', domain: '192.0.2.1' }, 'INVALID_VALUE', 'domain'],
      [{ ...base, schema_version: 2, type: 'login', ip: '192.0.2.1' }, 'SCHEMA_INVALID', 'schema_version'],
      [[1, 2], 'SCHEMA_INVALID', undefined],
    ];
    for (const [input, code, path] of cases) {
      const r = parseTenantEvent(input);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (!r.ok) {
        assert.equal(r.rejection.code, code, JSON.stringify(input));
        assert.equal(r.rejection.path, path, JSON.stringify(input));
      }
    }
    const bad = parseTenantEventLine('{"type":');
    assert.ok(!bad.ok && bad.rejection.code === 'PARSE_ERROR');
  });
});

describe('stored tenant events', () => {
  it('reads back what ingest stored as is, and validates anything else in full', () => {
    const r = parseTenantEvent({ ...base, type: 'login', ip: '198.51.100.7', asn: 'AS3320' });
    assert.ok(r.ok);
    const stored = tenantObservation('tenant:test', r.event).payload;
    assert.equal(decodeStoredTenantEvent(stored), r.event, 'the normalised event is taken without parsing');
    // A row written by hand (or by an older version): offset time, string ASN, no schema_version.
    const raw = { ...base, type: 'login', ip: '198.51.100.7', asn: 'AS3320' };
    assert.deepEqual(decodeStoredTenantEvent({ event: raw }), r.event);
    assert.equal(decodeStoredTenantEvent({ event: { ...raw, ip: 'not an ip' } }), undefined);
    assert.equal(decodeStoredTenantEvent({ event: { ...raw, schema_version: 2 } }), undefined);
    assert.equal(decodeStoredTenantEvent({}), undefined);
    assert.equal(decodeStoredTenantEvent(null), undefined);
  });
});

describe('identity across providers', () => {
  it('normalises mailboxes and classifies mail domains', () => {
    assert.equal(normaliseEmail('J.Doe+x@GoogleMail.com')?.mailbox, 'jdoe@gmail.com');
    assert.equal(
      normaliseEmail('j.doe+x@corp.example')?.mailbox,
      'j.doe@corp.example',
      'dots only matter at providers that ignore them',
    );
    assert.equal(normaliseEmail('x@gmail.com')?.domainClass, 'free');
    assert.equal(normaliseEmail('x@mailinator.com')?.domainClass, 'disposable');
    assert.equal(normaliseEmail('x@acme-industries.example')?.domainClass, 'corporate');
  });

  it('classifies shared networks and folds IPv6 to /64', () => {
    assert.equal(classifyNetwork('100.64.3.4', 64500), 'shared');
    assert.equal(classifyNetwork('10.1.1.1', undefined), 'shared');
    assert.equal(classifyNetwork('172.58.1.1', 21928), 'mobile');
    assert.equal(classifyNetwork('3.4.5.6', 16509), 'hosting');
    assert.equal(classifyNetwork('81.2.3.4', 3320), 'residential');
    assert.equal(ipv6Prefix64('2001:db8:0:1::abcd'), '2001:db8:0:1::/64');
    assert.equal(ipv6Prefix64('2001:0db8:0000:0001:1:2:3:4'), '2001:db8:0:1::/64');
  });

  it('links accounts of two providers through the same attribute entities, and ubiquitous values not at all', () => {
    const a = parseTenantEvent({
      ...base,
      type: 'account.created',
      email: 'Op.Erator+1@gmail.com',
      ip: '3.4.5.6',
      asn: 16509,
      device_id: 'd1',
    });
    const b = parseTenantEvent({
      ...base,
      provider: 'cloud-b',
      event_id: 'x',
      type: 'account.created',
      email: 'operator@gmail.com',
      ip: '100.64.0.9',
      asn: 16509,
      device_id: 'd1',
    });
    assert.ok(a.ok && b.ok);
    const xa = extractValidTenantEvent(a.event);
    const xb = extractValidTenantEvent(b.event);
    const targets = (x: typeof xa) => new Map(x.links.map((l) => [l.to, l]));
    const ta = targets(xa);
    const tb = targets(xb);
    assert.equal(ta.get('email:operator@gmail.com')?.pivot, 'same-email');
    assert.ok(tb.has('email:operator@gmail.com'), 'same mailbox on the other provider');
    assert.ok(ta.has('device:d1') && tb.has('device:d1'));
    assert.equal(ta.get('ip:3.4.5.6')?.strength, 0.7, 'a hosting address is one machine');
    assert.equal(ta.get('asn:AS16509')?.strength, 0.1);
    assert.ok(![...tb.keys()].some((k) => k.startsWith('ip:')), 'CGNAT addresses do not link');
    assert.ok(![...ta.keys()].some((k) => k === 'domain:gmail.com'), 'a free-mail domain does not link');
    const corp = parseTenantEvent({
      ...base,
      type: 'account.created',
      email: 'ann@acme-industries.example',
      ip: '172.58.1.1',
      asn: 21928,
    });
    assert.ok(corp.ok);
    const tc = targets(extractValidTenantEvent(corp.event));
    assert.equal(tc.get('domain:acme-industries.example')?.pivot, 'same-email-domain');
    assert.ok(![...tc.keys()].some((k) => k.startsWith('ip:')), 'mobile-carrier addresses do not link');
  });
});

describe('tenant JSONL source', () => {
  it('turns lines into observations keyed by event id and bad lines into dead letters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenant-src-'));
    try {
      const file = join(dir, 'events.jsonl');
      const good = { ...base, type: 'login', ip: '192.0.2.1' };
      writeFileSync(
        file,
        [
          JSON.stringify(good),
          '{oops',
          JSON.stringify({ ...good, event_id: 'e2', ip: 'x' }),
          '',
          JSON.stringify(good),
        ].join('\n'),
      );
      const store = createSqliteStore({ path: join(dir, 'db.sqlite') });
      await store.migrate();
      const summary = await runIngest(createTenantFileSource({ path: file, sourceId: 'tenant:test' }), store);
      assert.equal(summary.inserted, 1);
      assert.equal(summary.duplicates, 1, 'the same event id twice is one observation');
      assert.equal(summary.rejected, 2);
      const dl = await store.observations.deadLetters({ source: 'tenant:test' });
      assert.deepEqual(
        dl.map((d) => [d.position, d.code, d.path]),
        [
          ['line 2', 'PARSE_ERROR', null],
          ['line 3', 'INVALID_VALUE', 'ip'],
        ],
      );
      const [o] = await store.observations.after(0, 10);
      assert.equal(o?.dedupeKey, 'tenant:cloud-a:e1');
      assert.equal(o?.observedAt, '2026-03-01T08:00:00.000Z');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
