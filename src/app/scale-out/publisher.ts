/**
 * The ingest side of the scale-out mode: the sink `runIngest` writes to instead of the store. Each
 * batch's observations are published to their partition's subject and the batch returns only when
 * JetStream has acknowledged every one (stored durably); then the source's checkpoint and dead letters
 * commit to the store. A crash in between re-reads at most that batch from the old checkpoint and
 * publishes it again: the stream's duplicate window (message id = source + dedupe key) and the store's
 * dedupe keys make that a no-op.
 * @module
 */
import { createHash } from 'node:crypto';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { PrecursorError } from '../../domain/index.js';
import type { Aggregates, IngestBatch, IngestBatchResult } from '../../store/store.js';
import { connectStream, ensureStream } from './stream-admin.js';
import { type StreamLayout, type StreamSettings, streamLayout } from './stream-layout.js';

export interface ObservationPublisher {
  readonly layout: StreamLayout;
  /** The observations aggregate as `runIngest` sees it: publishes, then commits checkpoint and dead letters. */
  sink(store: Pick<Aggregates, 'observations'>): Pick<Aggregates, 'observations'>;
  close(): Promise<void>;
}

/** Publishes in flight at once: enough to hide the round trip, bounded so memory stays flat. */
const WINDOW = 512;

/**
 * A publisher that connects on its first batch: commands that never ingest (listings, `status`) open
 * the app in the scale-out mode without touching NATS.
 */
export function createPublisher(settings: StreamSettings): ObservationPublisher {
  const layout = streamLayout(settings.prefix, settings.partitions);
  let connecting: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  const connected = () => {
    connecting ??= (async () => {
      const nc = await connectStream(settings.url, 'precursor-ingest');
      try {
        await ensureStream(nc, layout, settings);
      } catch (e) {
        await nc.close().catch(() => {});
        throw e;
      }
      return { nc, js: jetstream(nc, { timeout: 30_000 }) };
    })();
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  async function publish(batch: IngestBatch): Promise<IngestBatchResult> {
    if (batch.observations.length === 0)
      return { inserted: 0, duplicates: 0, deadLettered: batch.deadLetters.length, insertedSeqs: [] };
    const { js } = await connected();
    const obs = batch.observations;
    const seqs: (number | undefined)[] = new Array(obs.length);
    let inserted = 0;
    let duplicates = 0;
    for (let start = 0; start < obs.length; start += WINDOW) {
      const part = obs.slice(start, start + WINDOW);
      const acks = await Promise.all(
        part.map((o) =>
          js.publish(layout.subject(layout.partitionOf(o), o.source), JSON.stringify(o), {
            msgID: createHash('sha256').update(`${o.source}\u0000${o.dedupeKey}`).digest('base64url'),
          }),
        ),
      ).catch((e: unknown) => {
        throw new PrecursorError(
          'SOURCE_UNAVAILABLE',
          `the work stream did not acknowledge a publish (nothing after the last checkpoint is lost; run again): ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      });
      acks.forEach((a, i) => {
        if (a.duplicate) duplicates += 1;
        else {
          inserted += 1;
          seqs[start + i] = a.seq;
        }
      });
    }
    return { inserted, duplicates, deadLettered: batch.deadLetters.length, insertedSeqs: seqs };
  }

  return {
    layout,
    sink(store) {
      const o = store.observations;
      return {
        observations: {
          checkpoint: (source) => o.checkpoint(source),
          deadLetters: (filter) => o.deadLetters(filter),
          count: (source) => o.count(source),
          after: (seq, limit, kinds) => o.after(seq, limit, kinds),
          mentioning: (text, kinds, limit) => o.mentioning(text, kinds, limit),
          bySeqs: (seqs) => o.bySeqs(seqs),
          seqsAfter: (seq, limit, kinds) => o.seqsAfter(seq, limit, kinds),
          fieldsAfter: (seq, limit, kind, fields) => o.fieldsAfter(seq, limit, kind, fields),
          countAfter: (seq, kinds) => o.countAfter(seq, kinds),
          countBySource: () => o.countBySource(),
          deadLettersBySource: () => o.deadLettersBySource(),
          async writeBatch(batch) {
            const r = await publish(batch);
            // Acknowledged by the stream: only now may the checkpoint move past these records.
            const local = await store.observations.writeBatch({
              source: batch.source,
              observations: [],
              deadLetters: batch.deadLetters,
              ...(batch.cursor === undefined ? {} : { cursor: batch.cursor }),
            });
            return { ...r, deadLettered: local.deadLettered };
          },
        },
      };
    },
    async close() {
      if (!connecting) return;
      const c = await connecting.catch(() => undefined);
      await c?.nc.drain().catch(() => {});
    },
  };
}
