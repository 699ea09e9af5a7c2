/**
 * Cloud-tenant events, version 1 of the schema documented in docs/tenant-events.md: what a provider
 * reports about an account (sign-up, payment, deployment, …). Ingest validates and normalises them at
 * the edge (`src/ingest/sources/tenant/tenant-schema.ts`, whose zod schema is checked to produce exactly
 * these types); the tenant detectors and the identity rules read them.
 * @module
 */

export const TENANT_SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  'account.created',
  'account.updated',
  'account.closed',
  'payment.method_added',
  'payment.made',
  'domain.attached',
  'deployment.created',
  'resource.usage',
  'login',
] as const;
export type TenantEventType = (typeof EVENT_TYPES)[number];

export const PAYMENT_METHODS = ['card', 'prepaid', 'crypto', 'bank', 'voucher'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const DEPLOYMENT_KINDS = ['worker', 'site', 'function', 'vm', 'bucket'] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

/**
 * Fields every event carries. Normalised: `ts` is UTC with a `Z`, `provider` a lower-case slug, ASNs
 * numbers, countries upper-case ISO 3166-1 alpha-2, domains in ASCII (A-label) form.
 */
interface EventBase {
  readonly schema_version: typeof TENANT_SCHEMA_VERSION;
  /** Unique per provider: the idempotency key is `tenant:<provider>:<event_id>`. */
  readonly event_id: string;
  readonly provider: string;
  readonly account_id: string;
  readonly ts: string;
}

interface NetworkFields {
  readonly ip: string;
  readonly asn?: number | undefined;
  readonly country?: string | undefined;
  readonly device_id?: string | undefined;
  readonly user_agent?: string | undefined;
}

interface PaymentFields {
  readonly method: PaymentMethod;
  readonly fingerprint: string;
  readonly wallet_address?: string | undefined;
  readonly chain?: string | undefined;
  readonly bin_country?: string | undefined;
}

export interface AccountCreatedEvent extends EventBase, NetworkFields {
  readonly type: 'account.created';
  readonly email: string;
}

export interface AccountUpdatedEvent extends EventBase {
  readonly type: 'account.updated';
  readonly email?: string | undefined;
  readonly country?: string | undefined;
  readonly device_id?: string | undefined;
}

export interface AccountClosedEvent extends EventBase {
  readonly type: 'account.closed';
  readonly reason?: string | undefined;
}

export interface PaymentMethodAddedEvent extends EventBase, PaymentFields {
  readonly type: 'payment.method_added';
}

export interface PaymentMadeEvent extends EventBase, PaymentFields {
  readonly type: 'payment.made';
  readonly amount: number;
  readonly currency: string;
}

export interface DomainAttachedEvent extends EventBase {
  readonly type: 'domain.attached';
  readonly domain: string;
}

export interface DeploymentCreatedEvent extends EventBase {
  readonly type: 'deployment.created';
  readonly kind: DeploymentKind;
  readonly url?: string | undefined;
  readonly domains?: readonly string[] | undefined;
}

export interface ResourceUsageEvent extends EventBase {
  readonly type: 'resource.usage';
  readonly metric: string;
  readonly value: number;
}

export interface LoginEvent extends EventBase, NetworkFields {
  readonly type: 'login';
}

/** A validated, normalised tenant event. */
export type TenantEvent =
  | AccountCreatedEvent
  | AccountUpdatedEvent
  | AccountClosedEvent
  | PaymentMethodAddedEvent
  | PaymentMadeEvent
  | DomainAttachedEvent
  | DeploymentCreatedEvent
  | ResourceUsageEvent
  | LoginEvent;

export type TenantEventOf<T extends TenantEventType> = Extract<TenantEvent, { type: T }>;

/** The idempotency key of an event: a provider's event ids are unique within that provider. */
export function tenantDedupeKey(event: Pick<TenantEvent, 'provider' | 'event_id'>): string {
  return `tenant:${event.provider}:${event.event_id}`;
}

/**
 * The event of a stored `tenant-event` observation, if it is the current version's normalised form.
 * Ingest stores only events it validated, so a stage checks the version and identity fields instead
 * of validating again; anything else (an older schema, a row written by hand) is undefined here, for
 * the caller to validate in full or skip.
 */
export function normalisedTenantEvent(payload: unknown): TenantEvent | undefined {
  const e = (payload as { event?: Record<string, unknown> } | null)?.event;
  if (!e || typeof e !== 'object') return undefined;
  return e.schema_version === TENANT_SCHEMA_VERSION &&
    typeof e.type === 'string' &&
    typeof e.provider === 'string' &&
    typeof e.account_id === 'string' &&
    typeof e.ts === 'string' &&
    e.ts.endsWith('Z')
    ? (e as unknown as TenantEvent)
    : undefined;
}
