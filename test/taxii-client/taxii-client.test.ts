/**
 * The spec-only client walks a loopback HTTP server assembled from src/share/taxii's protocol logic:
 * discovery → API root → collections → objects with next paging and added_after, TAXII media types,
 * Basic and bearer authentication. When `precursor serve` gains its TAXII routes, this walk points at
 * them instead of this harness.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { randomUUID as uuidv4 } from 'node:crypto';
import { MemoryObjectSource, taxiiRecordOf } from '../../src/share/taxii/memory-object-source.js';
import { TaxiiError } from '../../src/share/taxii/taxii-error.js';
import { negotiateTaxiiAccept, TAXII_MEDIA_TYPE } from '../../src/share/taxii/taxii-media.js';
import { envelopeJson, getObjects, pageHeaders } from '../../src/share/taxii/taxii-pages.js';
import {
  apiRootResource,
  collectionsResource,
  discoveryResource,
  type TaxiiApiRootConfig,
} from '../../src/share/taxii/taxii-resources.js';
import { dateAdded } from '../../src/share/taxii/taxii-timestamp.js';
import { TAXII_21, TaxiiClient, type TaxiiClientError } from './taxii-client.js';

const COLLECTION = '0b4f6c51-4c1e-4b8e-9f4c-2d3c0a1b2c3d';
const HIDDEN = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const KEY = { id: 'pk_reader', secret: 'rs_4f9a2c' };

function harness(): { server: Server; source: MemoryObjectSource } {
  const source = new MemoryObjectSource();
  const root: TaxiiApiRootConfig = {
    path: 'precursor',
    title: 'Precursor',
    maxContentLength: 10_485_760,
    collections: [
      { id: COLLECTION, title: 'Confirmed phishing infrastructure', canRead: true, canWrite: false },
      { id: HIDDEN, title: 'Partner B only', canRead: true, canWrite: false },
    ],
  };
  const grants = new Set([COLLECTION]);
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': TAXII_MEDIA_TYPE, ...headers });
    res.end(body);
  };
  const authorised = (req: IncomingMessage) => {
    const h = req.headers.authorization ?? '';
    if (h.startsWith('Bearer ')) return h.slice(7) === `${KEY.id}.${KEY.secret}`;
    if (h.startsWith('Basic '))
      return Buffer.from(h.slice(6), 'base64').toString() === `${KEY.id}:${KEY.secret}`;
    return false;
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (!authorised(req)) throw new TaxiiError(401, 'an API key is required');
        negotiateTaxiiAccept(req.headers.accept);
        const base = `http://${req.headers.host}/`;
        const parts = url.pathname.split('/').filter(Boolean);
        if (url.pathname === '/taxii2/')
          return send(
            res,
            200,
            JSON.stringify(discoveryResource({ title: 'Precursor', baseUrl: base, apiRoots: [root] })),
          );
        if (parts[0] !== 'precursor') throw new TaxiiError(404, 'no such API root');
        if (parts.length === 1) return send(res, 200, JSON.stringify(apiRootResource(root)));
        if (parts[1] === 'collections' && parts.length === 2)
          return send(res, 200, JSON.stringify(collectionsResource(root, (c) => grants.has(c.id))));
        if (parts[1] === 'collections' && parts[3] === 'objects' && parts.length === 4) {
          if (!grants.has(parts[2] ?? '')) throw new TaxiiError(404, 'no such collection');
          const page = await getObjects(source, parts[2] ?? '', url.searchParams, {
            maxPageSize: 100,
            tlp: 'red',
          });
          return send(res, 200, envelopeJson(page), pageHeaders(page));
        }
        throw new TaxiiError(404, 'not found');
      } catch (e) {
        const err = e instanceof TaxiiError ? e : new TaxiiError(400, String(e));
        send(res, err.status, JSON.stringify(err.toResource()));
      }
    })();
  });
  return { server, source };
}

describe('spec-only TAXII 2.1 client walk', () => {
  it('shares no code with the server', () => {
    const text = readFileSync(new URL('./taxii-client.ts', import.meta.url), 'utf8');
    assert.deepEqual(
      [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]),
      [],
    );
  });

  let server: Server;
  let source: MemoryObjectSource;
  let base: string;
  const tie = dateAdded(Date.parse('2026-11-20T10:00:00.000Z'));

  before(async () => {
    ({ server, source } = harness());
    const domain = (v: string) => ({
      type: 'domain-name',
      spec_version: '2.1',
      id: `domain-name--${uuidv4()}`,
      value: v,
    });
    source.add(
      COLLECTION,
      Array.from({ length: 1200 }, (_, i) => taxiiRecordOf(domain(`lure-${i}.example`), tie)),
    );
    source.add(COLLECTION, [
      taxiiRecordOf(domain('newest.example'), dateAdded(Date.parse('2026-11-20T11:00:00.000Z'))),
    ]);
    source.add(HIDDEN, [taxiiRecordOf(domain('secret.example'), tie)]);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const auth of [
    { basic: { user: KEY.id, password: KEY.secret } },
    { bearer: `${KEY.id}.${KEY.secret}` },
  ]) {
    it(`walks discovery → API root → collections → objects (${Object.keys(auth)[0]} auth)`, async () => {
      const client = new TaxiiClient({ auth });
      const discovery = await client.discover(`${base}taxii2/`);
      const apiRootUrl = discovery.api_roots?.[0];
      assert.ok(apiRootUrl);
      const root = await client.apiRoot(apiRootUrl);
      assert.ok(root.versions.includes(TAXII_21));
      const collections = await client.collections(apiRootUrl);
      assert.deepEqual(
        collections.map((c) => c.id),
        [COLLECTION],
      );
      const values: string[] = [];
      let pages = 0;
      for await (const page of client.objects(apiRootUrl, COLLECTION, { limit: 500 })) {
        pages++;
        for (const o of page.envelope.objects ?? []) values.push(String(o.value));
        assert.ok(page.dateAddedFirst && page.dateAddedLast);
      }
      assert.equal(pages, 13, 'the server caps pages at 100 objects');
      assert.equal(values.length, 1201);
      assert.equal(new Set(values).size, 1201);
      assert.ok(!values.includes('secret.example'));
      const newer: string[] = [];
      for await (const page of client.objects(apiRootUrl, COLLECTION, { addedAfter: tie }))
        for (const o of page.envelope.objects ?? []) newer.push(String(o.value));
      assert.deepEqual(newer, ['newest.example']);
    });
  }

  it('is refused without a key, with a wrong key, a non-TAXII Accept, or an ungranted collection', async () => {
    await assert.rejects(
      new TaxiiClient().discover(`${base}taxii2/`),
      (e: TaxiiClientError) => e.status === 401,
    );
    await assert.rejects(
      new TaxiiClient({ auth: { basic: { user: KEY.id, password: 'nope' } } }).discover(`${base}taxii2/`),
      (e: TaxiiClientError) => e.status === 401,
    );
    const res = await fetch(`${base}taxii2/`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${KEY.id}.${KEY.secret}` },
    });
    assert.equal(res.status, 406);
    assert.equal(res.headers.get('content-type'), TAXII_21);
    const client = new TaxiiClient({ auth: { bearer: `${KEY.id}.${KEY.secret}` } });
    await assert.rejects(
      client.objectsPage(`${base}precursor/`, HIDDEN),
      (e: TaxiiClientError) => e.status === 404,
    );
  });
});
