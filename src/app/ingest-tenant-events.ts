/**
 * The one entry point for tenant events handed over in memory — the body of `POST /v1/events` and
 * each batch of `precursor ingest events`: validate every event at the edge, dead-letter the bad ones
 * with their reason, write the good ones as observations (idempotent on the provider's event id), then
 * run the tenant stage so the accounts' assessments are current when the call returns.
 * @module
 */
import { createHash } from 'node:crypto';
import type { FreshTenantEvents, TenantStage, TenantStageProgress } from '../detect/tenant/tenant-stage.js';
import type { Rejection, TenantEvent } from '../domain/index.js';
import { parseTenantEvent } from '../ingest/sources/tenant/tenant-schema.js';
import { MAX_EVENT_CHARS, tenantObservation } from '../ingest/sources/tenant/tenant-source.js';
import type { Aggregates, DeadLetterInput } from '../store/store.js';

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
  store: Pick<Aggregates, 'observations'>,
  events: readonly unknown[],
  options: IngestTenantEventsOptions = {},
): Promise<IngestTenantEventsResult> {
  const source = options.source ?? 'tenant:api';
  const maxRaw = options.maxRawChars ?? 4096;
  const observations = [];
  const valid: TenantEvent[] = [];
  const deadLetters: DeadLetterInput[] = [];
  const rejected: RejectedEvent[] = [];
  const bad: Array<{ index: number; raw: string; rejection: Rejection; eventId: string | undefined }> = [];

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
    bad.push({ index: i, raw, rejection, eventId });
  }
  if (bad.length > 0) {
    // Positions are unique per dead letter: a retried batch maps to the same ones (no duplicates),
    // another batch to others. The batch is identified by what identifies its items — each valid
    // event's idempotency key, each rejected one's raw text — in order, so that thousands of valid
    // events are not serialised again just to name the batch. (Two batches that differ only inside
    // events with the same ids share positions; such a resend is the same batch as far as the
    // store's idempotency is concerned.)
    const ids: string[] = [];
    for (let i = 0, b = 0, next = 0; i < events.length; i++) {
      const r = bad[b];
      if (r?.index === i) {
        ids.push(`!${r.raw}`);
        b += 1;
      } else ids.push((observations[next++] as { dedupeKey: string }).dedupeKey);
    }
    const batchId = createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16);
    for (const { index, raw, rejection, eventId } of bad) {
      deadLetters.push({
        source,
        position:
          eventId !== undefined
            ? `event ${eventId.slice(0, 200)} (batch ${batchId} item ${index})`
            : `batch ${batchId} item ${index}`,
        raw: raw.length > maxRaw ? `${raw.slice(0, maxRaw)}…[${raw.length - maxRaw} more]` : raw,
        rejection,
      });
    }
  }

  const written = await store.observations.writeBatch({
    source,
    observations,
    deadLetters,
    ...(options.stage ? { wantSeqs: true } : {}),
  });
  // Hand the stage the events it would otherwise read back from the store and parse again.
  let fresh: FreshTenantEvents | undefined;
  if (options.stage && written.insertedSeqs) {
    const dedupeKeys = new Array<string>(observations.length);
    for (let i = 0; i < observations.length; i++)
      dedupeKeys[i] = (observations[i] as { dedupeKey: string }).dedupeKey;
    fresh = { seqs: written.insertedSeqs, events: valid, dedupeKeys };
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
