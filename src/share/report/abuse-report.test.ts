import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { abuseReports, defang } from './abuse-email.js';
import type { AbuseCase, PhishingSite } from './report-model.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const registrar = {
  kind: 'registrar' as const,
  name: 'Example Registrar, Inc.',
  abuseEmail: 'abuse@registrar.example',
  handle: '9999',
};
const host = { kind: 'host' as const, name: 'Example Cloud', abuseEmail: 'abuse@cloud.example' };

const site = (url: string, over: Partial<PhishingSite> = {}): PhishingSite => ({
  url,
  domain: new URL(url).hostname,
  addresses: ['203.0.113.7', '2001:db8::7'],
  asn: 64500,
  nameservers: ['ns1.cloud.example'],
  firstSeen: '2026-11-01T08:00:00Z',
  verifiedAt: '2026-11-19T08:00:00Z',
  targetBrand: 'Microsoft',
  clonedSite: 'https://login.microsoftonline.com/',
  credentialFields: ['email', 'password'],
  evasion: ['captcha', 'user_agent_filtering'],
  certificate: {
    issuer: "Let's Encrypt R11",
    subject: 'CN=login-micros0ft.com',
    validFrom: '2026-11-01T00:00:00Z',
    validTo: '2027-01-30T00:00:00Z',
    sha256: 'ab'.repeat(32),
  },
  domainCreated: '2026-10-31T22:10:00Z',
  registrar,
  host,
  confidence: 92,
  signals: [
    { id: 'brand-lookalike', weight: 60, detail: 'login-micros0ft.com imitates microsoft.com (0→o)' },
    { id: 'captcha-gate', weight: 30, detail: 'a CAPTCHA gate in front of a Microsoft sign-in clone' },
  ],
  screenshots: [
    { caption: 'sign-in clone', contentType: 'image/png', bytes: png, capturedAt: '2026-11-19T08:00:00Z' },
  ],
  snapshots: [{ url, capturedAt: '2026-11-19T08:00:00Z', sha256: 'cd'.repeat(32), bytes: 48211 }],
  ...over,
});

