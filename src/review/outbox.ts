/**
 * The outbox (pure part): an action written in the same transaction as the decision that caused it, and
 * delivered afterwards — signed, retried with exponential back-off until the receiver answers 2xx, and
 * carrying its id so a receiver that sees it twice (a crash between delivery and recording it) can tell.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `release` lifts a hold a benign decision proved wrong. */
export type ActionKind = 'hold-and-review' | 'block' | 'release' | 'notify' | 'audit.anchor';

export interface OutboxAction {
  /** Stable id: the receiver's idempotency key. */
  readonly id: string;
  readonly kind: ActionKind;
  /** The webhook (by name) it goes to. */
  readonly target: string;
  /** ISO time the action was written. */
  readonly createdAt: string;
  /** What the receiver needs: subject, case, entities, reason, links to evidence. */
  readonly payload: Readonly<Record<string, unknown>>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryState {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** When the next attempt is due (ISO); absent once delivered or dead. */
  readonly nextAttemptAt?: string;
  readonly deliveredAt?: string;
  readonly lastError?: string;
}

export interface RetrySchedule {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly jitter: number;
  /** 0: retry until acknowledged. */
  readonly maxAttempts: number;
}

/** The settings of one webhook (the shape of `webhooks.<name>` in the configuration). */
export interface WebhookSettings {
  readonly url: string;
  readonly secret?: string | undefined;
  readonly secretEnv?: string | undefined;
  readonly signatureHeader: string;
  readonly body: 'json' | 'slack';
  readonly timeoutMs: number;
  readonly retry: RetrySchedule;
}

export function initialDelivery(action: OutboxAction): DeliveryState {
  return { status: 'pending', attempts: 0, nextAttemptAt: action.createdAt };
}

/** Wait before attempt `attempts + 1`, after `attempts` failures (≥ 1): initial × factor^(n−1), capped, ± jitter. */
export function backoffMs(attempts: number, s: RetrySchedule, random: () => number = Math.random): number {
  const base = Math.min(s.maxMs, s.initialMs * s.factor ** Math.max(0, attempts - 1));
  const spread = base * s.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

export type AttemptResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** The state after one attempt at `now`. */
export function afterAttempt(
  state: DeliveryState,
  result: AttemptResult,
  now: string,
  s: RetrySchedule,
  random: () => number = Math.random,
): DeliveryState {
  const attempts = state.attempts + 1;
  if (result.ok) return { status: 'delivered', attempts, deliveredAt: now };
  if (s.maxAttempts > 0 && attempts >= s.maxAttempts)
    return { status: 'dead', attempts, lastError: result.error };
  const next = new Date(Date.parse(now) + backoffMs(attempts, s, random)).toISOString();
  return { status: 'pending', attempts, nextAttemptAt: next, lastError: result.error };
}

export function isDue(state: DeliveryState, now: string): boolean {
  return state.status === 'pending' && (state.nextAttemptAt === undefined || state.nextAttemptAt <= now);
}

export const ID_HEADER = 'x-precursor-action-id';
export const TIMESTAMP_HEADER = 'x-precursor-timestamp';

/** The request an action becomes: body text and headers, signed over `<timestamp>.<body>`. */
export function webhookRequest(
  action: OutboxAction,
  w: Pick<WebhookSettings, 'body' | 'signatureHeader'>,
  secret: string | undefined,
  timestampSec: number,
): { body: string; headers: Record<string, string> } {
  const body = w.body === 'slack' ? JSON.stringify(slackBody(action)) : JSON.stringify(jsonBody(action));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [ID_HEADER]: action.id,
    // The common name for the same thing, for receivers that already dedupe on it.
    'idempotency-key': action.id,
    [TIMESTAMP_HEADER]: String(timestampSec),
  };
  if (secret !== undefined) headers[w.signatureHeader.toLowerCase()] = sign(secret, timestampSec, body);
  return { body, headers };
}

function jsonBody(a: OutboxAction) {
  return { id: a.id, kind: a.kind, created_at: a.createdAt, payload: a.payload };
}

/** A message Slack's incoming webhooks (and compatible chat tools) render as is. */
function slackBody(a: OutboxAction) {
  const p = a.payload;
  const what = typeof p.subject === 'string' ? p.subject : a.id;
  const why = typeof p.reason === 'string' ? ` — ${p.reason}` : '';
  const where = typeof p.caseId === 'string' ? ` (case ${p.caseId})` : '';
  return { text: `Precursor: *${a.kind}* ${what}${where}${why}`, precursor_action_id: a.id };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: the timestamp is signed so a replay can be refused. */
export function sign(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): the signature fits and the timestamp is within `toleranceSec` of `nowSec`. */
export function verifySignature(
  secret: string,
  body: string,
  timestampSec: number,
  signature: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  if (!Number.isFinite(timestampSec) || Math.abs(nowSec - timestampSec) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, timestampSec, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** The webhook's signing key: inline, or from the named environment variable. */
export function webhookSecret(w: WebhookSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (w.secret !== undefined) return w.secret;
  if (w.secretEnv === undefined) return undefined;
  const v = env[w.secretEnv];
  return v === undefined || v === '' ? undefined : v;
}
