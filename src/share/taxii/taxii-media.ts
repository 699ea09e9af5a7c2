/**
 * TAXII 2.1 media types and content negotiation (§1.6.8): responses are
 * `application/taxii+json;version=2.1`; a request whose Accept admits none of it is refused with 406,
 * a POST whose Content-Type is not it with 415.
 * @module
 */
import { TaxiiError } from './taxii-error.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

export function parseMediaRanges(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [full = '', ...rawParams] = part.split(';').map((s) => s.trim());
    const [type, subtype] = full.toLowerCase().split('/');
    if (!type || !subtype) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (k === 'q') q = Number(v);
      else params.set(k, v);
    }
    if (Number.isFinite(q)) out.push({ type, subtype, params, q });
  }
  return out;
}

/** True when `range` admits `application/taxii+json;version=2.1`. A range without `version` means the latest. */
function admitsTaxii(r: MediaRange): boolean {
  if (r.q <= 0) return false;
  if (r.type === '*' && r.subtype === '*') return true;
  if (r.type !== 'application') return false;
  if (r.subtype === '*') return true;
  if (r.subtype !== 'taxii+json') return false;
  const v = r.params.get('version');
  return v === undefined || v === '2.1';
}

/** Throws 406 unless the Accept header (absent = anything) admits the TAXII 2.1 media type. */
export function negotiateTaxiiAccept(accept: string | undefined): typeof TAXII_MEDIA_TYPE {
  if (accept === undefined || accept.trim() === '') return TAXII_MEDIA_TYPE;
  if (parseMediaRanges(accept).some(admitsTaxii)) return TAXII_MEDIA_TYPE;
  throw new TaxiiError(406, `the server only produces ${TAXII_MEDIA_TYPE}`, { accept });
}

/** Throws 415 unless a POSTed body is declared as TAXII 2.1 JSON. */
export function checkTaxiiContentType(contentType: string | undefined): void {
  const [r] = parseMediaRanges(contentType ?? '');
  const ok =
    r !== undefined &&
    r.type === 'application' &&
    r.subtype === 'taxii+json' &&
    (r.params.get('version') ?? '2.1') === '2.1';
  if (!ok)
    throw new TaxiiError(415, `the request body must be ${TAXII_MEDIA_TYPE}`, {
      contentType: contentType ?? null,
    });
}

/** Throws 413 when a declared or actual body length exceeds the API root's `max_content_length`. */
export function checkContentLength(length: number, max: number): void {
  if (length > max)
    throw new TaxiiError(413, `the request body is ${length} bytes; this API root accepts ${max}`, {
      max_content_length: max,
    });
}
