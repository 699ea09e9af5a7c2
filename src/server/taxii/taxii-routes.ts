/**
 * TAXII 2.1 inside `precursor serve`: discovery at `/taxii2/`, one API root at `/taxii2/intel/`, its
 * collections, objects (GET pages, POST envelopes), manifest, single object, versions and status.
 * Thin: authentication, access and media types here; the protocol is src/share/taxii/, the POST
 * workflow src/app/taxii-intake.ts. Every answer, errors included, is `application/taxii+json`.
 *
 * Authentication: HTTP Basic with the key id as user name and the key as password (what TAXII
 * clients send), or `Authorization: Bearer <key>` / `X-API-Key`. A partner's key sees only the
 * collections granted to its partner, each up to the grant's TLP, through every endpoint.
 * @module
 */
import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { accessCache } from '../../app/access-cache.js';
import type { Pipeline } from '../../app/pipeline.js';
import { acceptEnvelope } from '../../app/taxii-intake.js';
import { isPrecursorError } from '../../domain/index.js';
import { ensureDefaultCollections } from '../../share/collections.js';
import { StoreObjectSource } from '../../share/taxii/store-object-source.js';
import { type CollectionAccess, collectionAccess } from '../../share/taxii/taxii-access.js';
import { TaxiiError } from '../../share/taxii/taxii-error.js';
import {
  checkContentLength,
  checkTaxiiContentType,
  negotiateTaxiiAccept,
  TAXII_MEDIA_TYPE,
} from '../../share/taxii/taxii-media.js';
import {
  envelopeJson,
  getManifest,
  getObject,
  getObjects,
  getVersions,
  manifestJson,
  pageHeaders,
  type TaxiiPage,
  versionsJson,
} from '../../share/taxii/taxii-pages.js';
import { apiRootResource, collectionResource, discoveryResource } from '../../share/taxii/taxii-resources.js';
import type { ApiKeyRecord } from '../../store/store.js';
import { hashKey } from '../api-keys.js';

export const TAXII_PREFIX = '/taxii2';
export const TAXII_API_ROOT = 'intel';

const REALM = 'Basic realm="Precursor TAXII", charset="UTF-8"';

