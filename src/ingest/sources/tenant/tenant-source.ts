/**
 * Tenant events from JSONL files (one event per line), the file twin of `POST /v1/events`. Every line
 * becomes one `tenant-event` observation keyed by the provider's event id, or a dead letter naming the
 * line and the field at fault.
 * @module
 */
import { resolve } from 'node:path';
import {
  normalisedTenantEvent,
  type Observation,
  type TenantEvent,
  tenantDedupeKey,
} from '../../../domain/index.js';
import { startLines } from '../../file-checkpoint.js';
import { LineRecord, readLineBatches } from '../../line-reader.js';
import { ok, type ParseResult, reject, type Source, type SourceRecord } from '../../source.js';
import { parseTenantEvent, parseTenantEventLine } from './tenant-schema.js';

/** Events larger than this (in characters) are rejected as TOO_LARGE. */
export const MAX_EVENT_CHARS = 64 * 1024;

export interface TenantFileSourceOptions {
  readonly path: string;
  /** Defaults to `tenant:<absolute path>`. */
  readonly sourceId?: string;
  /** What `-` reads (default: the process's standard input). */
  readonly stdin?: NodeJS.ReadableStream;
}

export function tenantObservation(source: string, event: TenantEvent): Observation<'tenant-event'> {
  return {
    source,
    kind: 'tenant-event',
    observedAt: event.ts,
    dedupeKey: tenantDedupeKey(event),
    payload: { event: event as unknown as Record<string, unknown> },
  };
}

export function createTenantFileSource(options: TenantFileSourceOptions): Source {
  const path = options.path === '-' ? '-' : resolve(options.path);
  const id = options.sourceId ?? `tenant:${path === '-' ? 'stdin' : path}`;
  return {
    id,
    async *read(cursor, signal, hooks) {
      const { from, cursorPrefix } = startLines(path, cursor, hooks);
      for await (const lines of readLineBatches(path, from, signal, options.stdin)) {
        const out = new Array<SourceRecord>(lines.length);
        for (let i = 0; i < lines.length; i++)
          out[i] = new LineRecord(lines[i] as (typeof lines)[number], undefined, cursorPrefix);
        yield out;
      }
    },
    parse: (record) => parseTenantRecord(record, id),
  };
}

/** One event as text (a JSONL line, a stream message) → its observation or a rejection. */
export function parseTenantRecord(record: SourceRecord, sourceId: string): ParseResult {
  if (record.raw.trim() === '') return ok([]);
  if (record.raw.length > MAX_EVENT_CHARS)
    return reject('TOO_LARGE', `event of ${record.raw.length} characters exceeds ${MAX_EVENT_CHARS}`);
  const r = parseTenantEventLine(record.raw);
  return r.ok ? ok([tenantObservation(sourceId, r.event)]) : { ok: false, rejection: r.rejection };
}

/**
 * The event of a stored `tenant-event` observation: the normalised form ingest stored (checked by its
 * version and identity fields only), or, for anything else (an older schema, a row written by hand),
 * the result of validating it in full. Undefined when it no longer validates.
 */
export function decodeStoredTenantEvent(payload: unknown): TenantEvent | undefined {
  const stored = normalisedTenantEvent(payload);
  if (stored) return stored;
  const e = (payload as { event?: unknown } | null)?.event;
  if (!e || typeof e !== 'object') return undefined;
  const r = parseTenantEvent(e);
  return r.ok ? r.event : undefined;
}
