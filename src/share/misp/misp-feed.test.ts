import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { NOW, snapshot } from '../../../test/support/share-snapshot.js';
import { buildMispFeed, mispNameType, PHISHING_TEMPLATE } from './misp-feed.js';
import type { MispEvent } from './misp-types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function feed(scope: Parameters<typeof buildMispFeed>[1] = { tlp: 'green' }) {
  const out = buildMispFeed(snapshot(), scope, NOW);
  const files = new Map(out.files.map((f) => [f.name, f.content]));
  return { out, files };
}

describe('MISP feed', () => {
  it('writes manifest.json, one JSON per event and hashes.csv that agree with each other', () => {
    const { out, files } = feed();
    const manifest = JSON.parse(files.get('manifest.json') ?? '{}') as Record<
      string,
      { timestamp: number; Orgc: { uuid: string }; Tag: { name: string }[] }
    >;
    assert.deepEqual(Object.keys(manifest).sort(), out.events.map((e) => e.uuid).sort());
    for (const [id, entry] of Object.entries(manifest)) {
      assert.match(id, UUID);
      const { Event } = JSON.parse(files.get(`${id}.json`) ?? '{}') as { Event: MispEvent };
      assert.equal(Event.uuid, id);
      assert.equal(String(entry.timestamp), Event.timestamp);
      assert.match(Event.Orgc.uuid, UUID);
      assert.ok(entry.Tag.some((t) => t.name.startsWith('tlp:')));
    }
    const hashes = (files.get('hashes.csv') ?? '').trim().split('\n');
    const login = createHash('md5').update('login-micros0ft.com').digest('hex');
    assert.ok(hashes.some((l) => l.startsWith(`${login},`) && manifest[l.split(',')[1] ?? '']));
    assert.ok(
      !hashes.some((l) => l.startsWith(createHash('md5').update('reversed-decision.com').digest('hex'))),
    );
  });

  it('uses domain/hostname/url attributes with to_ids, the phishing object and tlp tags', () => {
    const { out } = feed();
    const raccoon = out.events.find((e) => e.info.includes('Raccoon'));
    assert.ok(raccoon);
    assert.deepEqual(
      raccoon.Tag.map((t) => t.name),
      ['tlp:green', 'circl:incident-classification="phishing"'],
    );
    const domain = raccoon.Attribute.find((a) => a.value === 'login-micros0ft.com');
    assert.equal(domain?.type, 'domain');
    assert.equal(domain?.to_ids, true);
    assert.equal(domain?.category, 'Network activity');
    assert.equal(mispNameType('login.evil-host.co.uk'), 'hostname');
    assert.equal(mispNameType('evil-host.co.uk'), 'domain');
    assert.equal(raccoon.Attribute.find((a) => a.value === '203.0.113.7')?.type, 'ip-dst');
    const phishing = raccoon.Object.find((o) => o.Attribute.some((a) => a.value.includes("o'auth")));
    assert.equal(phishing?.name, 'phishing');
    assert.equal(phishing?.template_uuid, PHISHING_TEMPLATE.uuid);
    const rel = Object.fromEntries((phishing?.Attribute ?? []).map((a) => [a.object_relation, a]));
    assert.equal(rel.url?.type, 'url');
    assert.equal(rel.url?.to_ids, true);
    assert.equal(rel.hostname?.value, 'login-micros0ft.com');
    assert.equal(rel.online?.value, 'Yes');
  });

  it('marks revoked attributes deleted and expired ones not for IDS, with stable uuids', () => {
    const { out } = feed();
    const all = out.events.flatMap((e) => e.Attribute);
    const revoked = all.find((a) => a.value === 'reversed-decision.com');
    assert.equal(revoked?.deleted, true);
    assert.equal(revoked?.to_ids, false);
    const expired = all.find((a) => a.value === 'expired-lure.com');
    assert.equal(expired?.to_ids, false);
    assert.equal(expired?.deleted, undefined);
    assert.deepEqual(buildMispFeed(snapshot(), { tlp: 'green' }, NOW), out);
    const v1 = buildMispFeed(
      { ...snapshot(), indicators: snapshot().indicators.filter((i) => i.version === 1) },
      { tlp: 'green' },
      NOW,
    );
    const before = v1.events.flatMap((e) => e.Attribute).find((a) => a.value === 'reversed-decision.com');
    assert.equal(before?.uuid, revoked?.uuid);
    assert.equal(before?.to_ids, true);
  });

  it('scopes by TLP and leaves out personal data unless asked for at TLP:RED', () => {
    const green = JSON.stringify(feed().out);
    assert.doesNotMatch(green, /bank-secure-login|tlp:amber|raccoon-mail|fp_7Hq2LmX9/);
    assert.match(JSON.stringify(feed({ tlp: 'amber' }).out), /bank-secure-login/);
    assert.doesNotMatch(JSON.stringify(feed({ tlp: 'red' }).out), /raccoon-mail|fp_7Hq2LmX9/);
    assert.throws(() => feed({ tlp: 'green', includePersonalData: true }), /TLP:RED/);
    const red = feed({ tlp: 'red', includePersonalData: true }).out;
    const attrs = red.events.flatMap((e) => e.Attribute);
    assert.equal(attrs.find((a) => a.value === 'ops@raccoon-mail.example')?.type, 'email-src');
    assert.equal(attrs.find((a) => a.value === 'fp_7Hq2LmX9')?.to_ids, false);
  });
});
