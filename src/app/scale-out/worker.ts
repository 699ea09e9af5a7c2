/**
 * `precursor worker`: one of any number of processes that turn the work stream into stored, scored,
 * correlated and reviewed state, with the same pipeline stages the embedded mode runs.
 *
 * - **Store stage, partitioned.** Each partition has a durable pull consumer. A worker takes a
 *   partition's advisory lock, fetches at most one batch (the consumer's `max_ack_pending`), commits
 *   it to the store in one transaction and acknowledges it, then lets the partition go. The writes are
 *   idempotent (observations dedupe on their key, dead letters on source, position and content), so a
 *   batch delivered again after a crash changes nothing. Records that cannot be decoded are
 *   dead-lettered, never dropped; a store outage only delays (messages are delivered again until the
 *   store takes them, so a slow store slows the consumers and loses nothing).
 * - **Singleton stages.** One worker at a time (an advisory lock held for its life; the next worker
 *   takes over when it dies) runs the tenant stage, detect, incremental correlation and the policy
 *   over what the store stage committed: the stages keep state across keys (tenant clusters join
 *   accounts through shared attributes; correlation reads the whole graph), so one runner keeps their
 *   results identical to the embedded mode's. Each of detect, correlate and review also takes its job
 *   lock, so a CLI run of the same job waits instead of racing.
 * - **Crawl queue**: every worker drains it (claims skip locked rows), when `run.crawl.enabled`.
 *
 * On SIGTERM the worker finishes the batch in hand (stored and acknowledged), lets the running stage
 * pass end, persists the tenant windows and exits.
 * @module
 */
import { type Consumer, type JsMsg, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Observation } from '../../domain/index.js';
import { SsrfGuard } from '../../ingest/crawl/ssrf-guard.js';
import { type LockSession, openLockSession } from '../../store/postgres/lock-session.js';
import type { DeadLetterInput } from '../../store/store.js';
import { createCrawlWorker } from '../crawl-worker.js';
import type { AppContext } from '../open-app.js';
import { pause } from '../run/ticker.js';
import { tenantStageFor } from '../tenant-stage-for.js';
import { partitionKeyLock, STAGES_KEY, WRITE_KEY, workerNamespace } from './lock-keys.js';
import { connectStream, ensureConsumers, ensureStream } from './stream-admin.js';
import { type StreamLayout, type StreamSettings, streamLayout } from './stream-layout.js';
import { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';

export interface WorkerOptions {
  readonly signal: AbortSignal;
  /** Told about leadership changes and failures. */
  readonly say: (line: string) => void;
  /** Pause when every partition was empty (default 200 ms). */
  readonly idleMs?: number;
  /** Pause between two stage passes with nothing new (default 250 ms). */
  readonly stageMs?: number;
  /**
   * Partitions this worker stores and detects at once (default 2): while one lane waits for
   * PostgreSQL, another computes, as the store and detect stages overlapped when detect ran apart.
   */
  readonly lanes?: number;
  /** Persist the tenant windows at most this often while leading (default 30 s; always on exit). */
  readonly persistMs?: number;
}

export interface WorkerHealth {
  readonly ok: boolean;
  readonly stream: boolean;
  readonly store: boolean;
  readonly leader: boolean;
  readonly lastBatchAt: string | null;
}

export interface WorkerHandle {
  readonly metrics: WorkerMetrics;
  health(): Promise<WorkerHealth>;
  /** Resolves when the worker has stopped (after the signal aborts). */
  readonly done: Promise<void>;
}

const KINDS = new Set([
  'domain',
  'url',
  'certificate',
  'delegation',
  'tenant-event',
  'snapshot',
  'transaction',
  'enrichment',
]);

/** Decodes a message into an observation, or says why it is not one. */
export function decodeObservation(data: string): Observation | string {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  const o = v as Record<string, unknown>;
  if (o === null || typeof o !== 'object') return 'not an observation object';
  if (typeof o.source !== 'string' || o.source === '') return 'source: missing';
  if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) return `kind: unknown '${String(o.kind)}'`;
  if (typeof o.observedAt !== 'string' || Number.isNaN(Date.parse(o.observedAt)))
    return 'observedAt: invalid';
  if (typeof o.dedupeKey !== 'string' || o.dedupeKey === '') return 'dedupeKey: missing';
  if (o.payload === null || typeof o.payload !== 'object') return 'payload: missing';
  return v as Observation;
}

/**
 * The stage-state row holding what partition `k` owes the detect stage: position = the first stored
 * sequence number not yet detected (0: nothing), state = the last.
 */
export const owedStage = (k: number) => `scale-out/detect-owed/p${k}`;

