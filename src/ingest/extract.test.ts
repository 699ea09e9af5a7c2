import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainToUnicode } from 'node:url';
import { DEFAULT_IDENTITY_CONFIG } from '../correlate/identity/identity.js';
import { createPivotModel } from '../correlate/pivots.js';
import type { Observation } from '../domain/index.js';
import { createExtractor, extract, mentionedKeys } from './extract.js';

const at = '2026-03-01T10:00:00.000Z';
const obs = <K extends Observation['kind']>(kind: K, payload: Observation<K>['payload']): Observation =>
  ({ source: 'test', kind, observedAt: at, dedupeKey: `${kind}:1`, payload }) as Observation;

const strengths = (x: ReturnType<typeof extract>) => x.links.map((l) => [l.pivot, l.to, l.strength]);

describe('extraction', () => {
  it('displays a domain in Unicode exactly as ICU maps it, plain names included', () => {
    const names = [
      'xn--mnchen-3ya.de',
      'a.xn--p1ai',
      'plain-name.example',
      '_dmarc.x.example',
      'a..b',
      'MiXed.Example',
      'bücher.example',
    ];
    for (const name of names) {
      const [d] = extract(obs('domain', { name })).entities;
      assert.equal(d?.display, domainToUnicode(name) || name, name);
      assert.equal(d?.attrs?.unicode, d?.display === name ? undefined : d?.display, name);
    }
  });

  it('names a certificate’s entity keys as its extraction does, without extracting it', () => {
    const names = [
      '*.Shop.Example',
      'shop.example',
      'www.shop.example',
      'a..b',
      'xn--mnchen-3ya.de',
      '10.0.0.1',
    ];
    const cert = obs('certificate', { sha256: 'ab', names });
    assert.deepEqual(
      mentionedKeys(cert),
      extract(cert).entities.map((e) => e.key),
    );
    assert.deepEqual(mentionedKeys(cert), [
      'cert:sha256:ab',
      'domain:shop.example',
      'domain:www.shop.example',
      'domain:xn--mnchen-3ya.de',
    ]);
    assert.equal(mentionedKeys(obs('domain', { name: 'a.example' })), undefined, 'no shortcut: extract it');
  });

  it('links what an observation mentions with the pivot model’s strengths', () => {
    const cert = obs('certificate', { sha256: 'ab', names: ['a.example', 'b.example', 'c.example'] });
    assert.deepEqual(
      strengths(extract(cert)).map(([, , s]) => s),
      [0.5, 0.5, 0.5],
      'three names on one certificate: 1 / log2(4)',
    );
    assert.deepEqual(
      strengths(
        extract(
          obs('delegation', {
            name: 'x.example',
            change: 'added',
            ns: ['ns1.host.example'],
            zone: 'example',
          }),
        ),
      ),
      [['uses-ns', 'ns:ns1.host.example', 0.3]],
    );
    const configured = createExtractor({
      pivots: createPivotModel({ strengths: { 'cert-name': 0.8, 'uses-ns': 0.1, 'resolves-to': 0.6 } }),
    });
    assert.deepEqual(
      strengths(configured(cert)).map(([, , s]) => s),
      [0.4, 0.4, 0.4],
    );
    const dns = obs('enrichment', {
      entity: 'domain:x.example',
      facts: { dns: { a: ['192.0.2.1'], ns: ['ns1.host.example'] } },
    });
    assert.deepEqual(strengths(configured(dns)), [
      ['resolves-to', 'ip:192.0.2.1', 0.6],
      ['uses-ns', 'ns:ns1.host.example', 0.1],
    ]);
  });

  it('reads tenant events with the configured identity rules, not the defaults', () => {
    const event = obs('tenant-event', {
      event: {
        event_id: 'e1',
        provider: 'cloud-a',
        account_id: 'a1',
        ts: at,
        type: 'account.created',
        email: 'J.Doe+cloud@corp.example',
        ip: '203.0.113.9',
        asn: 64512,
      },
    });
    const targets = (x: ReturnType<typeof extract>) =>
      Object.fromEntries(x.links.map((l) => [l.to, l.strength]));
    assert.deepEqual(targets(extract(event)), {
      'email:j.doe@corp.example': 0.9,
      'domain:corp.example': 0.3,
      'ip:203.0.113.9': 0.4,
    });
    const configured = createExtractor({
      identity: { ...DEFAULT_IDENTITY_CONFIG, dotInsensitiveDomains: ['corp.example'], hostingAsns: [64512] },
      pivots: createPivotModel({ strengths: { 'same-ip': { hosting: 0.75 } } }),
    });
    assert.deepEqual(targets(configured(event)), {
      'email:jdoe@corp.example': 0.9,
      'domain:corp.example': 0.3,
      'ip:203.0.113.9': 0.75,
      'asn:AS64512': 0.1,
    });
  });

  it('takes nothing but the snapshot, its URL and host from a snapshot observation', () => {
    // Crawls used to record what the page named; the page detector derives that from the snapshot now.
    const x = extract(
      obs('snapshot', {
        sha256: 'cd'.repeat(32),
        url: 'https://login.example/',
        finalUrl: 'https://login.example/x',
        entities: ['kit:m365-next-php', 'telegram-bot:5823412907'],
      }),
    );
    assert.deepEqual(
      x.entities.map((e) => e.key),
      [`snapshot:sha256:${'cd'.repeat(32)}`, 'url:https://login.example/', 'domain:login.example'],
    );
    assert.deepEqual(
      x.links.map((l) => l.pivot),
      ['snapshot-of', 'serves'],
    );
  });
});
