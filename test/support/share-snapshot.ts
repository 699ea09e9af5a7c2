/**
 * A realistic sharing snapshot: two campaigns (one with personal data), IDN look-alikes, URLs whose
 * paths carry quotes and backslashes, IPv4 and IPv6 addresses, a revoked indicator with its history,
 * an expired one, an amber one, and sightings.
 */
import type { EntityKey } from '../../src/domain/entity.js';
import type { CampaignSummary, PublishedIndicator, ShareSnapshot } from '../../src/share/model.js';

export const NOW = new Date('2026-11-20T12:00:00.000Z');

export function indicator(
  kind: PublishedIndicator['kind'],
  value: string,
  over: Partial<PublishedIndicator> = {},
): PublishedIndicator {
  return {
    key: `${kind}:${value}` as EntityKey,
    kind,
    value,
    firstSeen: '2026-11-01T08:00:00.000Z',
    created: '2026-11-02T09:00:00.000Z',
    modified: '2026-11-02T09:00:00.000Z',
    version: 1,
    validFrom: '2026-11-02T09:00:00.000Z',
    validUntil: '2027-02-02T09:00:00.000Z',
    confidence: 85,
    score: 91,
    reasons: [
      { id: 'brand-lookalike', weight: 60, detail: `imitates microsoft (${value})` },
      { id: 'new-certificate', weight: 30, detail: 'certificate issued 2 hours after registration' },
    ],
    campaignId: 'c-raccoon',
    tlp: 'green',
    revoked: false,
    ...over,
  };
}

const raccoon: CampaignSummary = {
  id: 'c-raccoon',
  name: 'Raccoon-style M365 credential phishing',
  description: 'Look-alike sign-in pages behind a CAPTCHA gate; sign-ups from ops@raccoon-mail.example.',
  firstSeen: '2026-10-30T00:00:00.000Z',
  lastSeen: '2026-11-19T00:00:00.000Z',
  created: '2026-11-02T09:00:00.000Z',
  modified: '2026-11-10T09:00:00.000Z',
  version: 2,
  tlp: 'green',
  revoked: false,
  brands: ['Microsoft'],
  personal: {
    emailAddresses: ['ops@raccoon-mail.example', 'billing.raccoon@example.net'],
    paymentFingerprints: ['fp_7Hq2LmX9'],
  },
};

const amberCampaign: CampaignSummary = {
  id: 'c-bankwave',
  name: 'Bank wave',
  firstSeen: '2026-11-05T00:00:00.000Z',
  lastSeen: '2026-11-18T00:00:00.000Z',
  created: '2026-11-06T00:00:00.000Z',
  modified: '2026-11-06T00:00:00.000Z',
  version: 1,
  tlp: 'amber',
  revoked: false,
};

export function snapshot(): ShareSnapshot {
  const names = [
    'login-micros0ft.com',
    'xn--mcrosoft-5ya.com',
    'office365-verify-account.net',
    'secure-outlook-signin.org',
    'micr0soft-sso.info',
  ];
  const indicators: PublishedIndicator[] = [
    ...names.map((n, i) =>
      indicator('domain', n, {
        resolvesTo: i === 0 ? ['203.0.113.7', '2001:db8::7'] : [],
        brand: 'Microsoft',
      }),
    ),
    indicator('url', "https://login-micros0ft.com/o'auth\\callback?next='x'&q=\\\\share"),
    indicator('url', 'https://203.0.113.9/owa/'),
    indicator('ip', '203.0.113.7'),
    indicator('ip', '2001:db8::7'),
    // history: version 1 then a revocation (reversed decision) as version 2
    indicator('domain', 'reversed-decision.com'),
    indicator('domain', 'reversed-decision.com', {
      version: 2,
      modified: '2026-11-15T10:00:00.000Z',
      revoked: true,
    }),
    indicator('domain', 'expired-lure.com', { validUntil: '2026-11-10T00:00:00.000Z' }),
    indicator('domain', 'bank-secure-login.com', { campaignId: 'c-bankwave', tlp: 'amber' }),
    indicator('domain', 'unattributed-lure.net', { campaignId: undefined as never, tlp: 'clear' }),
    indicator('domain', 'payer-lure.com', {
      reasons: [
        { id: 'payment-link', weight: 50, detail: 'same card fp_7Hq2LmX9 as ops@raccoon-mail.example' },
      ],
    }),
  ];
  return {
    producer: {
      name: 'Precursor Test Org',
      created: '2026-01-01T00:00:00.000Z',
      contact: 'cti@precursor.example',
    },
    indicators: indicators.map((i) => (i.campaignId === undefined ? stripCampaign(i) : i)),
    campaigns: [raccoon, amberCampaign],
    sightings: [
      {
        indicatorKey: 'domain:login-micros0ft.com',
        observer: 'Tenant A',
        firstSeen: '2026-11-03T00:00:00.000Z',
        lastSeen: '2026-11-04T00:00:00.000Z',
        count: 12,
        created: '2026-11-04T01:00:00.000Z',
        modified: '2026-11-04T01:00:00.000Z',
      },
    ],
  };
}

function stripCampaign(i: PublishedIndicator): PublishedIndicator {
  const { campaignId: _, ...rest } = i;
  return rest;
}
