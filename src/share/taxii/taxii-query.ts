/**
 * Reading the TAXII 2.1 query parameters of the objects, manifest, object and versions endpoints
 * (§3.5: `added_after`, `limit`, `next`, `match[id|type|version|spec_version]`). Filter values may be
 * comma-separated or repeated. Unsupported `match[...]` fields are ignored as the spec allows.
 * @module
 */
import type { Tlp } from '../model.js';
import type { VersionSelector } from './object-source.js';
import { TaxiiError } from './taxii-error.js';
import { canonicalTaxiiTimestamp, parseTaxiiTimestamp } from './taxii-timestamp.js';

/** The subset of URLSearchParams the protocol reads. */
export interface QueryParams {
  getAll(name: string): string[];
  get(name: string): string | null;
}

export interface ReadOptions {
  /** The reader's TLP ceiling (from its key's grants); nothing above it is returned by any endpoint. */
  readonly tlp: Tlp;
  /** Largest page the server returns, whatever `limit` asks. */
  readonly maxPageSize: number;
  /** Page size without `limit`. Default: maxPageSize. */
  readonly defaultPageSize?: number;
}

export interface ParsedQuery {
  readonly addedAfter?: string;
  readonly limit: number;
  readonly next?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  readonly versions: VersionSelector;
}

const STIX_ID =
  /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const STIX_TYPE = /^[a-z][a-z0-9-]{1,248}[a-z0-9]$/;

function list(params: QueryParams, name: string): string[] | undefined {
  const values = params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

export function parseQuery(
  params: QueryParams,
  paging: Omit<ReadOptions, 'tlp'>,
  defaultVersions: VersionSelector = 'last',
): ParsedQuery {
  const q: { -readonly [K in keyof ParsedQuery]: ParsedQuery[K] } = {
    limit: paging.defaultPageSize ?? paging.maxPageSize,
    versions: defaultVersions,
  };
  const addedAfter = params.get('added_after');
  if (addedAfter !== null) q.addedAfter = parseTaxiiTimestamp('added_after', addedAfter);
  const limit = params.get('limit');
  if (limit !== null) {
    if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1)
      throw new TaxiiError(400, `limit must be a positive integer: ${limit}`);
    q.limit = Number(limit);
  }
  q.limit = Math.min(q.limit, paging.maxPageSize);
  const next = params.get('next');
  if (next !== null) q.next = next;
  const ids = list(params, 'match[id]');
  if (ids) {
    const bad = ids.find((i) => !STIX_ID.test(i));
    if (bad) throw new TaxiiError(400, `match[id] is not a STIX id: ${bad}`);
    q.ids = ids;
  }
  const types = list(params, 'match[type]');
  if (types) {
    const bad = types.find((t) => !STIX_TYPE.test(t));
    if (bad) throw new TaxiiError(400, `match[type] is not a STIX type: ${bad}`);
    q.types = types;
  }
  const specVersions = list(params, 'match[spec_version]');
  if (specVersions) q.specVersions = specVersions;
  const versions = list(params, 'match[version]');
  if (versions) q.versions = versionSelector(versions);
  return q;
}

function versionSelector(values: string[]): VersionSelector {
  if (values.includes('all')) return 'all';
  const keywords = values.filter((v) => v === 'first' || v === 'last');
  const stamps = values.filter((v) => v !== 'first' && v !== 'last');
  if (stamps.length === 0) return keywords.length === 1 ? (keywords[0] as 'first' | 'last') : 'all';
  if (keywords.length)
    throw new TaxiiError(400, 'match[version] mixes first/last with specific versions; use all');
  return {
    versions: stamps.map((s) => {
      if (canonicalTaxiiTimestamp(s) === undefined)
        throw new TaxiiError(400, `match[version] is not a timestamp: ${s}`);
      return s;
    }),
  };
}
