import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Observation } from '../../../domain/index.js';
import { extract } from '../../extract.js';
import { asn1CertificateFacts, certificateFacts, tbsCertificateFacts } from './ct-certificate.js';
import { parseExtraData, parseMerkleTreeLeaf } from './ct-leaf.js';
import { parseLogList } from './ct-log-list.js';
import { parseRfc6962Record } from './rfc6962-source.js';
import { recordedEntries } from './test-log.js';

const FIXTURES = new URL('../../../../test/fixtures/ct', import.meta.url).pathname;

const parse = (leaf_input: string, extra_data: string, index = 0) =>
  parseRfc6962Record('ct:test', 'test', {
    position: `index ${index}`,
    raw: '',
    cursor: String(index + 1),
    context: { index, leaf_input, extra_data },
  });

const certOf = (r: ReturnType<typeof parse>) => {
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.observations.length, 1);
  return r.observations[0] as Observation<'certificate'>;
};

describe('recorded RFC 6962 entries', () => {
  const entries = recordedEntries(FIXTURES);

  it('decode both MerkleTreeLeaf entry types', () => {
    const types = entries.map((e) => parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64')).entryType);
    assert.deepEqual(types, ['x509', 'x509', 'x509', 'x509', 'precert', 'x509', 'x509']);
  });

  it('x509 entries: names, issuer, serial and fingerprint agree with Node’s X509Certificate', () => {
    for (const [i, e] of entries.entries()) {
      const leaf = parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64'));
      if (leaf.entryType !== 'x509') continue;
      const o = certOf(parse(e.leaf_input, e.extra_data, i));
      const x = new X509Certificate(leaf.der);
      assert.equal(o.payload.sha256, x.fingerprint256.replaceAll(':', '').toLowerCase());
      assert.equal(o.payload.serial, x.serialNumber.toLowerCase().replace(/^(00)+/, ''));
      const sans = (x.subjectAltName ?? '').split(', ').map((s) => s.replace(/^DNS:/, ''));
      assert.deepEqual(new Set(o.payload.names), new Set(sans));
      assert.equal(o.payload.precert, false);
      assert.equal(o.observedAt, new Date(leaf.timestamp).toISOString());
    }
  });

  it('the recorded entries give the expected names and issuers', () => {
    const got = entries.map((e, i) => {
      const p = certOf(parse(e.leaf_input, e.extra_data, i)).payload;
      return [p.names.join(' '), p.issuer];
    });
    assert.deepEqual(got, [
      ['mail.google.com', 'C=US, O=Google Inc, CN=Google Internet Authority'],
      ['www.struleartscentre.purchase-tickets-online.co.uk', 'C=US, O=GeoTrust, Inc., CN=GeoTrust SSL CA'],
      ['www.netkeiba.com', 'C=JP, O=Cybertrust Japan Co., Ltd., CN=Cybertrust Japan Public CA G2'],
      [
        'www.oxfordplayhouse.com oxfordplayhouse.com',
        'C=BE, O=GlobalSign nv-sa, CN=GlobalSign Extended Validation CA - G2',
      ],
      ['itech.social', "C=US, O=Let's Encrypt, CN=Let's Encrypt Authority X3"],
      ['sigal.buhle.fr', "C=US, O=Let's Encrypt, CN=Let's Encrypt Authority X3"],
      ['danadjs.ch', "C=US, O=Let's Encrypt, CN=Let's Encrypt Authority X3"],
    ]);
  });

  it('precert entry: names from the TBSCertificate, fingerprint of the submitted precertificate', () => {
    const e = entries[4] as (typeof entries)[number];
    const o = certOf(parse(e.leaf_input, e.extra_data, 4));
    const pre = parseExtraData(Buffer.from(e.extra_data, 'base64'), 'precert').preCertificate as Uint8Array;
    const x = new X509Certificate(pre);
    assert.equal(o.payload.precert, true);
    assert.equal(o.payload.sha256, '4920fef7f947240a911693d58f274ba643739ae64b049fadd22d5fd5bbd4881b');
    assert.equal(o.payload.sha256, x.fingerprint256.replaceAll(':', '').toLowerCase());
    assert.deepEqual(o.payload.names, ['itech.social']);
    assert.equal(o.payload.serial, '031c19d9893ce9e71cb24d1f19a7830fc755');
    assert.equal(o.payload.notBefore, '2019-07-29T12:00:29.000Z');
    assert.equal(o.payload.notAfter, '2019-10-27T12:00:29.000Z');
  });

  it('the native (OpenSSL) and pure-JS (asn1-x509) paths agree on every recorded entry', () => {
    for (const e of entries) {
      const leaf = parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64'));
      const tbsOnly = leaf.entryType === 'precert';
      const native = tbsOnly ? tbsCertificateFacts(leaf.der) : certificateFacts(leaf.der);
      assert.deepEqual(native, asn1CertificateFacts(leaf.der, tbsOnly));
    }
  });

  it('extracts a cert entity linked to its domain names', () => {
    const e = entries[3] as (typeof entries)[number];
    const x = extract(certOf(parse(e.leaf_input, e.extra_data, 3)));
    assert.deepEqual(
      x.entities.map((en) => en.key),
      [
        'cert:sha256:15774f2885bb7b78064fd05a794bd9082abf8b9fe8cecd86b5b0441e893ebaa5',
        'domain:www.oxfordplayhouse.com',
        'domain:oxfordplayhouse.com',
      ],
    );
    assert.ok(x.links.every((l) => l.pivot === 'cert-name'));
  });

  it('malformed leaves are rejections with reasons, never throws', () => {
    const good = entries[0] as (typeof entries)[number];
    const buf = Buffer.from(good.leaf_input, 'base64');
    const cases: Array<[string, string]> = [
      ['', 'SCHEMA_INVALID'],
      [buf.subarray(0, 40).toString('base64'), 'PARSE_ERROR'], // truncated
      [Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9]).toString('base64'), 'PARSE_ERROR'], // unknown entry type
      [Buffer.from([1, 0]).toString('base64'), 'PARSE_ERROR'], // unknown version
      [
        Buffer.concat([buf.subarray(0, 15), Buffer.alloc(buf.length - 15, 0x41)]).toString('base64'),
        'PARSE_ERROR',
      ], // bad DER
    ];
    for (const [leaf, code] of cases) {
      const r =
        leaf === ''
          ? parseRfc6962Record('ct:t', 't', {
              position: 'index 0',
              raw: '',
              cursor: '1',
              context: { index: 0, invalid: 'leaf_input missing' },
            })
          : parse(leaf, '');
      assert.equal(r.ok, false, leaf);
      if (!r.ok) assert.equal(r.rejection.code, code, r.rejection.reason);
    }
  });
});

