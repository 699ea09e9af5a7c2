/**
 * The one entry point for tenant events handed over in memory — the body of `POST /v1/events` and
 * each batch of `precursor ingest events`: validate every event at the edge, dead-letter the bad ones
 * with their reason, write the good ones as observations (idempotent on the provider's event id), then
 * run the tenant stage so the accounts' assessments are current when the call returns.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Rejection } from '../../domain/index.js';
import { MAX_EVENT_CHARS, tenantObservation } from '../../ingest/sources/tenant/tenant-source.js';
import { parseTenantEvent, type TenantEvent } from '../../ingest/sources/tenant/tenant-schema.js';
import type { DeadLetterInput, EntityStore, IngestStore } from '../../store/store.js';
import type { FreshTenantEvent, TenantStage, TenantStageProgress } from './tenant-stage.js';

export interface IngestTenantEventsOptions {
  /** Source id for observations and dead letters (default `tenant:api`). */
  readonly source?: string;
  /** The long-lived stage to run afterwards; omit to only store the events. */
  readonly stage?: TenantStage;
  /** Raw characters kept per dead letter (default 4,096). */
  readonly maxRawChars?: number;
}

export interface RejectedEvent extends Rejection {
  /** 0-based index of the event in the batch. */
  readonly index: number;
  readonly eventId?: string;
}

export interface IngestTenantEventsResult {
  readonly received: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedEvent[];
  /** Present when a stage ran. */
  readonly detection?: TenantStageProgress;
}

export async function ingestTenantEvents(
  store: IngestStore & EntityStore,
  events: readonly unknown[],
  options: IngestTenantEventsOptions = {},
): Promise<IngestTenantEventsResult> {
  const source = options.source ?? 'tenant:api';
  const maxRaw = options.maxRawChars ?? 4096;
  const observations = [];
  const valid: TenantEvent[] = [];
  const deadLetters: DeadLetterInput[] = [];
  const rejected: RejectedEvent[] = [];
  let batchId: string | undefined;

  for (let i = 0; i < events.length; i++) {
    const input = events[i];
    // Every field of a valid event is bounded by the schema, so only rejected events need their size.
    const r = parseTenantEvent(input);
    if (r.ok) {
      observations.push(tenantObservation(source, r.event));
      valid.push(r.event);
      continue;
    }
    let raw: string;
    try {
      raw = JSON.stringify(input) ?? 'undefined';
    } catch {
      raw = String(input);
    }
    const rejection: Rejection =
      raw.length > MAX_EVENT_CHARS
        ? { code: 'TOO_LARGE', reason: `event of ${raw.length} characters exceeds ${MAX_EVENT_CHARS}` }
        : r.rejection;
    const eventId =
      typeof (input as { event_id?: unknown })?.event_id === 'string'
        ? (input as { event_id: string }).event_id
        : undefined;
    rejected.push({ ...rejection, index: i, ...(eventId !== undefined ? { eventId } : {}) });
    // Positions are unique per dead letter: a retried batch maps to the same ones (no duplicates), another batch to others.
    batchId ??= createHash('sha256').update(JSON.stringify(events)).digest('hex').slice(0, 16);
    deadLetters.push({
      source,
      position:
        eventId !== undefined
          ? `event ${eventId.slice(0, 200)} (batch ${batchId} item ${i})`
          : `batch ${batchId} item ${i}`,
      raw: raw.length > maxRaw ? `${raw.slice(0, maxRaw)}…[${raw.length - maxRaw} more]` : raw,
      rejection,
    });
  }

  const written = await store.writeIngestBatch({
    source,
    observations,
    deadLetters,
    ...(options.stage ? { wantSeqs: true } : {}),
  });
  // Hand the stage the events it would otherwise read back from the store and parse again.
  let fresh: Map<number, FreshTenantEvent> | undefined;
  if (options.stage && written.insertedSeqs) {
    fresh = new Map();
    const seqs = written.insertedSeqs;
    for (let i = 0; i < observations.length; i++) {
      const seq = seqs[i];
      const o = observations[i];
      if (seq !== undefined && o)
        fresh.set(seq, { event: valid[i] as TenantEvent, dedupeKey: o.dedupeKey, observedAt: o.observedAt });
    }
  }
  const detection = options.stage ? await options.stage.run(fresh) : undefined;
  return {
    received: events.length,
    inserted: written.inserted,
    duplicates: written.duplicates,
    rejected,
    ...(detection ? { detection } : {}),
  };
}
