import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkContentLength, checkTaxiiContentType, negotiateTaxiiAccept } from './taxii-media.js';
import { apiRootResource, collectionsResource, discoveryResource } from './taxii-resources.js';
import { readEnvelope, statusResource } from './taxii-status.js';
import { canonicalTaxiiTimestamp } from './taxii-timestamp.js';

const root = {
  path: 'precursor',
  title: 'Precursor',
  maxContentLength: 1024,
  collections: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      title: 'Phishing (TLP:GREEN)',
      canRead: true,
      canWrite: false,
    },
    { id: '22222222-2222-4222-8222-222222222222', title: 'Partner intake', canRead: false, canWrite: true },
  ],
};

describe('TAXII 2.1 protocol resources and negotiation', () => {
  it('builds discovery, API root and collections resources', () => {
    const d = discoveryResource({
      title: 'Precursor TAXII',
      baseUrl: 'https://intel.example/taxii2',
      defaultApiRoot: 'precursor',
      apiRoots: [root],
    });
    assert.deepEqual(d, {
      title: 'Precursor TAXII',
      default: 'https://intel.example/taxii2/precursor/',
      api_roots: ['https://intel.example/taxii2/precursor/'],
    });
    assert.deepEqual(apiRootResource(root), {
      title: 'Precursor',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 1024,
    });
    const c = collectionsResource(root, (x) => x.canRead) as {
      collections: { id: string; media_types: string[] }[];
    };
    assert.equal(c.collections.length, 1);
    assert.deepEqual(c.collections[0]?.media_types, ['application/stix+json;version=2.1']);
    assert.deepEqual(
      collectionsResource(root, () => false),
      {},
    );
  });

  it('negotiates the TAXII media type: 406 and 415 decisions', () => {
    for (const ok of [
      undefined,
      '',
      'application/taxii+json;version=2.1',
      'application/taxii+json',
      '*/*',
      'application/*',
      'text/html, application/taxii+json; version="2.1"; q=0.5',
    ])
      assert.equal(negotiateTaxiiAccept(ok), 'application/taxii+json;version=2.1', String(ok));
    for (const bad of [
      'application/json',
      'application/taxii+json;version=2.0',
      'application/stix+json;version=2.1',
      'application/taxii+json;q=0',
      'text/*',
    ])
      assert.throws(() => negotiateTaxiiAccept(bad), { status: 406 }, bad);
    checkTaxiiContentType('application/taxii+json;version=2.1');
    checkTaxiiContentType('application/taxii+json; version=2.1; charset=utf-8');
    for (const bad of [
      undefined,
      'application/json',
      'application/stix+json;version=2.1',
      'application/taxii+json;version=2.0',
    ])
      assert.throws(() => checkTaxiiContentType(bad), { status: 415 }, String(bad));
    assert.throws(() => checkContentLength(1025, 1024), { status: 413 });
  });

  it('reads a POSTed envelope, keeping good objects and reporting each bad one', () => {
    const good = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-11-01T00:00:00.000Z',
      modified: '2026-11-02T00:00:00.000Z',
    };
    const body = JSON.stringify({
      objects: [
        good,
        { ...good, id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
        { ...good, spec_version: '2.0' },
        { ...good, modified: 'soon' },
        'text',
        {
          type: 'domain-name',
          spec_version: '2.1',
          id: 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
          value: 'example.com',
        },
      ],
    });
    const intake = readEnvelope(body, 10_000);
    assert.deepEqual(
      intake.objects.map((o) => [o.id, o.version]),
      [
        ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', '2026-11-02T00:00:00.000Z'],
        ['domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7', ''],
      ],
    );
    assert.equal(intake.failures.length, 4);
    assert.match(intake.failures[0]?.message ?? '', /not a indicator identifier/);
    assert.equal(intake.failures[3]?.id, 'objects[4]');
    assert.throws(() => readEnvelope(body, 100), { status: 413 });
    assert.throws(() => readEnvelope('{', 100), { status: 400 });
    assert.throws(() => readEnvelope('[]', 100), { status: 422 });
    assert.throws(() => readEnvelope('{"objects":{}}', 100), { status: 422 });

    const status = statusResource({
      id: '33333333-3333-4333-8333-333333333333',
      requestTimestamp: '2026-11-20T12:00:00.000000Z',
      successes: intake.objects.map((o) => ({ id: o.id, version: o.version })),
      failures: intake.failures,
      pendings: [],
    });
    assert.equal(status.status, 'complete');
    assert.deepEqual(
      [status.total_count, status.success_count, status.failure_count, status.pending_count],
      [6, 2, 4, 0],
    );
  });

  it('canonicalises timestamps to fixed-width microseconds', () => {
    assert.equal(canonicalTaxiiTimestamp('2026-11-20T12:00:00Z'), '2026-11-20T12:00:00.000000Z');
    assert.equal(canonicalTaxiiTimestamp('2026-11-20T12:00:00.1234567Z'), '2026-11-20T12:00:00.123456Z');
    assert.equal(canonicalTaxiiTimestamp('2026-11-20T14:00:00.5+02:00'), '2026-11-20T12:00:00.500000Z');
    assert.equal(canonicalTaxiiTimestamp('2026-11-20'), undefined);
  });
});
