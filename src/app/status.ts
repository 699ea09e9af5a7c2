/**
 * `precursor status`: where the work stands, in either mode. Per source: what was published to the
 * work stream (scale-out), stored, dead-lettered. Per stage: processed, pending (its lag),
 * redeliveries and dead letters. `pending` at the top is 0 exactly when everything published has
 * been stored and every stage has caught up with the store.
 * @module
 */
import { CORRELATE_STAGE } from '../correlate/correlate-stage.js';
import { CRAWL_QUEUE } from './pipeline.js';
import type { AppContext } from './open-app.js';
import { connectStream } from './scale-out/stream-admin.js';
import { streamLayout } from './scale-out/stream-layout.js';

export interface SourceStatus {
  readonly source: string;
  /** Messages of this source in the work stream (scale-out); null in the embedded mode. */
  readonly published: number | null;
  readonly stored: number;
  readonly deadLetters: number;
}

export interface StageStatus {
  readonly stage: string;
  readonly published: number | null;
  readonly processed: number;
  readonly pending: number;
  /** Messages currently being delivered again (their worker died or failed); null where not a stream stage. */
  readonly redeliveries: number | null;
  readonly deadLetters: number;
}

export interface StatusReport {
  readonly mode: 'embedded' | 'scale-out';
  readonly observations: number;
  readonly pending: number;
  readonly stream: { readonly prefix: string; readonly stream: string; readonly partitions: number } | null;
  readonly sources: readonly SourceStatus[];
  readonly stages: readonly StageStatus[];
}

export async function statusReport(app: AppContext): Promise<StatusReport> {
  const store = app.pipeline.store;
  const [stats, bySource, deadBySource, detectAt, tenantAt, correlateAt, crawl] = await Promise.all([
    store.stats(),
    store.observations.countBySource(),
    store.observations.deadLettersBySource(),
    store.stages.cursor('detect'),
    store.stages.cursor('tenant'),
    store.stages.cursor(CORRELATE_STAGE),
    store.queue.stats(CRAWL_QUEUE),
  ]);
  const [detectPending, tenantPending, tenantTotal, correlatePending] = await Promise.all([
    store.observations.countAfter(detectAt),
    store.observations.countAfter(tenantAt, ['tenant-event']),
    store.observations.countAfter(0, ['tenant-event']),
    store.observations.countAfter(correlateAt),
  ]);
  const stages: StageStatus[] = [];
  const published = new Map<string, number>();
  let stream: StatusReport['stream'] = null;
  const settings = app.stream;
  if (settings) {
    const layout = streamLayout(settings.prefix, settings.partitions);
    stream = { prefix: settings.prefix, stream: layout.stream, partitions: settings.partitions };
    const nc = await connectStream(settings.url, 'precursor-status');
    try {
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams
        .info(layout.stream, { subjects_filter: layout.subjects })
        .catch(() => undefined);
      let total = 0;
      let pending = 0;
      let redelivered = 0;
      if (info) {
        const perPartition = new Map<number, number>();
        for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
          const source = layout.sourceOf(subject);
          if (source === undefined) continue;
          published.set(source, (published.get(source) ?? 0) + n);
          const k = Number(/\.obs\.p(\d+)\./.exec(subject)?.[1]);
          perPartition.set(k, (perPartition.get(k) ?? 0) + n);
          total += n;
        }
        for (let k = 0; k < layout.partitions; k++) {
          const c = await jsm.consumers.info(layout.stream, layout.consumer(k)).catch(() => undefined);
          // No worker has created the partition's consumer yet: all of it is pending.
          if (!c) pending += perPartition.get(k) ?? 0;
          else {
            pending += c.num_pending + c.num_ack_pending;
            redelivered += c.num_redelivered;
          }
        }
      }
      const workerDead = deadBySource.get(`stream:${layout.stream}`) ?? 0;
      stages.push({
        stage: 'store',
        published: total,
        processed: total - pending,
        pending,
        redeliveries: redelivered,
        deadLetters: workerDead,
      });
    } finally {
      await nc.close().catch(() => {});
    }
  }
  stages.push(
    {
      stage: 'tenant',
      published: null,
      processed: tenantTotal - tenantPending,
      pending: tenantPending,
      redeliveries: null,
      deadLetters: 0,
    },
    {
      stage: 'detect',
      published: null,
      processed: stats.observations - detectPending,
      pending: detectPending,
      redeliveries: null,
      deadLetters: 0,
    },
    {
      stage: 'correlate',
      published: null,
      processed: stats.observations - correlatePending,
      pending: correlatePending,
      redeliveries: null,
      deadLetters: 0,
    },
    {
      stage: 'crawl',
      published: null,
      processed: crawl.done,
      pending: crawl.pending + crawl.leased,
      redeliveries: null,
      deadLetters: crawl.failed,
    },
  );
  const names = new Set([...bySource.keys(), ...published.keys(), ...deadBySource.keys()]);
  const sources: SourceStatus[] = [...names].sort().map((source) => ({
    source,
    published: settings ? (published.get(source) ?? 0) : null,
    stored: bySource.get(source) ?? 0,
    deadLetters: deadBySource.get(source) ?? 0,
  }));
  // Correlation runs only when enabled, and the crawl queue drains only where a consumer runs: neither
  // counts towards "everything published has been processed".
  const counted = new Set(['store', 'tenant', 'detect']);
  if (app.config.correlate.enabled) counted.add('correlate');
  const pending = stages.filter((s) => counted.has(s.stage)).reduce((n, s) => n + s.pending, 0);
  return {
    mode: settings ? 'scale-out' : 'embedded',
    observations: stats.observations,
    pending,
    stream,
    sources,
    stages,
  };
}