// biome-ignore lint/suspicious/noExplicitAny: mounted on the server's app whatever its variables
export function mountTaxii(app: Hono<any>, p: Pipeline, logger: Logger): void {
  const cfg = p.config.share.taxii;
  const source = new StoreObjectSource(p.store.intel);
  const cache = accessCache(p.store);
  let collectionsReady: Promise<unknown> | undefined;

  const send = (c: Context, status: number, body: string, headers: Record<string, string> = {}) =>
    // Encoded once here: a string body would be measured (Content-Length) and then encoded again on
    // write, two passes over a megabyte per page.
    c.body(Buffer.from(body), status as 200, { 'Content-Type': TAXII_MEDIA_TYPE, ...headers });

  const fail = (c: Context, err: unknown) => {
    let e: TaxiiError;
    if (err instanceof TaxiiError) e = err;
    else if (isPrecursorError(err) && err.code === 'UNAUTHENTICATED') e = new TaxiiError(401, err.message);
    else if (isPrecursorError(err) && err.code === 'FORBIDDEN') e = new TaxiiError(403, err.message);
    else if (isPrecursorError(err) && err.code === 'VALIDATION_FAILED') e = new TaxiiError(400, err.message);
    else if (isPrecursorError(err) && err.code === 'NOT_FOUND') e = new TaxiiError(404, err.message);
    else {
      logger.error({ err, path: c.req.path }, 'TAXII request failed');
      return send(c, 500, JSON.stringify({ title: 'Internal Server Error', http_status: '500' }));
    }
    return send(
      c,
      e.status,
      JSON.stringify(e.toResource()),
      e.status === 401 ? { 'WWW-Authenticate': REALM } : {},
    );
  };

  const authenticate = async (c: Context): Promise<ApiKeyRecord> => {
    const header = c.req.header('authorization') ?? '';
    let id: string | undefined;
    let presented: string | undefined;
    if (/^basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        id = decoded.slice(0, colon);
        presented = decoded.slice(colon + 1);
      }
    } else if (/^bearer /i.test(header)) presented = header.slice(7).trim();
    else presented = c.req.header('x-api-key')?.trim();
    if (!presented)
      throw new TaxiiError(401, 'an API key is required: Basic (key id as user, key as password) or Bearer');
    const key = await cache.keyByHash(hashKey(presented));
    if (!key || (id !== undefined && id !== key.id)) throw new TaxiiError(401, 'unknown or revoked API key');
    return key;
  };

  const access = async (key: ApiKeyRecord): Promise<CollectionAccess[]> => {
    collectionsReady ??= ensureDefaultCollections(p.store, new Date()).catch((e) => {
      collectionsReady = undefined;
      throw e;
    });
    await collectionsReady;
    const [collections, grants] = await Promise.all([
      cache.collections(),
      key.partner ? cache.grants(key.partner) : Promise.resolve([]),
    ]);
    return collectionAccess(
      { role: key.role, partner: key.partner ?? null },
      collections,
      grants,
      cfg.internalTlp,
    );
  };

  const rootConfig = {
    path: TAXII_API_ROOT,
    title: `${cfg.title} intel`,
    description: 'Phishing infrastructure confirmed by human review, shared as STIX 2.1.',
    maxContentLength: cfg.maxContentLength,
    collections: [],
  };

  const handle = async (c: Context): Promise<Response> => {
    try {
      const key = await authenticate(c);
      negotiateTaxiiAccept(c.req.header('accept'));
      const url = new URL(c.req.url);
      const base = `${url.origin}${TAXII_PREFIX}/`;
      const parts = url.pathname
        .slice(TAXII_PREFIX.length)
        .split('/')
        .filter(Boolean)
        .map(decodeURIComponent);
      const method = c.req.method;
      const only = (m: string) => {
        if (method !== m) throw new TaxiiError(405, `${method} is not supported here`);
      };
      if (parts.length === 0) {
        only('GET');
        return send(
          c,
          200,
          JSON.stringify(
            discoveryResource({
              title: cfg.title,
              description: 'Precursor TAXII 2.1 server',
              baseUrl: base,
              defaultApiRoot: TAXII_API_ROOT,
              apiRoots: [rootConfig],
            }),
          ),
        );
      }
      if (parts[0] !== TAXII_API_ROOT) throw new TaxiiError(404, `no API root ${parts[0]}`);
      if (parts.length === 1) {
        only('GET');
        return send(c, 200, JSON.stringify(apiRootResource(rootConfig)));
      }
      if (parts[1] === 'status' && parts.length === 3) {
        only('GET');
        const s = await p.store.intel.status(parts[2] as string);
        // Only the key that posted (or an admin) learns about a status.
        if (!s || (s.keyId !== key.id && key.role !== 'admin'))
          throw new TaxiiError(404, `no status ${parts[2]}`);
        return send(c, 200, s.body);
      }
      if (parts[1] !== 'collections') throw new TaxiiError(404, `no resource ${url.pathname}`);
      const visible = await access(key);
      const resource = (a: CollectionAccess) => ({
        ...collectionResource({
          id: a.collection.id,
          title: a.collection.title,
          description: a.collection.description,
          alias: a.collection.alias,
          canRead: a.canRead,
          canWrite: a.canWrite,
        }),
      });
      if (parts.length === 2) {
        only('GET');
        return send(c, 200, JSON.stringify(visible.length ? { collections: visible.map(resource) } : {}));
      }
      const a = visible.find((v) => v.collection.id === parts[2] || v.collection.alias === parts[2]);
      if (!a) throw new TaxiiError(404, `no collection ${parts[2]}`);
      if (parts.length === 3) {
        only('GET');
        return send(c, 200, JSON.stringify(resource(a)));
      }
      const readOpts = { tlp: a.tlp, maxPageSize: cfg.maxPageSize };
      const params = url.searchParams;
      const id = a.collection.id;
      const pageOut = (page: TaxiiPage, json: string) => send(c, 200, json, pageHeaders(page));
      const mustRead = () => {
        if (!a.canRead) throw new TaxiiError(403, 'this key may not read this collection');
      };
      if (parts[3] === 'objects' && parts.length === 4) {
        if (method === 'POST') {
          if (!a.canWrite) throw new TaxiiError(403, 'this key may not write to this collection');
          checkTaxiiContentType(c.req.header('content-type'));
          const declared = Number(c.req.header('content-length') ?? '0');
          if (Number.isFinite(declared)) checkContentLength(declared, cfg.maxContentLength);
          const body = await c.req.text();
          const status = await acceptEnvelope(p, {
            collection: a.collection,
            key,
            body,
            maxContentLength: cfg.maxContentLength,
          });
          return send(c, 202, JSON.stringify(status));
        }
        only('GET');
        mustRead();
        const page = await getObjects(source, id, params, readOpts);
        return pageOut(page, envelopeJson(page));
      }
      if (parts[3] === 'manifest' && parts.length === 4) {
        only('GET');
        mustRead();
        const page = await getManifest(source, id, params, readOpts);
        return pageOut(page, manifestJson(page));
      }
      if (parts[3] === 'objects' && parts.length === 5) {
        only('GET');
        mustRead();
        const page = await getObject(source, id, parts[4] as string, params, readOpts);
        return pageOut(page, envelopeJson(page));
      }
      if (parts[3] === 'objects' && parts[5] === 'versions' && parts.length === 6) {
        only('GET');
        mustRead();
        const page = await getVersions(source, id, parts[4] as string, params, readOpts);
        return pageOut(page, versionsJson(page));
      }
      throw new TaxiiError(404, `no resource ${url.pathname}`);
    } catch (err) {
      return fail(c, err);
    }
  };
  app.all(TAXII_PREFIX, handle);
  app.all(`${TAXII_PREFIX}/*`, handle);
}
