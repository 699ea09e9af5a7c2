/**
 * The outbox delivery loop every long-running process runs (`serve`, `run`, `demo`; a scale-out worker
 * runs the same): every `review.outbox.intervalMs` it claims the due actions under a lease, delivers
 * each to its webhook (signed, `x-precursor-action-id` for the receiver's idempotency), records the
 * outcome with its back-off, and anchors the audit head when it is due. A process killed between
 * sending and recording loses nothing: the lease ends, the action is due again and is sent again with
 * the same id, so the receiver acts once.
 * @module
 */
import type { Logger } from 'pino';
import { anchorIfDue } from '../review/audit-anchoring.js';
import {
  type Deliverer,
  type DeliveryReport,
  deliverDue,
  httpDeliverer,
  type OutboxPort,
} from '../review/outbox-delivery.js';
import type { ActionKind, DeliveryState, WebhookSettings } from '../review/outbox.js';
import type { Aggregates } from '../store/store.js';
import type { AppContext } from './open-app.js';
import { Ticker } from './run/ticker.js';

/** The delivery step's view of the store's outbox: claiming takes a lease, recording is conditional. */
export function outboxPort(store: Aggregates, leaseMs: number): OutboxPort {
  return {
    async due(now, limit) {
      const lease = new Date(Date.parse(now) + leaseMs).toISOString();
      const rows = await store.outbox.claimDue(now, limit, lease);
      return rows.map((r) => ({
        action: {
          id: r.id,
          kind: r.kind as ActionKind,
          target: r.target,
          createdAt: r.createdAt,
          payload: r.payload,
        },
        state: {
          status: r.status,
          attempts: r.attempts,
          ...(r.nextAttemptAt === null ? {} : { nextAttemptAt: r.nextAttemptAt }),
          ...(r.deliveredAt === null ? {} : { deliveredAt: r.deliveredAt }),
          ...(r.lastError === null ? {} : { lastError: r.lastError }),
        } satisfies DeliveryState,
      }));
    },
    async record(id, s) {
      await store.outbox.record(
        id,
        {
          status: s.status,
          attempts: s.attempts,
          nextAttemptAt: s.nextAttemptAt ?? null,
          deliveredAt: s.deliveredAt ?? null,
          lastError: s.lastError ?? null,
        },
        s.attempts - 1,
      );
    },
  };
}

export interface OutboxWorker {
  /** One delivery pass now. */
  pass(): Promise<DeliveryReport>;
  stop(): Promise<void>;
}

export function startOutboxWorker(
  app: Pick<AppContext, 'config' | 'pipeline'> & { logger: Logger },
  options: { deliver?: Deliverer; now?: () => Date } = {},
): OutboxWorker {
  const store = app.pipeline.store;
  const r = app.config.review;
  const webhooks = app.config.webhooks as Readonly<Record<string, WebhookSettings>>;
  const deliver = options.deliver ?? httpDeliverer();
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const port = outboxPort(store, r.outbox.leaseMs);
  const pass = async (): Promise<DeliveryReport> => {
    let total: DeliveryReport = { attempted: 0, delivered: 0, failed: 0, dead: 0 };
    // A full batch means more is due: keep going within the pass.
    for (;;) {
      const rep = await deliverDue(port, webhooks, deliver, { now, limit: r.outbox.batch });
      total = {
        attempted: total.attempted + rep.attempted,
        delivered: total.delivered + rep.delivered,
        failed: total.failed + rep.failed,
        dead: total.dead + rep.dead,
      };
      if (rep.attempted < r.outbox.batch) break;
    }
    await anchorIfDue(
      store,
      { file: r.audit.anchorFile, webhook: r.audit.anchorWebhook, every: r.audit.every },
      now(),
    );
    if (total.failed + total.dead > 0) app.logger.warn(total, 'outbox: some deliveries failed');
    return total;
  };
  const ac = new AbortController();
  const ticker = new Ticker(r.outbox.intervalMs, pass, (e) =>
    app.logger.warn({ err: e }, 'outbox pass failed'),
  );
  const running = ticker.run(ac.signal);
  return {
    pass,
    async stop() {
      ac.abort();
      await running;
    },
  };
}
