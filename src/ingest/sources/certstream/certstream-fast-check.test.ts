import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fastCertificateUpdate } from './certstream-fast-check.js';
import { certstreamMessageSchema } from './certstream-schema.js';

const base = () => ({
  message_type: 'certificate_update',
  data: {
    update_type: 'PrecertLogEntry',
    cert_index: 404693890,
    cert_link: 'https://ct.example/get-entries?start=1',
    seen: 1772323200.009461,
    source: { name: "Google 'Argon2026h1' log", url: 'https://ct.googleapis.com/logs/us1/argon2026h1/' },
    leaf_cert: {
      all_domains: ['clear-brook.store', 'www.clear-brook.store'],
      subject: { CN: 'clear-brook.store', aggregated: '/CN=clear-brook.store' },
      issuer: { C: 'US', CN: 'WE1', aggregated: '/C=US/CN=WE1/O=Google Trust Services' },
      fingerprint: '7F:30:6D',
      sha1: '7F:30:6D',
      sha256:
        'B4:72:3F:7D:FC:B2:08:0B:98:45:6E:D4:20:C5:21:1D:15:A4:5C:DB:B2:56:0C:91:9F:6B:8A:B5:47:5F:AE:24',
      serial_number: 'BDC0909A63E89BE6201E7877DCC236A46D54',
      not_before: 1772323200,
      not_after: 1780099199,
    },
    chain: [{ subject: { aggregated: '/C=US/CN=WE1' } }],
  },
});

type Doc = ReturnType<typeof base>;
/** One change to a well-formed message: each is something zod accepts, rejects or fills in. */
const variants: [string, (d: Doc) => unknown][] = [
  ['as sent', (d) => d],
  ['heartbeat', () => ({ message_type: 'heartbeat', timestamp: 1 })],
  ['no chain', (d) => ({ ...d, data: { ...d.data, chain: undefined } })],
  ['chain not an array', (d) => ({ ...d, data: { ...d.data, chain: {} } })],
  ['chain item without subject', (d) => ({ ...d, data: { ...d.data, chain: [{}] } })],
  [
    'null aggregated',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, subject: { aggregated: null } } } }),
  ],
  [
    'numeric aggregated',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, issuer: { aggregated: 3 } } } }),
  ],
  ['negative index', (d) => ({ ...d, data: { ...d.data, cert_index: -1 } })],
  ['fractional index', (d) => ({ ...d, data: { ...d.data, cert_index: 1.5 } })],
  ['huge index', (d) => ({ ...d, data: { ...d.data, cert_index: 2 ** 60 } })],
  ['index as text', (d) => ({ ...d, data: { ...d.data, cert_index: '7' } })],
  ['seen as text', (d) => ({ ...d, data: { ...d.data, seen: '1' } })],
  ['empty log url', (d) => ({ ...d, data: { ...d.data, source: { url: '' } } })],
  ['log name a number', (d) => ({ ...d, data: { ...d.data, source: { name: 1, url: 'x' } } })],
  [
    'a name not text',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, all_domains: ['a.example', 7] } } }),
  ],
  [
    'names not a list',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, all_domains: 'a.example' } } }),
  ],
  ['bad sha256', (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, sha256: 'zz' } } })],
  [
    'no sha256',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, sha256: undefined } } }),
  ],
  [
    'not_before text',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, not_before: '1' } } }),
  ],
  [
    'serial a number',
    (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, serial_number: 5 } } }),
  ],
  ['as_der a number', (d) => ({ ...d, data: { ...d.data, leaf_cert: { ...d.data.leaf_cert, as_der: 5 } } })],
  ['leaf an array', (d) => ({ ...d, data: { ...d.data, leaf_cert: [] } })],
  ['data null', (d) => ({ ...d, data: null })],
  ['update type a number', (d) => ({ ...d, data: { ...d.data, update_type: 1 } })],
  [
    'unknown fields',
    (d) => ({
      ...d,
      extra: 1,
      data: { ...d.data, extra: [1], leaf_cert: { ...d.data.leaf_cert, extensions: {} } },
    }),
  ],
];

describe('certstream fast check', () => {
  it('accepts only what the schema accepts, with the same values for every field read', () => {
    let fast = 0;
    for (const [label, change] of variants) {
      // Through JSON, as messages arrive (undefined fields vanish).
      const doc = JSON.parse(JSON.stringify(change(base())));
      const f = fastCertificateUpdate(doc);
      const z = certstreamMessageSchema.safeParse(doc);
      if (f === undefined) continue;
      fast += 1;
      assert.ok(z.success, `${label}: the fast check accepted what zod rejects`);
      assert.equal(z.data.message_type, 'certificate_update');
      if (z.data.message_type !== 'certificate_update') continue;
      const pick = (m: typeof f) => {
        const d = m.data;
        const l = d.leaf_cert;
        return [
          d.update_type,
          d.cert_index,
          d.seen,
          d.source.url,
          l.all_domains,
          l.subject?.aggregated,
          l.issuer?.aggregated,
          l.sha256,
          l.serial_number,
          l.not_before,
          l.not_after,
          l.as_der,
          d.chain.map((c) => c.subject.aggregated),
        ];
      };
      assert.deepEqual(pick(f), pick(z.data), label);
    }
    assert.ok(fast >= 5, 'the well-formed variants take the fast path');
  });
});
