/**
 * The paged endpoints of a TAXII 2.1 collection, as pure protocol logic over a TaxiiObjectSource:
 * get objects (envelope), get object manifests, get an object, get object versions. Each returns a
 * page (records, `more`, `next`, and the X-TAXII-Date-Added-First/Last values) that the server turns
 * into a response; `envelopeJson` splices pre-serialised objects without re-parsing them.
 * @module
 */
import type { Tlp } from '../model.js';
import type { TaxiiObjectSource, TaxiiPosition, TaxiiQuery, TaxiiRecord } from './object-source.js';
import { decodeCursor, encodeCursor, filterDigest } from './taxii-cursor.js';
import { TaxiiError } from './taxii-error.js';
import { type ReadOptions, type ParsedQuery, parseQuery, type QueryParams } from './taxii-query.js';

export interface TaxiiPage {
  readonly records: readonly TaxiiRecord[];
  readonly more: boolean;
  readonly next?: string;
  /** Values of X-TAXII-Date-Added-First / -Last (absent on an empty page). */
  readonly dateAddedFirst?: string;
  readonly dateAddedLast?: string;
}

type Endpoint = 'objects' | 'manifest' | 'object' | 'versions';

async function page(
  source: TaxiiObjectSource,
  endpoint: Endpoint,
  collectionId: string,
  objectId: string | undefined,
  parsed: ParsedQuery,
  tlp: Tlp,
): Promise<TaxiiPage> {
  const digest = filterDigest([
    endpoint,
    tlp,
    collectionId,
    objectId ?? null,
    parsed.addedAfter ?? null,
    parsed.ids ?? null,
    parsed.types ?? null,
    parsed.versions,
    parsed.specVersions ?? null,
  ]);
  const after: TaxiiPosition | undefined =
    parsed.next === undefined ? undefined : decodeCursor(parsed.next, digest);
  const q: TaxiiQuery = {
    collectionId,
    tlp,
    versions: parsed.versions,
    limit: parsed.limit + 1,
    ...(after ? { after } : {}),
    ...(parsed.addedAfter ? { addedAfter: parsed.addedAfter } : {}),
    ...(objectId ? { ids: [objectId] } : parsed.ids ? { ids: parsed.ids } : {}),
    ...(parsed.types ? { types: parsed.types } : {}),
    ...(parsed.specVersions ? { specVersions: parsed.specVersions } : {}),
  };
  const found = await source.query(q);
  const more = found.length > parsed.limit;
  const records = more ? found.slice(0, parsed.limit) : found;
  const last = records.at(-1);
  const first = records[0];
  return {
    records,
    more,
    ...(more && last ? { next: encodeCursor(last, digest) } : {}),
    ...(first && last ? { dateAddedFirst: first.dateAdded, dateAddedLast: last.dateAdded } : {}),
  };
}

/** GET {api-root}/collections/{id}/objects/ */
export async function getObjects(
  source: TaxiiObjectSource,
  collectionId: string,
  params: QueryParams,
  paging: ReadOptions,
) {
  return page(source, 'objects', collectionId, undefined, parseQuery(params, paging), paging.tlp);
}

/** GET {api-root}/collections/{id}/manifest/ */
export async function getManifest(
  source: TaxiiObjectSource,
  collectionId: string,
  params: QueryParams,
  paging: ReadOptions,
) {
  return page(source, 'manifest', collectionId, undefined, parseQuery(params, paging), paging.tlp);
}

/** GET {api-root}/collections/{id}/objects/{object-id}/ — 404 when no version matches. */
export async function getObject(
  source: TaxiiObjectSource,
  collectionId: string,
  objectId: string,
  params: QueryParams,
  paging: ReadOptions,
): Promise<TaxiiPage> {
  const parsed = parseQuery(params, paging);
  if (parsed.ids || parsed.types)
    throw new TaxiiError(400, 'match[id] and match[type] do not apply to a single object');
  const p = await page(source, 'object', collectionId, objectId, parsed, paging.tlp);
  if (p.records.length === 0 && parsed.next === undefined)
    throw new TaxiiError(404, `no object ${objectId} in this collection`);
  return p;
}

/** GET {api-root}/collections/{id}/objects/{object-id}/versions/ — every version unless filtered. */
export async function getVersions(
  source: TaxiiObjectSource,
  collectionId: string,
  objectId: string,
  params: QueryParams,
  paging: ReadOptions,
): Promise<TaxiiPage> {
  const parsed = parseQuery(params, paging, 'all');
  if (parsed.ids || parsed.types || parsed.versions !== 'all')
    throw new TaxiiError(
      400,
      'the versions endpoint takes only added_after, limit, next and match[spec_version]',
    );
  const p = await page(source, 'versions', collectionId, objectId, parsed, paging.tlp);
  if (p.records.length === 0 && parsed.next === undefined)
    throw new TaxiiError(404, `no object ${objectId} in this collection`);
  return p;
}

function paging(p: TaxiiPage): string {
  return `"more":${p.more}${p.next ? `,"next":${JSON.stringify(p.next)}` : ''}`;
}

/** The envelope resource (§3.7) as JSON text. */
export function envelopeJson(p: TaxiiPage): string {
  if (p.records.length === 0) return `{${paging(p)}}`;
  const objects = p.records.map((r) => (typeof r.object === 'string' ? r.object : JSON.stringify(r.object)));
  return `{${paging(p)},"objects":[${objects.join(',')}]}`;
}

/** The manifest resource (§5.3) as JSON text. */
export function manifestJson(p: TaxiiPage): string {
  if (p.records.length === 0) return `{${paging(p)}}`;
  const objects = p.records.map((r) =>
    JSON.stringify({ id: r.id, date_added: r.dateAdded, version: r.version, media_type: r.mediaType }),
  );
  return `{${paging(p)},"objects":[${objects.join(',')}]}`;
}

/** The versions resource (§5.7) as JSON text. */
export function versionsJson(p: TaxiiPage): string {
  if (p.records.length === 0) return `{${paging(p)}}`;
  return `{${paging(p)},"versions":${JSON.stringify(p.records.map((r) => r.version))}}`;
}

/** Response headers of a page. */
export function pageHeaders(p: TaxiiPage): Record<string, string> {
  return p.dateAddedFirst && p.dateAddedLast
    ? { 'X-TAXII-Date-Added-First': p.dateAddedFirst, 'X-TAXII-Date-Added-Last': p.dateAddedLast }
    : {};
}
