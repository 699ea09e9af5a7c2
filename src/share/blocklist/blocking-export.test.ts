import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { indicator, NOW, snapshot } from '../../../test/support/share-snapshot.js';
import { isBlockableName } from './block-entries.js';
import { BLOCK_FORMATS, exportBlocklist } from './blocking-export.js';
import { nextRpzSerial, rpzIpOwner } from './rpz-zone.js';
import { allocateSids } from './suricata-rules.js';

const base = { indicators: snapshot().indicators, scope: { tlp: 'green' as const }, now: NOW };
const file = (format: (typeof BLOCK_FORMATS)[number], over: Partial<typeof base> = {}) =>
  exportBlocklist(format, { ...base, ...over }).files[0]?.content ?? '';

describe('blocking outputs', () => {
  it('drop revoked, expired, not-yet-valid and out-of-scope indicators from every format', () => {
    const future = indicator('domain', 'not-yet-valid.com', { validFrom: '2026-12-01T00:00:00.000Z' });
    for (const format of BLOCK_FORMATS) {
      const files = exportBlocklist(format, { ...base, indicators: [...base.indicators, future] }).files;
      const text = files.map((f) => f.content).join('\n');
      for (const gone of [
        'reversed-decision.com',
        'expired-lure.com',
        'bank-secure-login.com',
        'not-yet-valid.com',
      ])
        assert.ok(!text.includes(gone), `${format} lists ${gone}`);
      if (format !== 'suricata' || text.includes('dns.query; dotprefix'))
        assert.ok(text.includes('login-micros0ft.com'), `${format} misses an active name`);
    }
  });

  it('writes an RPZ zone with SOA, NS, name and wildcard triggers and rpz-ip triggers', () => {
    const zone = file('rpz');
    assert.match(zone, /^\$ORIGIN rpz\.precursor\.invalid\.$/m);
    assert.match(
      zone,
      /^@ IN SOA localhost\. hostmaster\.rpz\.precursor\.invalid\. \d+ 3600 600 604800 300$/m,
    );
    assert.match(zone, /^@ IN NS localhost\.$/m);
    assert.match(zone, /^xn--mcrosoft-5ya\.com CNAME \.$/m);
    assert.match(zone, /^\*\.xn--mcrosoft-5ya\.com CNAME \.$/m);
    assert.match(zone, /^32\.7\.113\.0\.203\.rpz-ip CNAME \.$/m);
    assert.match(zone, /^128\.7\.zz\.db8\.2001\.rpz-ip CNAME \.$/m);
    assert.equal(rpzIpOwner('2001:db8:0:1:0:0:0:1'), '128.1.zz.1.0.db8.2001');
    assert.equal(rpzIpOwner('::ffff:192.0.2.1'), '128.201.c000.ffff.zz');
  });

  it('bumps the RPZ serial only when the content changes, always forward', () => {
    const first = exportBlocklist('rpz', base).rpzSerial!;
    const same = exportBlocklist('rpz', {
      ...base,
      now: new Date(NOW.getTime() + 3_600_000),
      rpz: { origin: 'rpz.precursor.invalid', previous: first },
    });
    assert.equal(same.rpzSerial?.serial, first.serial);
    const changed = exportBlocklist('rpz', {
      ...base,
      indicators: [...base.indicators, indicator('domain', 'new-lure.com')],
      rpz: { origin: 'rpz.precursor.invalid', previous: first },
    });
    assert.equal(changed.rpzSerial?.serial, first.serial + 1, 'same second: previous + 1');
    assert.match(changed.files[0]?.content ?? '', new RegExp(` ${first.serial + 1} 3600 `));
    const later = nextRpzSerial(first, 'other', new Date(NOW.getTime() + 86_400_000));
    assert.equal(later.serial, first.serial + 86_400);
    // a serial ahead of the clock (set by hand) still moves forward, and wraps past 2^32 - 1 skipping 0
    assert.equal(nextRpzSerial({ serial: 4_294_967_295, digest: 'a' }, 'b', new Date(0)).serial, 1);
  });

  it('refuses values that would inject records or rules', () => {
    const evil = [
      indicator('domain', 'evil.com\n@ IN NS attacker.'),
      indicator('domain', 'evil.com"; sid:1;'),
      indicator('ip', '1.2.3.4; drop'),
      indicator('url', 'https://x.example/a b'),
    ];
    const out = exportBlocklist('rpz', { ...base, indicators: evil });
    assert.equal(out.rejected.length, 4);
    assert.doesNotMatch(out.files[0]?.content ?? '', /evil|attacker|drop/);
    assert.ok(isBlockableName('_dmarc.example.com') && !isBlockableName('com') && !isBlockableName('a..b'));
  });

  it('writes hosts, adblock, plain and CSV lists', () => {
    assert.match(file('hosts'), /^0\.0\.0\.0 login-micros0ft\.com$/m);
    assert.match(file('adblock'), /^\[Adblock Plus 2\.0\]\n/);
    assert.match(file('adblock'), /^\|\|login-micros0ft\.com\^$/m);
    assert.equal(file('plain').split('\n').filter(Boolean).length, 7);
    const plainAll =
      exportBlocklist('plain', { ...base, plainKinds: ['domain', 'url', 'ip'] }).files[0]?.content ?? '';
    assert.match(plainAll, /^203\.0\.113\.7$/m);
    const rows = parse(file('csv'), { columns: true }) as Record<string, string>[];
    const url = rows.find((r) => r.kind === 'url' && r.value?.includes("o'auth"));
    assert.equal(url?.value, "https://login-micros0ft.com/o'auth\\callback?next='x'&q=\\\\share");
    assert.equal(
      rows.find((r) => r.value === 'login-micros0ft.com')?.reasons,
      'brand-lookalike:60|new-certificate:30',
    );
    assert.doesNotMatch(file('csv'), /raccoon-mail|fp_7Hq2LmX9/);
  });

  it('writes Suricata DNS and TLS SNI rules with stable sids, or a dataset for large lists', () => {
    const rules = file('suricata');
    const line = rules
      .split('\n')
      .find((l) => l.startsWith('alert dns') && l.includes('".login-micros0ft.com"'));
    assert.ok(line);
    assert.match(line, /dns\.query; dotprefix; content:"\.login-micros0ft\.com"; nocase; endswith;/);
    assert.match(
      rules,
      /alert tls any any -> any any \(.*tls\.sni; dotprefix; content:"\.login-micros0ft\.com"; nocase; endswith;/,
    );
    const sids = [...rules.matchAll(/sid:(\d+);/g)].map((m) => m[1]);
    assert.equal(new Set(sids).size, sids.length, 'sids are unique');
    const reordered = exportBlocklist('suricata', { ...base, indicators: [...base.indicators].reverse() })
      .files[0]?.content;
    assert.equal(reordered, rules);
    const slots = allocateSids(Array.from({ length: 50_000 }, (_, i) => `n${i}.example`));
    assert.equal(new Set(slots.values()).size, 50_000);

    const many = Array.from({ length: 30 }, (_, i) => indicator('domain', `lure-${i}.example`));
    const out = exportBlocklist('suricata', {
      ...base,
      indicators: many,
      suricata: { datasetThreshold: 10 },
    });
    assert.equal(out.files.length, 2);
    assert.match(
      out.files[0]?.content ?? '',
      /dns\.query; to_lowercase; dataset:isset,precursor-phishing,type string,load precursor-phishing\.lst;/,
    );
    const decoded = (out.files[1]?.content ?? '')
      .trim()
      .split('\n')
      .map((l) => Buffer.from(l, 'base64').toString());
    assert.deepEqual(decoded, many.map((m) => m.value).sort());
  });
});
