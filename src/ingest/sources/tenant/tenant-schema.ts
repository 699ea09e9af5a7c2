/**
 * The tenant-event schema, version 1 (documented in docs/tenant-events.md). Cloud providers send one
 * JSON object per event; this module validates it at the edge and returns either a typed, normalised
 * event or a rejection naming the field at fault. Nothing past this point sees an unvalidated event.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  DEPLOYMENT_KINDS,
  EVENT_TYPES,
  PAYMENT_METHODS,
  type Rejection,
  TENANT_SCHEMA_VERSION,
  type TenantEvent,
} from '../../../domain/index.js';
import { canonicalHost } from '../../canonical-host.js';
import { fastTenantEvent } from './tenant-fast-parse.js';

const id = (max: number) => z.string().trim().min(1).max(max);
// Provider slugs become part of entity keys (`account:<provider>/<id>`), so they are kept plain.
const provider = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'provider must be a slug of [a-z0-9._-], at most 64 characters');
const ts = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
const ip = z
  .string()
  .trim()
  .refine((s) => isIP(s) !== 0, 'not an IPv4 or IPv6 address');
const asn = z.union([
  z.number().int().min(0).max(4_294_967_295),
  z
    .string()
    .trim()
    .regex(/^(AS)?\d{1,10}$/i, 'ASN must be a number or ASnnnn')
    .transform((s) => Number(s.replace(/^AS/i, ''))),
]);
const country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code')
  .transform((s) => s.toUpperCase());
const email = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address');
const domain = z
  .string()
  .trim()
  .max(1024)
  .transform((s, ctx) => {
    const h = canonicalHost(s);
    if (!h.ok) {
      ctx.addIssue({ code: 'custom', message: h.reason });
      return z.NEVER;
    }
    return h.ascii;
  });
const url = z
  .string()
  .trim()
  .max(4096)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'not an http(s) URL');

const common = {
  schema_version: z.literal(TENANT_SCHEMA_VERSION).default(TENANT_SCHEMA_VERSION),
  event_id: id(200),
  provider,
  account_id: id(200),
  ts,
};

export const accountCreatedSchema = z.object({
  ...common,
  type: z.literal('account.created'),
  email,
  ip,
  asn: asn.optional(),
  country: country.optional(),
  device_id: id(200).optional(),
  user_agent: z.string().max(1024).optional(),
});

export const accountUpdatedSchema = z.object({
  ...common,
  type: z.literal('account.updated'),
  email: email.optional(),
  country: country.optional(),
  device_id: id(200).optional(),
});

export const accountClosedSchema = z.object({
  ...common,
  type: z.literal('account.closed'),
  reason: z.string().max(200).optional(),
});

const paymentFields = {
  method: z.enum(PAYMENT_METHODS),
  fingerprint: id(200),
  wallet_address: id(200).optional(),
  chain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,32}$/)
    .optional(),
  bin_country: country.optional(),
};

export const paymentMethodAddedSchema = z.object({
  ...common,
  type: z.literal('payment.method_added'),
  ...paymentFields,
});

export const paymentMadeSchema = z.object({
  ...common,
  type: z.literal('payment.made'),
  ...paymentFields,
  amount: z.number().finite().nonnegative(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,10}$/)
    .transform((s) => s.toUpperCase()),
});

export const domainAttachedSchema = z.object({ ...common, type: z.literal('domain.attached'), domain });

export const deploymentCreatedSchema = z.object({
  ...common,
  type: z.literal('deployment.created'),
  kind: z.enum(DEPLOYMENT_KINDS),
  url: url.optional(),
  domains: z.array(domain).max(100).optional(),
});

export const resourceUsageSchema = z.object({
  ...common,
  type: z.literal('resource.usage'),
  metric: id(100),
  value: z.number().finite(),
});

export const loginSchema = z.object({
  ...common,
  type: z.literal('login'),
  ip,
  asn: asn.optional(),
  country: country.optional(),
  device_id: id(200).optional(),
  user_agent: z.string().max(1024).optional(),
});

export const tenantEventSchema = z.discriminatedUnion('type', [
  accountCreatedSchema,
  accountUpdatedSchema,
  accountClosedSchema,
  paymentMethodAddedSchema,
  paymentMadeSchema,
  domainAttachedSchema,
  deploymentCreatedSchema,
  resourceUsageSchema,
  loginSchema,
]);

/**
 * The schema's output is exactly the domain's `TenantEvent` (timestamps in UTC `…Z`, ASN as a number,
 * domains in ASCII): a field added to one and not the other fails to compile here.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MutableArray<V> = V extends readonly (infer E)[] ? E[] : V;
type Mutable<T> = { -readonly [K in keyof T]: MutableArray<T[K]> };
const outputIsTenantEvent: Same<z.output<typeof tenantEventSchema>, Mutable<TenantEvent>> = true;
void outputIsTenantEvent;

export type TenantParseResult =
  | { readonly ok: true; readonly event: TenantEvent }
  | { readonly ok: false; readonly rejection: Rejection };

/** Validates one decoded JSON value. Never throws. */
export function parseTenantEvent(input: unknown): TenantParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, rejection: { code: 'SCHEMA_INVALID', reason: 'an event must be a JSON object' } };
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      rejection: {
        code: 'SCHEMA_INVALID',
        reason: `unknown event type ${JSON.stringify(type)?.slice(0, 80) ?? 'undefined'}; expected one of ${EVENT_TYPES.join(', ')}`,
        path: 'type',
      },
    };
  }
  // Well-formed, already normalised events skip zod (same rules, same output); zod decides the rest.
  const fast = fastTenantEvent(input);
  if (fast) return { ok: true, event: fast };
  const r = tenantEventSchema.safeParse(input);
  if (r.success) return { ok: true, event: r.data };
  const issue = r.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const reason = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  // A custom check on a well-typed field (an unusable domain, an impossible IP) is a bad value, not a bad shape.
  const code = issue?.code === 'custom' ? 'INVALID_VALUE' : 'SCHEMA_INVALID';
  return { ok: false, rejection: path === '' ? { code, reason } : { code, reason, path } };
}

/** Parses one JSON line (JSONL, a request body item). */
export function parseTenantEventLine(line: string): TenantParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (e) {
    return {
      ok: false,
      rejection: { code: 'PARSE_ERROR', reason: `malformed JSON: ${(e as Error).message}` },
    };
  }
  return parseTenantEvent(doc);
}
