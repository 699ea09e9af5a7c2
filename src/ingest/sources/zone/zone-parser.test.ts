import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  absoluteName,
  isZoneError,
  parseZone,
  scanZone,
  scanZoneNs,
  type ZoneItem,
  type ZoneParseOptions,
} from './zone-parser.js';

const ZONES = new URL('../../../../test/fixtures/zones', import.meta.url).pathname;

/** An item as a comparable string; NS records reduced to what the byte path reports (owner, target). */
const norm = (i: ZoneItem): string =>
  isZoneError(i)
    ? `error@${i.line}: ${i.error}`
    : i.type === 'NS'
      ? `NS ${i.owner} ${absoluteName(i.rdata[0] as string, i.origin)}`
      : `${i.type} ${i.owner} ${i.ttl} ${i.rdata.join(' ')} @${i.line}`;

async function bothPaths(
  path: string,
  options: ZoneParseOptions,
): Promise<[string[], string[], number, number]> {
  const viaStrings: string[] = [];
  const viaBytes: string[] = [];
  const n1 = await scanZone(path, (i) => viaStrings.push(norm(i)), options);
  const n2 = await scanZoneNs(
    path,
    (o, ol, t, tl) => viaBytes.push(`NS ${o.toString('latin1', 0, ol)} ${t.toString('latin1', 0, tl)}`),
    (i) => viaBytes.push(norm(i)),
    options,
  );
  return [viaStrings, viaBytes, n1, n2];
}

async function items(text: string, origin?: string): Promise<ZoneItem[]> {
  const chunks = (async function* () {
    // Split mid-line to exercise the chunk carry.
    for (let i = 0; i < text.length; i += 7) yield text.slice(i, i + 7);
  })();
  const out: ZoneItem[] = [];
  for await (const item of parseZone(chunks, origin === undefined ? {} : { origin })) out.push(item);
  return out;
}

describe('RFC 1035 master-file parser', () => {
  it('handles $ORIGIN, $TTL, @, relative names, blank owners, TTL/class in either order', async () => {
    const zone = [
      '$ORIGIN example.',
      '$TTL 1h',
      '@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300',
      '@ 3600 IN NS ns1',
      'Sub IN 600 NS ns1.other.net.',
      '    NS ns2.other.net.',
      'www A 192.0.2.1',
    ].join('\n');
    const got = (await items(zone)).map((i) =>
      isZoneError(i) ? i : [i.owner, i.ttl, i.type, i.rdata.join(' '), i.origin],
    );
    assert.deepEqual(got, [
      ['example.', 3600, 'SOA', 'ns1 hostmaster 2024010101 7200 3600 1209600 300', 'example.'],
      ['example.', 3600, 'NS', 'ns1', 'example.'],
      ['sub.example.', 600, 'NS', 'ns1.other.net.', 'example.'],
      ['sub.example.', 600, 'NS', 'ns2.other.net.', 'example.'],
      ['www.example.', 600, 'A', '192.0.2.1', 'example.'],
    ]);
  });

  it('handles multi-line parentheses, comments and quoted strings', async () => {
    const zone = [
      'example. 86400 IN SOA ns1.example. host.example. ( ; serial follows',
      '   2024010101 ; serial',
      '   7200 3600 1209600 300 )',
      'txt.example. 300 IN TXT "a ; not a comment" "b (c)"',
    ].join('\n');
    const got = (await items(zone)).map((i) => (isZoneError(i) ? i : [i.type, i.rdata]));
    assert.deepEqual(got, [
      ['SOA', ['ns1.example.', 'host.example.', '2024010101', '7200', '3600', '1209600', '300']],
      ['TXT', ['"a ; not a comment"', '"b (c)"']],
    ]);
  });

  it('reports malformed entries with their line and goes on', async () => {
    const zone = [
      'ok.example. 300 IN NS ns.example.',
      'bad.example. 300 IN',
      '$INCLUDE /etc/passwd',
      'x.example. 1x IN NS a.',
      '  NS b.example.',
      'after.example. 300 IN NS ns.example.',
      'open.example. 300 IN TXT ( "never closed"',
    ].join('\n');
    const got = (await items(zone)).map((i) =>
      isZoneError(i) ? `error@${i.line}: ${i.error}` : `${i.owner} ${i.rdata[0]}`,
    );
    assert.deepEqual(got, [
      'ok.example. ns.example.',
      'error@2: record without a type',
      'error@3: unsupported directive $INCLUDE',
      "error@4: invalid TTL '1x'",
      'ok.example. b.example.',
      'after.example. ns.example.',
      "error@7: unclosed '(' at end of file",
    ]);
  });
});

describe('the byte path (scanZoneNs) against the string path (scanZone)', () => {
  const TRICKY = [
    '  NS before.any.owner.',
    '$ORIGIN Example.',
    '$TTL 1h',
    '@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300',
    '@ 3600 IN NS ns1',
    'Sub IN 600 NS NS1.Other.NET.',
    '    ns ns2.other.net.',
    '\tNS tab.other.net.',
    'MiXeD 300 in Ns relative',
    'ttl-units 1h IN NS a.example.net.',
    'bad-ttl 1x IN NS a.example.net.',
    'digits-type 300 IN 1NS a.example.net.',
    'no-rdata IN NS',
    'no-type 300 IN',
    'www A 192.0.2.1',
    '   AAAA 2001:db8::1',
    'ds-only IN DS 12345 8 2 ABCDEF',
    'txt IN TXT "a ; b" "c (d)"',
    'comment IN NS ns.example.net. ; a comment',
    'paren IN NS (',
    '   ns.paren.net. )',
    '  NS after-paren.net.',
    'crlf IN NS ns.crlf.net.\r',
    '',
    '   ',
    '\xc9cole IN NS ns.latin1.net.',
    '  NS after-latin1.net.',
    'esc\\.dot IN NS ns.esc.net.',
    '$ORIGIN .',
    'root-rel IN NS x',
    'CS NS class-as-owner.',
    'both 300 CH NS a.b.',
    'class-first IN 300 NS a.b.',
    '@ NS at-origin.',
    '$ORIGIN sub.zone.',
    '@ NS at-sub.',
    'a.b.c NS d.e',
    '$GENERATE 1-2 x$ NS y',
    'last IN NS no-newline.net.',
  ].join('\n');

  const dir = mkdtempSync(join(tmpdir(), 'zone-bytes-'));
  const tricky = join(dir, 'tricky.zone');
  writeFileSync(tricky, Buffer.from(TRICKY, 'latin1'));

  for (const [what, options] of [
    ['NS and SOA wanted', { types: new Set(['NS', 'SOA']) }],
    ['every type wanted', {}],
    ['NS only, origin com.', { types: new Set(['NS']), origin: 'com.' }],
  ] as const) {
    it(`gives the same records, errors and line numbers on a tricky zone (${what})`, async () => {
      const [a, b, n1, n2] = await bothPaths(tricky, options);
      assert.deepEqual(b, a);
      assert.equal(n2, n1);
      assert.ok(a.some((x) => x.startsWith('NS mixed.example. relative.example.')));
      assert.ok(a.some((x) => x.startsWith('error@')));
    });
  }

  for (const f of ['root.zone.2023-12-31', 'root.zone.2026-08-22']) {
    it(`gives the same records on the real root zone ${f}`, async () => {
      const [a, b] = await bothPaths(join(ZONES, f), { types: new Set(['NS', 'SOA']) });
      assert.ok(a.length > 5000);
      assert.deepEqual(b, a);
    });
  }

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
