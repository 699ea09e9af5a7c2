/**
 * The strict DER reader (`der-facts.ts`) is held to the answers of the full X.509 implementations:
 * `@peculiar/asn1-x509` (the reference) and Node's `X509Certificate` (OpenSSL), over every certificate
 * in the recorded fixtures, over generated certificates exercising the features it decodes, and over
 * mutated certificates, where it must either agree or decline (never answer differently).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { AsnParser, AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  id_ce_subjectAltName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';
import {
  asn1CertificateFacts,
  type CertificateFacts,
  certificateFacts,
  fullCertificateFacts,
  fullTbsCertificateFacts,
  tbsCertificateFacts,
} from './ct-certificate.js';
import { parseExtraData, parseMerkleTreeLeaf } from './ct-leaf.js';
import { DerUnsupported, derCertificateFacts, derTbsCertificateFacts } from './der-facts.js';
import { recordedEntries } from './test-log.js';

const FIXTURES = new URL('../../../../test/fixtures/ct', import.meta.url).pathname;

/** Every certificate and TBSCertificate in the recorded fixtures. */
function recordedDer(): { certs: Uint8Array[]; tbs: Uint8Array[] } {
  const certs: Uint8Array[] = [];
  const tbs: Uint8Array[] = [];
  for (const e of recordedEntries(FIXTURES)) {
    const leaf = parseMerkleTreeLeaf(Buffer.from(e.leaf_input, 'base64'));
    if (leaf.entryType === 'x509') certs.push(leaf.der);
    else tbs.push(leaf.der);
    const extra = parseExtraData(Buffer.from(e.extra_data, 'base64'), leaf.entryType);
    if (extra.preCertificate !== undefined) certs.push(extra.preCertificate);
    certs.push(...extra.chain);
  }
  return { certs, tbs };
}

const recorded = recordedDer();
const base = AsnParser.parse(recorded.tbs[0] as Uint8Array, TBSCertificate);

type Value =
  | { utf8String: string }
  | { printableString: string }
  | { ia5String: string }
  | Record<string, string>;
const rdn = (...atvs: Array<[string, Value]>): RelativeDistinguishedName =>
  new RelativeDistinguishedName(
    atvs.map(([type, value]) => new AttributeTypeAndValue({ type, value: new AttributeValue(value) })),
  );

