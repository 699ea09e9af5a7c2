/**
 * Delivering the outbox: an undici POST per action, and the loop step that takes the due actions from the
 * store, delivers each and records the result. The store is reached through the narrow `OutboxPort`, so
 * the same step runs in the embedded server process and in a scale-out worker.
 * @module
 */
import { type Dispatcher, request } from 'undici';
import {
  type AttemptResult,
  afterAttempt,
  type DeliveryState,
  type OutboxAction,
  type RetrySchedule,
  type WebhookSettings,
  webhookRequest,
  webhookSecret,
} from './outbox.js';

export type Deliverer = (action: OutboxAction, webhook: WebhookSettings) => Promise<AttemptResult>;

export interface HttpDelivererOptions {
  readonly dispatcher?: Dispatcher;
  readonly env?: NodeJS.ProcessEnv;
  /** Seconds since the epoch for the signed timestamp (tests pin it). */
  readonly clock?: () => number;
}

/** POST the signed action; only a 2xx counts (redirects are not followed: a 3xx is a failure). */
export function httpDeliverer(options: HttpDelivererOptions = {}): Deliverer {
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  return async (action, webhook) => {
    const secret = webhookSecret(webhook, options.env);
    if (webhook.body === 'json' && secret === undefined)
      return {
        ok: false,
        error: `webhook secret not set (${webhook.secretEnv ?? 'secret'}); not sent unsigned`,
      };
    const { body, headers } = webhookRequest(action, webhook, secret, clock());
    try {
      const res = await request(webhook.url, {
        method: 'POST',
        headers,
        body,
        headersTimeout: webhook.timeoutMs,
        bodyTimeout: webhook.timeoutMs,
        signal: AbortSignal.timeout(webhook.timeoutMs),
        ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      });
      await res.body.dump();
      return res.statusCode >= 200 && res.statusCode < 300
        ? { ok: true }
        : { ok: false, error: `HTTP ${res.statusCode}` };
    } catch (err) {
      const e = err as Error & { code?: string };
      return { ok: false, error: `${e.code ?? e.name}: ${e.message}` };
    }
  };
}

/** What the delivery step needs from the store. */
export interface OutboxPort {
  /** Pending actions due at `now`, oldest first, at most `limit`. */
  due(now: string, limit: number): Promise<readonly { action: OutboxAction; state: DeliveryState }[]>;
  /** The state after an attempt (the store writes it with the attempt count it read, to refuse a race). */
  record(id: string, state: DeliveryState): Promise<void>;
}

/** Schedule for actions whose webhook is not (or no longer) configured: keep them, retry slowly. */
export const UNCONFIGURED_RETRY: RetrySchedule = {
  initialMs: 60_000,
  factor: 2,
  maxMs: 3_600_000,
  jitter: 0.2,
  maxAttempts: 0,
};

export interface DeliveryReport {
  readonly attempted: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
}

/** One pass: deliver what is due, record each outcome. Actions never disappear: they end delivered or dead. */
export async function deliverDue(
  port: OutboxPort,
  webhooks: Readonly<Record<string, WebhookSettings>>,
  deliver: Deliverer,
  options: { now: () => string; limit?: number; random?: () => number },
): Promise<DeliveryReport> {
  const rows = await port.due(options.now(), options.limit ?? 100);
  let delivered = 0;
  let failed = 0;
  let dead = 0;
  for (const { action, state } of rows) {
    const webhook = webhooks[action.target];
    const result: AttemptResult =
      webhook === undefined
        ? { ok: false, error: `no webhook named ${action.target}` }
        : await deliver(action, webhook);
    const next = afterAttempt(
      state,
      result,
      options.now(),
      webhook?.retry ?? UNCONFIGURED_RETRY,
      options.random,
    );
    await port.record(action.id, next);
    if (next.status === 'delivered') delivered++;
    else if (next.status === 'dead') dead++;
    else failed++;
  }
  return { attempted: rows.length, delivered, failed, dead };
}
