/**
 * Connecting to NATS and making sure the deployment's stream and per-partition consumers exist, as
 * configured. Publishers and workers both call it, so whichever starts first creates them.
 * @module
 */
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { PrecursorError } from '../../domain/index.js';
import type { StreamLayout, StreamSettings } from './stream-layout.js';

const nanos = (ms: number) => ms * 1_000_000;

export async function connectStream(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, timeout: 5000, name, maxReconnectAttempts: -1 });
  } catch (e) {
    throw new PrecursorError(
      'SOURCE_UNAVAILABLE',
      `cannot reach the work stream at ${url}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}

/** The partition count is recorded in the stream's description: changing it would reorder keys. */
const describe = (partitions: number) => `Precursor observations; partitions=${partitions}`;

export async function ensureStream(
  nc: NatsConnection,
  layout: StreamLayout,
  settings: StreamSettings,
): Promise<JetStreamManager> {
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (e) {
    throw new PrecursorError(
      'SOURCE_UNAVAILABLE',
      `NATS at ${settings.url} has no JetStream: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const existing = await jsm.streams.info(layout.stream).catch(() => undefined);
  if (existing) {
    const m = /partitions=(\d+)/.exec(existing.config.description ?? '');
    if (m && Number(m[1]) !== layout.partitions)
      throw new PrecursorError(
        'CONFIG_INVALID',
        `stream ${layout.stream} has ${m[1]} partitions but stream.partitions is ${layout.partitions}: a key would move to another partition; drain the stream and delete it first`,
      );
    return jsm;
  }
  await jsm.streams
    .add({
      name: layout.stream,
      subjects: [layout.subjects],
      description: describe(layout.partitions),
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      max_age: nanos(settings.maxAgeDays * 86_400_000),
      // Publishing the same observation twice within this window stores it once in the stream.
      duplicate_window: nanos(120_000),
    })
    .catch(async (e: unknown) => {
      // Another process created it meanwhile.
      if (!(await jsm.streams.info(layout.stream).catch(() => undefined))) throw e;
    });
  return jsm;
}

export async function ensureConsumers(
  jsm: JetStreamManager,
  layout: StreamLayout,
  settings: StreamSettings,
): Promise<void> {
  for (let k = 0; k < layout.partitions; k++) {
    const name = layout.consumer(k);
    const config = {
      durable_name: name,
      filter_subject: layout.filter(k),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // One batch in flight per partition: a redelivered batch comes before anything after it.
      max_ack_pending: settings.batch,
      ack_wait: nanos(settings.ackWaitSeconds * 1000),
      // Store outages must never drop a message: deliveries are unlimited, and the worker itself
      // dead-letters a message that keeps failing on its own (stream.maxDeliver).
      max_deliver: -1,
    };
    const info = await jsm.consumers.info(layout.stream, name).catch(() => undefined);
    if (!info)
      await jsm.consumers.add(layout.stream, config).catch(async (e: unknown) => {
        if (!(await jsm.consumers.info(layout.stream, name).catch(() => undefined))) throw e;
      });
    else if (
      info.config.max_ack_pending !== config.max_ack_pending ||
      info.config.ack_wait !== config.ack_wait
    )
      await jsm.consumers.update(layout.stream, name, {
        max_ack_pending: config.max_ack_pending,
        ack_wait: config.ack_wait,
      });
  }
}
