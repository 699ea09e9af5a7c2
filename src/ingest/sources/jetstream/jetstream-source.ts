/**
 * A NATS JetStream stream as a source. The stream is read like a log file: an ordered (ephemeral)
 * consumer starts after the stream sequence in the checkpoint, and the checkpoint — committed with the
 * rows, as for every source — is the last sequence read. A crash re-reads at most one uncommitted batch,
 * which the observations' dedupe keys make a no-op; nothing is acknowledged to the server, so nothing
 * is lost if this process dies between receiving and committing.
 *
 * Without `follow`, the read ends at the last message present when it started (a backfill); with it,
 * the read waits for new messages until aborted (a live tail, committed by the runner's idle flush).
 * @module
 */
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { PrecursorError } from '../../../domain/index.js';
import type { ParseResult, Source, SourceRecord } from '../../source.js';

export interface JetStreamSourceOptions {
  /** `nats://host:port`, or several. */
  readonly servers: string | readonly string[];
  readonly stream: string;
  /** Subject filters within the stream (default: every subject). */
  readonly subjects?: readonly string[];
  /** Keep waiting for new messages until the read is aborted. */
  readonly follow?: boolean;
  /** Defaults to `jetstream:<stream>` (plus the subject filters, when given). */
  readonly sourceId?: string;
  /** How a message (its payload as text in `raw`) becomes observations: the stream's own format. */
  readonly parse: (record: SourceRecord, sourceId: string) => ParseResult;
  /** Seconds to wait for the server when connecting (default 5). */
  readonly connectTimeoutSeconds?: number;
}

/** The cursor is the last stream sequence read, in decimal. */
const decodeSeq = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  if (!/^\d{1,16}$/.test(cursor)) throw new Error(`invalid JetStream cursor '${cursor}'`);
  return Number(cursor);
};

export function createJetStreamSource(options: JetStreamSourceOptions): Source {
  const filters = options.subjects ?? [];
  const id =
    options.sourceId ??
    `jetstream:${options.stream}${filters.length > 0 ? `:${[...filters].sort().join(',')}` : ''}`;
  return {
    id,
    async *read(cursor, signal) {
      const after = decodeSeq(cursor);
      const servers = typeof options.servers === 'string' ? options.servers : [...options.servers];
      const failed = (
        what: string,
        e: unknown,
        code: 'SOURCE_FAILED' | 'SOURCE_UNAVAILABLE' = 'SOURCE_FAILED',
      ) =>
        new PrecursorError(code, `${id}: ${what}: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      let nc: NatsConnection;
      try {
        nc = await connect({
          servers,
          timeout: (options.connectTimeoutSeconds ?? 5) * 1000,
          name: `precursor ${id}`,
        });
      } catch (e) {
        throw failed(`cannot connect to ${String(servers)}`, e, 'SOURCE_UNAVAILABLE');
      }
      try {
        const jsm = await jetstreamManager(nc).catch((e: unknown) => {
          throw failed('JetStream is not available on the server', e);
        });
        const info = await jsm.streams.info(options.stream).catch((e: unknown) => {
          throw failed(`no stream '${options.stream}'`, e);
        });
        // Messages below the stream's first sequence were removed by its retention: start at the
        // oldest one still there rather than failing.
        const start = Math.max(after + 1, info.state.first_seq);
        const lastAtStart = info.state.last_seq;
        if (!options.follow && (info.state.messages === 0 || start > lastAtStart)) return;
        const consumer = await jetstream(nc).consumers.get(options.stream, {
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: start,
          // One filter goes as a single subject, which servers before 2.10 (Debian 12 ships 2.9) accept;
          // several need 2.10, and an older server says so.
          ...(filters.length === 1
            ? { filter_subjects: filters[0] as string }
            : filters.length > 1
              ? { filter_subjects: [...filters] }
              : {}),
        });
        if (!options.follow && (await consumer.info(true)).num_pending === 0) return;
        const messages = await consumer.consume({ max_messages: 1000 });
        const stop = (): void => {
          void messages.close();
        };
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const m of messages) {
            const record: SourceRecord = {
              position: `${m.subject} seq ${m.seq}`,
              raw: m.string(),
              cursor: String(m.seq),
            };
            yield record;
            // A backfill ends at what was there when it began (or when the filter has nothing left).
            if (!options.follow && (m.seq >= lastAtStart || m.info.pending === 0)) break;
            if (signal.aborted) break;
          }
        } finally {
          signal.removeEventListener('abort', stop);
          await messages.close();
        }
      } finally {
        await nc.close();
      }
    },
    parse: (record) => options.parse(record, id),
  };
}
