/**
 * POST of an envelope to a writable TAXII collection (one workflow): the valid objects are added to
 * the collection, the host names and URLs they name are ingested as observations of the poster's own
 * source (`taxii:<partner>` or `taxii:key-<id>`) and scored, and the status resource is stored and
 * returned. A retry of the same envelope is harmless: stored versions and observations deduplicate.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { observeValue } from '../ingest/sources/list/observe-value.js';
import { createMemorySource } from '../ingest/sources/memory-source.js';
import { toIntelObject } from '../share/taxii/to-intel-object.js';
import { valuesOf } from '../share/taxii/taxii-intake.js';
import { readEnvelope, type StatusDetail, statusResource } from '../share/taxii/taxii-status.js';
import type { ApiKeyRecord, IntelCollection } from '../store/store.js';
import type { Pipeline } from './pipeline.js';

export interface EnvelopeIntakeRequest {
  readonly collection: IntelCollection;
  readonly key: ApiKeyRecord;
  readonly body: string;
  readonly maxContentLength: number;
  readonly now?: Date;
}

export type TaxiiStatus = ReturnType<typeof statusResource>;

export function sourceOf(key: Pick<ApiKeyRecord, 'id' | 'partner'>): string {
  return key.partner ? `taxii:${key.partner}` : `taxii:key-${key.id}`;
}

export async function acceptEnvelope(p: Pipeline, req: EnvelopeIntakeRequest): Promise<TaxiiStatus> {
  const now = req.now ?? new Date();
  const intake = readEnvelope(req.body, req.maxContentLength);
  const source = sourceOf(req.key);
  await p.store.intel.addObjects(
    req.collection.id,
    intake.objects.map((o) => toIntelObject(o.object)),
    now,
  );

  const values: { value: string; object: number }[] = [];
  intake.objects.forEach((o, i) => {
    for (const value of valuesOf(o)) values.push({ value, object: i });
  });
  const notes = new Map<number, string[]>();
  const observedAt = now.toISOString();
  if (values.length > 0) {
    const src = createMemorySource(source, values, (v) => {
      const r = observeValue(source, v.value, observedAt);
      if (r.ok) return { ok: true, observations: [r.observation] };
      notes.set(v.object, [
        ...(notes.get(v.object) ?? []),
        `'${v.value.slice(0, 200)}' not observed: ${r.rejection.reason}`,
      ]);
      return r;
    });
    await p.ingest(src, { ignoreCheckpoint: true });
  }
  const successes: StatusDetail[] = intake.objects.map((o, i) => {
    const n = notes.get(i);
    return { id: o.id, version: o.version, ...(n ? { message: n.join('; ') } : {}) };
  });
  const status = statusResource({
    id: randomUUID(),
    requestTimestamp: observedAt,
    successes,
    failures: intake.failures,
    pendings: [],
  });
  await p.store.transaction(async (tx) => {
    await tx.intel.saveStatus({
      id: status.id,
      keyId: req.key.id,
      createdAt: observedAt,
      body: JSON.stringify(status),
    });
    await tx.audit.append({
      at: observedAt,
      actor: `key:${req.key.id}`,
      action: 'taxii.post',
      subject: `collection:${req.collection.alias}`,
      detail: { status: status.id, source, successes: status.success_count, failures: status.failure_count },
    });
  });
  return status;
}