interface Spec {
  readonly subject?: RelativeDistinguishedName[];
  readonly issuer?: RelativeDistinguishedName[];
  readonly serial?: number[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly san?: GeneralName[][];
  readonly critical?: boolean;
  readonly v1?: boolean;
}

/** A TBSCertificate like the recorded precert's, changed as `spec` says. */
function makeTbs(spec: Spec): Uint8Array {
  const t = AsnParser.parse(AsnSerializer.serialize(base), TBSCertificate);
  if (spec.subject) t.subject = new Name(spec.subject);
  if (spec.issuer) t.issuer = new Name(spec.issuer);
  if (spec.serial) t.serialNumber = new Uint8Array(spec.serial).buffer;
  if (spec.notBefore || spec.notAfter)
    t.validity = new Validity({
      notBefore: spec.notBefore ?? base.validity.notBefore.getTime(),
      notAfter: spec.notAfter ?? base.validity.notAfter.getTime(),
    });
  if (spec.v1) {
    t.version = 0;
    delete t.extensions;
  } else if (spec.san) {
    const others = (t.extensions ?? []).filter((e) => e.extnID !== id_ce_subjectAltName);
    const sans = spec.san.map(
      (gns) =>
        new Extension({
          extnID: id_ce_subjectAltName,
          critical: spec.critical ?? false,
          extnValue: new OctetString(AsnSerializer.serialize(new SubjectAlternativeName(gns))),
        }),
    );
    t.extensions = new Extensions([...others, ...sans]);
  }
  return new Uint8Array(AsnSerializer.serialize(t));
}

/** A whole Certificate around a TBSCertificate (a dummy signature: nothing verifies it). */
function makeCert(tbsDer: Uint8Array): Uint8Array {
  const c = new Certificate({
    tbsCertificate: AsnParser.parse(tbsDer, TBSCertificate),
    signatureAlgorithm: base.signature,
    signatureValue: new Uint8Array(64).fill(7).buffer,
  });
  return new Uint8Array(AsnSerializer.serialize(c));
}

const dns = (n: string) => new GeneralName({ dNSName: n });

const GENERATED: Record<string, Spec> = {
  'unicode organisation, multi-valued RDN, e-mail, DC and an unknown attribute': {
    subject: [
      rdn(['2.5.4.6', { printableString: 'DE' }]),
      rdn(['2.5.4.10', { utf8String: 'Bücher & Söhne, GmbH — 東京' }]),
      rdn(['2.5.4.11', { utf8String: 'Web' }], ['2.5.4.3', { utf8String: 'Shop.Example.DE' }]),
      rdn(['1.2.840.113549.1.9.1', { ia5String: 'hostmaster@example.de' }]),
      rdn(['0.9.2342.19200300.100.1.25', { ia5String: 'example' }]),
      rdn(['1.3.6.1.4.1.99999.1', { printableString: 'custom' }]),
    ],
    san: [[dns('shop.example.de'), dns('WWW.Example.DE'), dns('shop.example.de')]],
  },
  'CN that is not a host name, SAN with e-mail, IP, URI and wildcard': {
    subject: [rdn(['2.5.4.3', { utf8String: 'Example Holdings Ltd' }])],
    san: [
      [
        new GeneralName({ rfc822Name: 'a@example.org' }),
        dns('*.example.org'),
        new GeneralName({ iPAddress: '192.0.2.7' }),
        new GeneralName({ uniformResourceIdentifier: 'https://example.org/' }),
        dns('example.org'),
      ],
    ],
  },
  'critical SAN, no subject (RFC 5280 §4.2.1.6)': {
    subject: [],
    critical: true,
    san: [[dns('only-in-san.example.net')]],
  },
  'two SAN extensions': { san: [[dns('one.example')], [dns('two.example'), dns('one.example')]] },
  'GeneralizedTime validity after 2049 and UTCTime before 2000': {
    notBefore: new Date('1999-12-31T23:59:59Z'),
    notAfter: new Date('2051-02-28T00:00:01Z'),
  },
  'serial with a leading zero octet': { serial: [0x00, 0x9c, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07] },
  'serial zero': { serial: [0x00] },
  'v1 certificate without extensions': {
    v1: true,
    subject: [rdn(['2.5.4.3', { printableString: 'legacy.example.com' }])],
  },
};

/** Generated certificates that the reader declines; the full parsers must still answer. */
const DECLINED: Record<string, Spec> = {
  'TeletexString CN': { subject: [rdn(['2.5.4.3', { teletexString: 'teletex.example.com' }])] },
  'BMPString organisation': { subject: [rdn(['2.5.4.10', { bmpString: 'BMP Org' }])] },
  'negative serial': { serial: [0x9c, 0x01, 0x02] },
};

const same = (a: CertificateFacts, b: CertificateFacts, what: string): void => assert.deepEqual(a, b, what);

describe('strict DER certificate reader', () => {
  it('agrees with asn1-x509 and OpenSSL on every recorded certificate and precert TBSCertificate', () => {
    assert.ok(recorded.certs.length >= 20 && recorded.tbs.length >= 1);
    for (const [i, der] of recorded.certs.entries()) {
      const fast = derCertificateFacts(der);
      same(fast, asn1CertificateFacts(der), `certificate ${i} vs asn1-x509`);
      same(fast, fullCertificateFacts(der), `certificate ${i} vs OpenSSL`);
      same(fast, certificateFacts(der), `certificate ${i} via certificateFacts`);
    }
    for (const [i, der] of recorded.tbs.entries()) {
      const fast = derTbsCertificateFacts(der);
      same(fast, asn1CertificateFacts(der, true), `TBS ${i} vs asn1-x509`);
      same(fast, fullTbsCertificateFacts(der), `TBS ${i} vs OpenSSL`);
    }
  });

  for (const [what, spec] of Object.entries(GENERATED)) {
    it(`agrees on a generated certificate: ${what}`, () => {
      const tbs = makeTbs(spec);
      const cert = makeCert(tbs);
      const fast = derCertificateFacts(cert);
      same(fast, asn1CertificateFacts(cert), 'certificate vs asn1-x509');
      same(derTbsCertificateFacts(tbs), asn1CertificateFacts(tbs, true), 'TBS vs asn1-x509');
      same(derTbsCertificateFacts(tbs), fast, 'TBS vs certificate');
      // Where OpenSSL and asn1-x509 disagree the reader follows asn1-x509: OpenSSL prints a multi-valued
      // RDN on separate lines, reads only the first of two SAN extensions and prints serial 0 as `0`.
      const native = fullCertificateFacts(cert);
      if (what.startsWith('unicode')) assert.deepEqual(fast.names, native.names);
      else if (what === 'two SAN extensions') assert.deepEqual(native.names, fast.names.slice(0, 2));
      else if (what === 'serial zero') assert.deepEqual({ ...native, serial: '00' }, fast);
      else same(fast, native, 'certificate vs OpenSSL');
      new X509Certificate(cert); // the generated certificate is one OpenSSL accepts
    });
  }

  it('reads what the generated certificates say', () => {
    const f = derTbsCertificateFacts(
      makeTbs(
        GENERATED['unicode organisation, multi-valued RDN, e-mail, DC and an unknown attribute'] as Spec,
      ),
    );
    assert.equal(
      f.subject,
      'C=DE, O=Bücher & Söhne, GmbH — 東京, OU=Web + CN=Shop.Example.DE, emailAddress=hostmaster@example.de, DC=example, 1.3.6.1.4.1.99999.1=custom',
    );
    assert.deepEqual(f.names, ['shop.example.de', 'www.example.de']);
    const g = derTbsCertificateFacts(
      makeTbs(GENERATED['GeneralizedTime validity after 2049 and UTCTime before 2000'] as Spec),
    );
    assert.equal(g.notBefore, '1999-12-31T23:59:59.000Z');
    assert.equal(g.notAfter, '2051-02-28T00:00:01.000Z');
    assert.equal(
      derTbsCertificateFacts(makeTbs(GENERATED['serial with a leading zero octet'] as Spec)).serial,
      '9c01020304050607',
    );
    assert.equal(derTbsCertificateFacts(makeTbs(GENERATED['serial zero'] as Spec)).serial, '00');
    const w = derTbsCertificateFacts(
      makeTbs(GENERATED['CN that is not a host name, SAN with e-mail, IP, URI and wildcard'] as Spec),
    );
    assert.deepEqual(w.names, ['*.example.org', 'example.org']);
  });

  for (const [what, spec] of Object.entries(DECLINED)) {
    it(`declines, and the full parsers answer: ${what}`, () => {
      const tbs = makeTbs(spec);
      const cert = makeCert(tbs);
      assert.throws(() => derCertificateFacts(cert), DerUnsupported);
      assert.throws(() => derTbsCertificateFacts(tbs), DerUnsupported);
      same(certificateFacts(cert), fullCertificateFacts(cert), 'certificateFacts falls back');
      same(tbsCertificateFacts(tbs), fullTbsCertificateFacts(tbs), 'tbsCertificateFacts falls back');
    });
  }

  it('on truncated or mutated DER it declines or agrees with asn1-x509, never answers differently', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let agreed = 0;
    let declined = 0;
    const check = (der: Uint8Array, tbsOnly: boolean): void => {
      let fast: CertificateFacts;
      try {
        fast = tbsOnly ? derTbsCertificateFacts(der) : derCertificateFacts(der);
      } catch (e) {
        assert.ok(e instanceof DerUnsupported, String(e));
        declined++;
        return;
      }
      let reference: CertificateFacts;
      try {
        reference = asn1CertificateFacts(der, tbsOnly);
      } catch {
        // The reference refuses a mutation somewhere the reader skips by length (public key,
        // signature, another extension): the five facts it read are still the encoded ones.
        return;
      }
      same(fast, reference, 'mutated DER');
      agreed++;
    };
    const inputs: Array<[Uint8Array, boolean]> = [
      ...recorded.certs.slice(0, 8).map((d): [Uint8Array, boolean] => [d, false]),
      ...recorded.tbs.map((d): [Uint8Array, boolean] => [d, true]),
    ];
    for (const [der, tbsOnly] of inputs) {
      for (let k = 0; k < 60; k++) {
        check(der.subarray(0, rand(der.length)), tbsOnly);
        const m = Uint8Array.from(der);
        const at = rand(m.length);
        m[at] = (m[at] as number) ^ (1 << rand(8));
        check(m, tbsOnly);
      }
    }
    assert.ok(declined > 0 && agreed > 0, `${declined} declined, ${agreed} agreed`);
  });
});