export async function startWorker(
  app: AppContext,
  settings: StreamSettings,
  o: WorkerOptions,
): Promise<WorkerHandle> {
  // The detectors are built before the first batch (as `serve` does): a broken brand profile stops
  // the worker at start, and a worker that says it is consuming is ready to detect.
  await app.pipeline.registry();
  const store = app.pipeline.store;
  const url = app.config.database.url as string;
  const layout: StreamLayout = streamLayout(settings.prefix, settings.partitions);
  const metrics = createWorkerMetrics();
  const nc: NatsConnection = await connectStream(settings.url, 'precursor-worker');
  const jsm = await ensureStream(nc, layout, settings);
  await ensureConsumers(jsm, layout, settings);
  const js = jetstream(nc, { timeout: 30_000 });
  const ns = workerNamespace(app.config.database.schema, settings.prefix);
  // One lock session per lane: advisory locks are re-entrant within a session, so lanes sharing one
  // would both "hold" a partition (and the write lock) at once.
  const lanes = await Promise.all(
    Array.from({ length: Math.max(1, o.lanes ?? 2) }, () => openLockSession(url, ns)),
  );
  const lead = await openLockSession(url, ns);
  const consumers = new Map<number, Consumer>();
  const consumer = async (k: number) => {
    let c = consumers.get(k);
    if (!c) {
      c = await js.consumers.get(layout.stream, layout.consumer(k));
      consumers.set(k, c);
    }
    return c;
  };
  let lastBatchAt: string | null = null;
  let leader = false;
  const warn = (what: string, e: unknown) => {
    app.logger.warn({ err: e }, `${what} failed`);
    o.say(`precursor: notice: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  };

  /**
   * Stores `good` and `dead` in one transaction (in sequence order: the write lock) and notes in it
   * what partition `k` now owes the detect stage: the first and last sequence number stored and not
   * yet detected. What was owed before (a worker died between storing and detecting, or detecting
   * failed) stays owed and grows by this batch. Returns what to detect.
   */
  async function store1(
    parts: LockSession,
    k: number,
    good: Observation[],
    dead: DeadLetterInput[],
  ): Promise<Observation[]> {
    let owed: { first: number; last: number } | undefined;
    let fresh: Observation[] = [];
    await parts.lock(WRITE_KEY);
    try {
      await store.transaction(async (tx) => {
        const before = await tx.stages.state(owedStage(k));
        owed =
          before && before.position > 0 ? { first: before.position, last: Number(before.state) } : undefined;
        const r = await tx.observations.writeBatch({
          source: `stream:${layout.stream}`,
          observations: good,
          deadLetters: dead,
          wantSeqs: true,
        });
        const seqs = r.insertedSeqs ?? [];
        fresh = good.filter((_, i) => seqs[i] !== undefined);
        const stored = seqs.filter((x): x is number => x !== undefined);
        if (stored.length === 0) return;
        const first = owed?.first ?? Math.min(...stored);
        const last = Math.max(owed?.last ?? 0, ...stored);
        await tx.stages.writeState(owedStage(k), first, String(last));
        if (owed) owed = { first, last };
      });
    } finally {
      await parts.unlock(WRITE_KEY);
    }
    return owed ? await owedObservations(k, owed.first, owed.last) : fresh;
  }

  /** Partition `k`'s stored observations from `first` to `last` (the others in between are other partitions'). */
  async function owedObservations(k: number, first: number, last: number): Promise<Observation[]> {
    const out: Observation[] = [];
    for (let at = first - 1; at < last; ) {
      const page = await store.observations.after(at, 5000);
      if (page.length === 0) break;
      for (const x of page) if (x.seq <= last && layout.partitionOf(x) === k) out.push(x);
      at = (page[page.length - 1] as { seq: number }).seq;
    }
    return out;
  }

  /**
   * Partition `k`'s share of the detect stage: what its last batches stored, detected in one slice
   * whose transaction also clears what the partition owed. Other workers detect other partitions at
   * the same time; the partition lock keeps one key's slices in order.
   */
  async function detectOwed(k: number, list: Observation[]): Promise<void> {
    if (list.length === 0) return;
    await app.pipeline.detectSlice(list, (tx) => tx.stages.writeState(owedStage(k), 0, ''));
    metrics.stageRuns.inc({ stage: 'detect' });
    metrics.stageObservations.inc({ stage: 'detect' }, list.length);
  }

  /**
   * Acknowledges a batch with one round trip: a double ack (request and reply) per message cost a
   * socket write, a reply and a timer each — the largest avoidable cost in a worker's profile. The
   * server handles one connection's messages in order, so the reply to the last one's double ack
   * confirms all before it.
   */
  async function ackAll(msgs: readonly JsMsg[]): Promise<void> {
    const last = msgs[msgs.length - 1];
    for (const m of msgs) if (m !== last) m.ack();
    if (last) await last.ackAck();
  }

  /**
   * Detects what partition `k` owes; on failure the messages go back at once (not acknowledged, so
   * they return with what is owed still noted) and false is returned.
   */
  async function detected(k: number, owed: Observation[], msgs: JsMsg[]): Promise<boolean> {
    try {
      await detectOwed(k, owed);
      return true;
    } catch (e) {
      if (!o.signal.aborted) warn(`detecting partition ${k}`, e);
      for (const m of msgs) m.nak(1000);
      return false;
    }
  }

  /**
   * Stores what `msgs` carry, detects it, and only then acknowledges them; dead-letters what is not an
   * observation. A crash before the acknowledgement brings the batch back, and what the partition
   * owes the detect stage (noted in the store's transaction) says what still needs detecting.
   */
  async function commit(parts: LockSession, k: number, msgs: JsMsg[]): Promise<void> {
    const label = { partition: String(k) };
    const good: Observation[] = [];
    const dead: DeadLetterInput[] = [];
    for (const m of msgs) {
      if (m.info.redelivered) metrics.redeliveries.inc(label);
      const decoded = decodeObservation(m.string());
      if (typeof decoded === 'string')
        dead.push({
          source: layout.sourceOf(m.subject) ?? `stream:${layout.stream}`,
          position: `${m.subject} seq ${m.seq}`,
          raw: m.string().slice(0, app.config.ingest.maxRawChars),
          rejection: { code: 'SCHEMA_INVALID', reason: `not an observation: ${decoded}` },
        });
      else good.push(decoded);
    }
    let owed: Observation[];
    try {
      owed = await store1(parts, k, good, dead);
    } catch (e) {
      await commitOneByOne(parts, k, msgs, e);
      return;
    }
    if (!(await detected(k, owed, msgs))) return;
    await ackAll(msgs);
    metrics.processed.inc(label, good.length);
    metrics.deadLetters.inc(label, dead.length);
    metrics.batches.inc();
    lastBatchAt = new Date().toISOString();
  }

  /**
   * A batch the store refused: each message alone, so one bad record cannot hold its partition. A
   * message refused `stream.maxDeliver` times is dead-lettered with the store's reason; the others
   * are delivered again later (a store that is down refuses them all, and loses none).
   */
  async function commitOneByOne(parts: LockSession, k: number, msgs: JsMsg[], first: unknown): Promise<void> {
    warn(`storing a batch of partition ${k}`, first);
    const label = { partition: String(k) };
    for (const m of msgs) {
      const decoded = decodeObservation(m.string()) as Observation;
      try {
        const owed = await store1(parts, k, [decoded], []);
        if (!(await detected(k, owed, [m]))) continue;
        await m.ackAck();
        metrics.processed.inc(label);
      } catch (e) {
        if (m.info.deliveryCount < settings.maxDeliver) {
          m.nak(1000);
          continue;
        }
        try {
          await store.observations.writeBatch({
            source: `stream:${layout.stream}`,
            observations: [],
            deadLetters: [
              {
                source: decoded.source,
                position: `${m.subject} seq ${m.seq}`,
                raw: m.string().slice(0, app.config.ingest.maxRawChars),
                rejection: {
                  code: 'INVALID_VALUE',
                  reason: `the store refused it ${m.info.deliveryCount} times: ${e instanceof Error ? e.message : String(e)}`,
                },
              },
            ],
          });
          await m.ackAck();
          metrics.deadLetters.inc(label);
        } catch {
          m.nak(1000);
        }
      }
    }
  }

  /**
   * One batch of partition `k`, if it has any; the number of messages taken. The consumer is asked
   * first and the partition's lock taken only when it has work: an idle worker then costs NATS one
   * request per partition and PostgreSQL nothing.
   */
  async function drain(parts: LockSession, k: number): Promise<number> {
    const c = await consumer(k);
    const ahead = await c.info(false);
    metrics.lag.set({ partition: String(k) }, ahead.num_pending + ahead.num_ack_pending);
    if (ahead.num_pending === 0 && ahead.num_ack_pending === 0) return 0;
    if (!(await parts.tryLock(partitionKeyLock(k)))) return 0;
    try {
      return await drainLocked(parts, k, c);
    } finally {
      await parts.unlock(partitionKeyLock(k));
    }
  }

  async function drainLocked(parts: LockSession, k: number, c: Consumer): Promise<number> {
    // Asked again under the lock: another worker may have taken the batch meanwhile.
    const info = await c.info(false);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return 0;
    // Messages pending acknowledgement belong to a dead worker: they come again after `ack_wait`, and
    // (max_ack_pending) nothing after them comes first.
    const want = Math.min(settings.batch, info.num_pending > 0 ? info.num_pending : settings.batch);
    const msgs: JsMsg[] = [];
    const iter = await c.fetch({ max_messages: want, expires: 1000 });
    for await (const m of iter) msgs.push(m);
    if (msgs.length > 0) await commit(parts, k, msgs);
    return msgs.length;
  }

  async function storeLoop(parts: LockSession): Promise<void> {
    const start = Math.floor(Math.random() * layout.partitions);
    while (!o.signal.aborted) {
      let moved = 0;
      try {
        for (let i = 0; i < layout.partitions && !o.signal.aborted; i++) {
          moved += await drain(parts, (start + i) % layout.partitions);
        }
      } catch (e) {
        if (o.signal.aborted) break;
        warn('the store stage', e);
        await pause(1000, o.signal);
      }
      if (moved === 0) await pause(o.idleMs ?? 200, o.signal);
    }
  }

  /**
   * How far detect has finished, from `at` on: the last stored sequence number that no partition
   * still owes. Read in this order — stored numbers first, then what is owed — an owed batch is
   * either seen owed or already detected (a partition stores its next batch only after detecting
   * the last), and nothing numbered below a stored row is still uncommitted (stores are serialised).
   */
  async function detectFrontier(at: number): Promise<number> {
    const seqs = await store.observations.seqsAfter(at, 100_000);
    let upTo = seqs[seqs.length - 1];
    if (upTo === undefined) return at;
    const owed = await Promise.all(
      Array.from({ length: layout.partitions }, (_, k) => store.stages.state(owedStage(k))),
    );
    for (const s of owed) if (s && s.position > 0) upTo = Math.min(upTo, s.position - 1);
    return Math.max(at, upTo);
  }

  async function stageLoop(): Promise<void> {
    let tenant: ReturnType<typeof tenantStageFor> | undefined;
    let persistedAt = 0;
    const persistMs = o.persistMs ?? 30_000;
    while (!o.signal.aborted) {
      try {
        if (!leader) {
          leader = await lead.tryLock(STAGES_KEY);
          if (leader) {
            metrics.leader.set(1);
            // A fresh stage: it loads the windows the last leader persisted and replays the rest.
            tenant = tenantStageFor(store, app.config);
            o.say('precursor: this worker now runs the stages (tenant, detect, correlate, review)');
          }
        }
        if (leader && tenant) {
          // The order of `precursor ingest events`: detect (run by the workers partition by
          // partition) materialises the events' entities, the tenant stage judges the accounts, then
          // correlation and the policy see both. Each takes only what detect has finished.
          const before = await store.stages.cursor('detect');
          const upTo = await detectFrontier(before);
          if (upTo > before) await store.stages.setCursor('detect', upTo);
          const t = await tenant.run(undefined, upTo);
          if (t.events > 0) {
            metrics.stageRuns.inc({ stage: 'tenant' });
            metrics.stageObservations.inc({ stage: 'tenant' }, t.events);
          }
          const moved = upTo > before;
          if (moved || t.events > 0) {
            if (await app.pipeline.correlate()) metrics.stageRuns.inc({ stage: 'correlate' });
            await app.pipeline.review({ signal: o.signal });
            metrics.stageRuns.inc({ stage: 'review' });
          }
          if (Date.now() - persistedAt > persistMs && (t.events > 0 || persistedAt === 0)) {
            await tenant.persist();
            persistedAt = Date.now();
          }
          if (t.events > 0 || moved) continue;
        }
      } catch (e) {
        if (o.signal.aborted) break;
        warn('the stages', e);
      }
      await pause(o.stageMs ?? 250, o.signal);
    }
    if (leader && tenant) {
      await tenant.persist().catch((e: unknown) => warn('persisting the tenant windows', e));
      await lead.unlock(STAGES_KEY).catch(() => {});
      leader = false;
      metrics.leader.set(0);
    }
  }

  async function crawlLoop(): Promise<void> {
    const s = app.config.run.crawl;
    const worker = createCrawlWorker(app, {
      guard: new SsrfGuard({ allowPrivate: app.config.crawl.allowPrivate }),
      concurrency: s.concurrency,
    });
    while (!o.signal.aborted) {
      let claimed = 0;
      try {
        claimed = (await worker.drain(s.batch)).claimed;
      } catch (e) {
        if (!o.signal.aborted) warn('crawl', e);
      }
      if (claimed < s.batch) await pause(s.everySeconds * 1000, o.signal);
    }
  }

  const loops = [...lanes.map((l) => storeLoop(l)), stageLoop()];
  if (app.config.run.crawl.enabled) loops.push(crawlLoop());
  const done = Promise.allSettled(loops).then(async () => {
    await Promise.all(lanes.map((l) => l.close()));
    await lead.close();
    await nc.drain().catch(() => {});
  });
  return {
    metrics,
    done,
    async health() {
      const streamOk = !nc.isClosed();
      const storeOk = await store.ping().then(
        () => true,
        () => false,
      );
      return { ok: streamOk && storeOk, stream: streamOk, store: storeOk, leader, lastBatchAt };
    },
  };
}
