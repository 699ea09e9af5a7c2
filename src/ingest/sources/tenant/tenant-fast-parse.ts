/**
 * A hand-written fast path in front of the zod schema for events that are already well formed and
 * normalised (what providers send almost always): it checks every field with the same rules and builds
 * the same output object (same keys, same order) as `tenantEventSchema`, without zod's per-field
 * machinery. Anything it is not sure about — unknown keys, values that zod would trim, case-fold or
 * convert (ASN strings, `+02:00` offsets), any failure — returns `undefined`, and zod decides and names
 * the field at fault. zod stays the authority; `tenant-fast-parse.test.ts` checks both agree.
 * @module
 */
import { isIP } from 'node:net';
import { canonicalHost } from '../../canonical-host.js';
import {
  DEPLOYMENT_KINDS,
  PAYMENT_METHODS,
  TENANT_SCHEMA_VERSION,
  type TenantEvent,
} from './tenant-schema.js';

const FAIL = Symbol('fail');
type Check = (v: unknown) => unknown;

const id =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim() === v ? v : FAIL;
const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const provider: Check = (v) => (typeof v === 'string' && PROVIDER.test(v) ? v : FAIL);
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ts: Check = (v) => {
  if (typeof v !== 'string' || !TS.test(v)) return FAIL;
  const t = Date.parse(v);
  // Only a timestamp that is its own normal form (a real instant, already in UTC `…Z`).
  return Number.isNaN(t) || new Date(t).toISOString() !== v ? FAIL : v;
};
const ip: Check = (v) => (typeof v === 'string' && v.trim() === v && isIP(v) !== 0 ? v : FAIL);
const asn: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4_294_967_295 ? v : FAIL;
const COUNTRY = /^[A-Z]{2}$/;
const country: Check = (v) => (typeof v === 'string' && COUNTRY.test(v) ? v : FAIL);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const email: Check = (v) =>
  typeof v === 'string' && v.length <= 320 && v.trim() === v && EMAIL.test(v) ? v : FAIL;
const text =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length <= max ? v : FAIL;
const domain: Check = (v) => {
  if (typeof v !== 'string' || v.length > 1024 || v.trim() !== v) return FAIL;
  const h = canonicalHost(v);
  return h.ok ? h.ascii : FAIL;
};
const url: Check = (v) => {
  if (typeof v !== 'string' || v.length > 4096 || v.trim() !== v) return FAIL;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? v : FAIL;
  } catch {
    return FAIL;
  }
};
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? v : FAIL;
const CHAIN = /^[a-z0-9-]{1,32}$/;
const chain: Check = (v) => (typeof v === 'string' && CHAIN.test(v) ? v : FAIL);
const CURRENCY = /^[A-Z0-9]{2,10}$/;
const currency: Check = (v) => (typeof v === 'string' && CURRENCY.test(v) ? v : FAIL);
const amount: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : FAIL);
const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : FAIL);
const domains: Check = (v) => {
  if (!Array.isArray(v) || v.length > 100) return FAIL;
  const out: unknown[] = [];
  for (const d of v) {
    const h = domain(d);
    if (h === FAIL) return FAIL;
    out.push(h);
  }
  return out;
};

/** [key, check, required], in the order of the zod shape (which is the output's key order). */
type Field = readonly [string, Check, boolean];
const COMMON: readonly Field[] = [
  ['event_id', id(200), true],
  ['provider', provider, true],
  ['account_id', id(200), true],
  ['ts', ts, true],
];
// Built on first use: tenant-schema.ts imports this module, so its constants are not ready at load time.
let byType: Readonly<Record<string, readonly Field[]>> | undefined;
const table = (): Readonly<Record<string, readonly Field[]>> => (byType ??= buildTable());

function buildTable(): Readonly<Record<string, readonly Field[]>> {
  const PAYMENT: readonly Field[] = [
    ['method', oneOf(PAYMENT_METHODS), true],
    ['fingerprint', id(200), true],
    ['wallet_address', id(200), false],
    ['chain', chain, false],
    ['bin_country', country, false],
  ];
  return {
    'account.created': [
      ['email', email, true],
      ['ip', ip, true],
      ['asn', asn, false],
      ['country', country, false],
      ['device_id', id(200), false],
      ['user_agent', text(1024), false],
    ],
    'account.updated': [
      ['email', email, false],
      ['country', country, false],
      ['device_id', id(200), false],
    ],
    'account.closed': [['reason', text(200), false]],
    'payment.method_added': PAYMENT,
    'payment.made': [...PAYMENT, ['amount', amount, true], ['currency', currency, true]],
    'domain.attached': [['domain', domain, true]],
    'deployment.created': [
      ['kind', oneOf(DEPLOYMENT_KINDS), true],
      ['url', url, false],
      ['domains', domains, false],
    ],
    'resource.usage': [
      ['metric', id(100), true],
      ['value', finite, true],
    ],
    login: [
      ['ip', ip, true],
      ['asn', asn, false],
      ['country', country, false],
      ['device_id', id(200), false],
      ['user_agent', text(1024), false],
    ],
  };
}

/** The validated event, or `undefined` when zod must decide. Never throws. */
export function fastTenantEvent(input: unknown): TenantEvent | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const o = input as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string') return undefined;
  const fields = table()[type];
  if (!fields) return undefined;
  const sv = o.schema_version;
  if (sv !== undefined && sv !== TENANT_SCHEMA_VERSION) return undefined;
  const out: Record<string, unknown> = { schema_version: TENANT_SCHEMA_VERSION };
  let seen = 1; // `type`
  if (sv !== undefined) seen += 1;
  for (const [key, check] of COMMON) {
    const v = check(o[key]);
    if (v === FAIL) return undefined;
    out[key] = v;
    seen += 1;
  }
  out.type = type;
  for (const [key, check, required] of fields) {
    const raw = o[key];
    if (raw === undefined) {
      if (required || key in o) return undefined;
      continue;
    }
    const v = check(raw);
    if (v === FAIL) return undefined;
    out[key] = v;
    seen += 1;
  }
  // Keys the schema does not know are stripped by zod; leave that (rare) case to it.
  let keys = 0;
  for (const _ in o) keys += 1;
  if (keys !== seen || Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  return out as unknown as TenantEvent;
}
