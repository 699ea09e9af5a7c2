import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isZoneError, parseZone, type ZoneItem } from './zone-parser.js';

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
