/**
 * POST of an envelope (§5.4) and the status resource (§4.3) that reports on it. `readEnvelope` checks
 * size and shape and splits the objects into those to ingest and per-object failures (one bad object
 * never rejects its neighbours); `statusResource` renders the outcome once ingestion has run.
 * @module
 */
import { checkContentLength } from './taxii-media.js';
import { TaxiiError } from './taxii-error.js';
import { canonicalTaxiiTimestamp } from './taxii-timestamp.js';

export interface EnvelopeObject {
  readonly id: string;
  readonly type: string;
  /** `modified`, else `created`; empty for objects without either (SCOs). */
  readonly version: string;
  readonly object: Readonly<Record<string, unknown>>;
}

export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

export interface EnvelopeIntake {
  readonly objects: readonly EnvelopeObject[];
  readonly failures: readonly StatusDetail[];
}

const ID =
  /^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const SCO_LIKE = new Set(['marking-definition', 'language-content']);

export function readEnvelope(body: string, maxContentLength: number): EnvelopeIntake {
  checkContentLength(Buffer.byteLength(body, 'utf8'), maxContentLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new TaxiiError(400, `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new TaxiiError(422, 'the body is not a TAXII envelope');
  const objects = (parsed as { objects?: unknown }).objects;
  if (objects === undefined) return { objects: [], failures: [] };
  if (!Array.isArray(objects)) throw new TaxiiError(422, 'envelope objects must be a list');
  const ok: EnvelopeObject[] = [];
  const failures: StatusDetail[] = [];
  for (const [i, o] of objects.entries()) {
    const r = checkObject(o);
    if (typeof r === 'string') {
      const rec = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
      failures.push({
        id: typeof rec.id === 'string' ? rec.id : `objects[${i}]`,
        version: versionOf(rec),
        message: r,
      });
    } else ok.push(r);
  }
  return { objects: ok, failures };
}

function versionOf(o: Record<string, unknown>): string {
  const v = o.modified ?? o.created;
  return typeof v === 'string' ? v : '';
}

function checkObject(o: unknown): EnvelopeObject | string {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not a JSON object';
  const rec = o as Record<string, unknown>;
  if (typeof rec.type !== 'string' || typeof rec.id !== 'string') return 'type and id are required';
  const m = ID.exec(rec.id);
  if (!m || m[1] !== rec.type) return `id ${rec.id} is not a ${rec.type} identifier`;
  if (rec.spec_version !== '2.1')
    return `spec_version ${String(rec.spec_version)} is not supported (2.1 only)`;
  for (const k of ['created', 'modified'] as const)
    if (rec[k] !== undefined && (typeof rec[k] !== 'string' || canonicalTaxiiTimestamp(rec[k]) === undefined))
      return `${k} is not a timestamp`;
  const sdoLike = rec.created !== undefined || rec.modified !== undefined;
  if (sdoLike && !SCO_LIKE.has(rec.type) && (rec.created === undefined || rec.modified === undefined))
    return 'created and modified are both required on domain and relationship objects';
  return { id: rec.id, type: rec.type, version: versionOf(rec), object: rec };
}

export interface StatusInput {
  readonly id: string;
  readonly requestTimestamp: string;
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

export function statusResource(s: StatusInput) {
  const total = s.successes.length + s.failures.length + s.pendings.length;
  return {
    id: s.id,
    status: s.pendings.length ? 'pending' : 'complete',
    request_timestamp: s.requestTimestamp,
    total_count: total,
    success_count: s.successes.length,
    failure_count: s.failures.length,
    pending_count: s.pendings.length,
    ...(s.successes.length ? { successes: s.successes } : {}),
    ...(s.failures.length ? { failures: s.failures } : {}),
    ...(s.pendings.length ? { pendings: s.pendings } : {}),
  };
}