const abuseCase: AbuseCase = {
  reporter: {
    org: 'Precursor Test Org',
    contact: 'abuse-reports@precursor.example',
    domain: 'precursor.example',
  },
  campaign: { id: 'c-raccoon', name: 'Raccoon-style M365 phishing' },
  sites: [
    site('https://login-micros0ft.com/common/oauth2'),
    site('https://secure-outlook-signin.org/owa/', {
      host: { kind: 'host', name: 'Other Host', abuseEmail: 'abuse@other.example' },
    }),
  ],
  tlp: 'green',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('abuse reports', () => {
  it('groups sites per registrar and per host abuse contact', () => {
    const reports = abuseReports(abuseCase, NOW);
    assert.deepEqual(
      reports.map((r) => [r.to, r.xarf.length]),
      [
        ['abuse@registrar.example', 2],
        ['abuse@cloud.example', 1],
        ['abuse@other.example', 1],
      ],
    );
    const reg = reports[0];
    assert.equal(
      reg?.subject,
      '[Phishing] 2 sites impersonating Microsoft registered through Example Registrar, Inc.',
    );
    assert.match(reg?.text ?? '', /suspend these domain registrations/);
    assert.match(reg?.text ?? '', /hxxps:\/\/login-micros0ft\[\.\]com\/common\/oauth2/);
    assert.doesNotMatch(reg?.text ?? '', /https:\/\/login-micros0ft\.com/);
    assert.match(reg?.text ?? '', new RegExp(`Snapshot SHA-256: ${'cd'.repeat(32)}`));
    assert.match(reports[1]?.text ?? '', /take the phishing content offline/);
    assert.equal(defang('http://a.b/c.d'), 'hxxp://a[.]b/c[.]d');
  });

  it('writes XARF v4 content/phishing reports with the required fields and verifiable evidence', () => {
    const [x] = abuseReports(abuseCase, NOW)[0]?.xarf ?? [];
    assert.ok(x);
    for (const k of [
      'xarf_version',
      'report_id',
      'timestamp',
      'reporter',
      'sender',
      'source_identifier',
      'category',
      'type',
      'url',
    ])
      assert.ok(k in x, k);
    assert.match(x.xarf_version, /^4\.\d+\.\d+$/);
    assert.match(x.report_id, UUID);
    assert.match(x.timestamp, DATE_TIME);
    assert.equal(x.category, 'content');
    assert.equal(x.type, 'phishing');
    assert.equal(x.source_identifier, '203.0.113.7');
    assert.deepEqual(Object.keys(x.reporter).sort(), ['contact', 'domain', 'org']);
    assert.ok(x.confidence >= 0 && x.confidence <= 1);
    assert.ok(x.description.length <= 1000);
    assert.deepEqual(x.dns_records, { a: ['203.0.113.7'], aaaa: ['2001:db8::7'] });
    assert.deepEqual(x.detection_evasion, ['captcha', 'user_agent_filtering']);
    assert.deepEqual(x.whois, {
      created_date: '2026-10-31T22:10:00.000Z',
      registrar_abuse_contact: 'abuse@registrar.example',
    });
    assert.deepEqual(x.tags, ['campaign:c-raccoon']);
    for (const ev of x.evidence) {
      assert.deepEqual(Object.keys(ev).sort(), ['content_type', 'description', 'hash', 'payload', 'size']);
      const bytes = Buffer.from(ev.payload, 'base64');
      assert.equal(ev.hash, `sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      assert.equal(ev.size, bytes.byteLength);
    }
    assert.equal(x.evidence[1]?.content_type, 'image/png');
    assert.match(Buffer.from(x.evidence[0]?.payload ?? '', 'base64').toString(), /Signal brand-lookalike/);
  });

  it('redacts e-mail addresses from signal details sent to third parties', () => {
    const leaky = {
      ...abuseCase,
      sites: [
        site('https://x.example/', {
          signals: [{ id: 'signup', weight: 1, detail: 'signed up as ops@raccoon-mail.example' }],
        }),
      ],
    };
    const text = JSON.stringify(abuseReports(leaky, NOW));
    assert.doesNotMatch(text, /raccoon-mail/);
    assert.doesNotMatch(
      Buffer.from(abuseReports(leaky, NOW)[0]?.xarf[0]?.evidence[0]?.payload ?? '', 'base64').toString(),
      /raccoon-mail/,
    );
    assert.throws(() => abuseReports({ ...leaky, includePersonalData: true }, NOW), /TLP:RED/);
    assert.match(
      JSON.stringify(abuseReports({ ...leaky, tlp: 'red', includePersonalData: true }, NOW)),
      /raccoon-mail/,
    );
  });

  it('sends a site hosted in two networks to both hosts, each told only of its own addresses', () => {
    const v4 = { ...host, network: '198.51.100.0/24', handle: 'NET-1', addresses: ['198.51.100.7'] };
    const v6 = {
      kind: 'host' as const,
      name: 'V6 Host',
      abuseEmail: 'abuse@v6.example',
      network: '2001:db8::/32',
      addresses: ['2001:db8::7'],
    };
    const reports = abuseReports(
      {
        ...abuseCase,
        sites: [
          site('https://two-hosts.example/', {
            addresses: ['198.51.100.7', '2001:db8::7'],
            host: v4,
            hosts: [v4, v6],
          }),
        ],
      },
      NOW,
    );
    assert.deepEqual(
      reports.map((r) => r.to),
      ['abuse@registrar.example', 'abuse@cloud.example', 'abuse@v6.example'],
    );
    const [reg, first, second] = reports;
    assert.match(first?.text ?? '', /Hosted at: 198\.51\.100\.7 \(network 198\.51\.100\.0\/24, NET-1\)/);
    assert.doesNotMatch(first?.text ?? '', /2001:db8/);
    assert.match(second?.text ?? '', /Hosted at: 2001:db8::7 \(network 2001:db8::\/32\)/);
    assert.doesNotMatch(second?.text ?? '', /198\.51/);
    assert.match(reg?.text ?? '', /Addresses: 198\.51\.100\.7, 2001:db8::7/);
    const ids = reports.map((r) => r.xarf[0]);
    assert.deepEqual(
      ids.map((x) => [x?.source_identifier, x?.hosting_provider]),
      [
        ['198.51.100.7', 'Example Cloud'],
        ['198.51.100.7', 'Example Cloud'],
        ['2001:db8::7', 'V6 Host'],
      ],
    );
    assert.equal(new Set(ids.map((x) => x?.report_id)).size, 3, 'another document, another id');
  });

  it('keeps headers single-line whatever the names contain', () => {
    const evil = {
      ...abuseCase,
      sites: [
        site('https://x.example/', {
          registrar: {
            ...registrar,
            name: 'Evil\r\nBcc: all@example.com',
            abuseEmail: 'abuse@r.example\r\nBcc: x@y',
          },
        }),
      ],
    };
    for (const r of abuseReports(evil, NOW)) {
      assert.doesNotMatch(r.subject, /[\r\n]/);
      assert.doesNotMatch(r.to, /[\r\n]/);
    }
  });
});
