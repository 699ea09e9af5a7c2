import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { campaignEvidence, type EvidenceLink, type EvidenceMember } from './evidence-flow.js';

const member = (key: string, score: number, signals: string[] = [], target = true): EvidenceMember => ({
  key,
  display: key.slice(key.indexOf(':') + 1),
  target,
  score,
  flagged: score >= 50,
  signals,
});

describe('campaign evidence', () => {
  it('raises a lure-only name tied by strong pivots to a flagged operation, with a sentence', () => {
    const members = [
      member('domain:rnicrosoft-login.top', 70, ['domain.combosquat']),
      member('domain:docs-invoice.live', 55, ['domain.lure-vocabulary']),
      member('account:cloud-a/77', 65, ['tenant.payment.crypto', 'tenant.velocity.payment-fingerprint']),
      member('domain:view-hub.live', 12, ['domain.tld']),
      member('cert:sha256:ab12', 0, [], false),
    ];
    const links: EvidenceLink[] = [
      { a: 0, b: 4, strength: 0.9 },
      { a: 1, b: 4, strength: 0.9 },
      { a: 3, b: 4, strength: 0.9 },
      { a: 2, b: 3, strength: 0.9 },
      { a: 2, b: 0, strength: 0.9 },
    ];
    const r = campaignEvidence('C-0123', members, links);
    assert.equal(r.corroborated, true);
    const lure = r.signals.find((s) => s.member === 'domain:view-hub.live');
    assert.ok(lure, 'the lure-only name gains a signal');
    assert.ok(lure.weight >= 55, `weight ${lure.weight}`);
    assert.equal(
      lure.detail,
      'shares certificate sha256:ab12 and account cloud-a/77 with 3 flagged members of campaign C-0123 (strongest path 0.90)',
    );
    assert.ok(lure.evidence.includes('account:cloud-a/77'));
    assert.equal(
      r.signals.find((s) => s.member === 'cert:sha256:ab12'),
      undefined,
      'shared values do not get signals',
    );
  });

  it('leaves a lone linked burst quiet: one signal family is not a campaign', () => {
    const members = Array.from({ length: 6 }, (_, i) =>
      member(`account:cloud-a/office-${i}`, 58, ['tenant.velocity.linked-burst']),
    );
    members.push(member('payment:fp:office-card', 0, [], false));
    const links = members.slice(0, 6).map((_, i) => ({ a: i, b: 6, strength: 0.9 }));
    const r = campaignEvidence('C-burst', members, links);
    assert.equal(r.corroborated, false);
    assert.equal(r.signals.length, 0);
    assert.match(r.reason, /one linked burst is not a campaign/);
  });

  it('needs more than one flagged member', () => {
    const r = campaignEvidence(
      'C-x',
      [member('domain:a.top', 90, ['domain.homoglyph']), member('domain:b.top', 0)],
      [{ a: 0, b: 1, strength: 1 }],
    );
    assert.equal(r.corroborated, false);
  });

  it('does not count campaign signals as evidence', () => {
    const members = [
      member('domain:a.top', 60, ['tenant.velocity.linked-burst', 'campaign.member']),
      member('domain:b.top', 60, ['tenant.velocity.linked-burst', 'campaign.member']),
      member('domain:c.top', 0),
    ];
    const r = campaignEvidence('C-x', members, [
      { a: 0, b: 2, strength: 1 },
      { a: 1, b: 2, strength: 1 },
    ]);
    assert.equal(r.corroborated, false);
  });

  it('passes little evidence along a weak path', () => {
    const members = [
      member('domain:a.top', 70, ['domain.combosquat']),
      member('domain:b.top', 70, ['page.kit']),
      member('domain:c.top', 0),
    ];
    const r = campaignEvidence('C-x', members, [
      { a: 0, b: 1, strength: 0.9 },
      { a: 1, b: 2, strength: 0.15 },
    ]);
    assert.equal(r.corroborated, true);
    assert.equal(
      r.signals.find((s) => s.member === 'domain:c.top'),
      undefined,
    );
    assert.ok(
      r.signals.find((s) => s.member === 'domain:a.top'),
      'the flagged members corroborate each other',
    );
  });
});