describe('CT log list (v3)', () => {
  const json = JSON.parse(readFileSync(`${FIXTURES}/log_list.json`, 'utf8')) as unknown;

  it('reads RFC 6962 and tiled logs, each with its kind and URL', () => {
    const all = parseLogList(json, { states: 'all' });
    assert.equal(all.filter((l) => l.kind === 'rfc6962').length, 49);
    assert.equal(all.filter((l) => l.kind === 'static').length, 26);
    const argon = all.find((l) => l.description === "Google 'Argon2025h2' log");
    assert.equal(argon?.name, 'ct.googleapis.com/logs/us1/argon2025h2');
    assert.equal(argon?.url, 'https://ct.googleapis.com/logs/us1/argon2025h2/');
    const syc = all.find((l) => l.description === "Let's Encrypt 'Sycamore2025h2d'");
    assert.equal(syc?.kind, 'static');
    assert.equal(syc?.url, 'https://mon.sycamore.ct.letsencrypt.org/2025h2d/');
    assert.equal(syc?.name, 'log.sycamore.ct.letsencrypt.org/2025h2d');
  });

  it('filters by state and name, and rejects an invalid list', () => {
    const usable = parseLogList(json);
    assert.ok(usable.every((l) => l.state === 'usable' || l.state === 'qualified' || l.state === 'readonly'));
    assert.ok(parseLogList(json, { match: ['sycamore'] }).every((l) => l.name.includes('sycamore')));
    assert.throws(
      () => parseLogList({ operators: [{ name: 'x', logs: [{ url: 'nope' }] }] }),
      /invalid CT log list/,
    );
  });
});
