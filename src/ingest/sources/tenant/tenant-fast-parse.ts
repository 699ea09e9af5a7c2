/**
 * A hand-written fast path in front of the zod schema for events that are already well formed and
 * normalised (what providers send almost always): it checks every field with the same rules and builds
 * the same output object (same keys, same order) as `tenantEventSchema`, without zod's per-field
 * machinery. Anything it is not sure about — unknown keys, values that zod would trim, case-fold or
 * convert (ASN strings, `+02:00` offsets), any failure — returns `undefined`, and zod decides and names
 * the field at fault. zod stays the authority; `tenant-fast-parse.test.ts` checks both agree.
 * @module
 */
import { canonicalHost } from '../../canonical-host.js';
import { ipVersion } from '../../../correlate/identity/ip-version.js';
import {
  DEPLOYMENT_KINDS,
  PAYMENT_METHODS,
  TENANT_SCHEMA_VERSION,
  type TenantEvent,
} from '../../../domain/index.js';

const FAIL = Symbol('fail');
type Check = (v: unknown) => unknown;

const id =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim() === v ? v : FAIL;
const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const provider: Check = (v) => (typeof v === 'string' && PROVIDER.test(v) ? v : FAIL);
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const digits = (s: string, at: number, n: number): number => {
  let x = 0;
  for (let i = at; i < at + n; i++) x = x * 10 + s.charCodeAt(i) - 48;
  return x;
};
const daysIn = (y: number, m: number): number =>
  m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : m === 4 || m === 6 || m === 9 || m === 11
      ? 30
      : 31;
const ts: Check = (v) => {
  if (typeof v !== 'string' || !TS.test(v)) return FAIL;
  // Only a timestamp that is its own normal form: a real calendar instant, already in UTC `…Z` (the
  // same as `new Date(v).toISOString() === v`, without building a Date and a string per event).
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return FAIL;
  return digits(v, 11, 2) > 23 || digits(v, 14, 2) > 59 || digits(v, 17, 2) > 59 ? FAIL : v;
};
const ip: Check = (v) => (typeof v === 'string' && v.trim() === v && ipVersion(v) !== 0 ? v : FAIL);
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

type Out = Record<string, unknown>;

/**
 * One builder per event type, in the order of its zod shape (which is the output's key order), with
 * named property reads and writes: a table of [key, check] pairs read and wrote keys dynamically,
 * which cost more than the checks themselves. Each returns `false` on anything zod must decide.
 */
type Builder = (o: Out, out: Out) => boolean;

/** Sets an optional field that passed its check; `false` if present but failing. */
const opt = (out: Out, key: string, raw: unknown, check: Check): boolean => {
  if (raw === undefined) return true;
  const v = check(raw);
  if (v === FAIL) return false;
  out[key] = v;
  return true;
};

// Built on first use: tenant-schema.ts imports this module, so its constants are not ready at load time.
let builders: Readonly<Record<string, Builder>> | undefined;
const table = (): Readonly<Record<string, Builder>> => (builders ??= buildTable());

function buildTable(): Readonly<Record<string, Builder>> {
  const method = oneOf(PAYMENT_METHODS);
  const kind = oneOf(DEPLOYMENT_KINDS);
  const id200 = id(200);
  const id100 = id(100);
  const ua = text(1024);
  const reason = text(200);
  const payment = (o: Out, out: Out): boolean => {
    const m = method(o.method);
    const fp = id200(o.fingerprint);
    if (m === FAIL || fp === FAIL) return false;
    out.method = m;
    out.fingerprint = fp;
    return (
      opt(out, 'wallet_address', o.wallet_address, id200) &&
      opt(out, 'chain', o.chain, chain) &&
      opt(out, 'bin_country', o.bin_country, country)
    );
  };
  const network = (o: Out, out: Out): boolean => {
    const a = ip(o.ip);
    if (a === FAIL) return false;
    out.ip = a;
    return (
      opt(out, 'asn', o.asn, asn) &&
      opt(out, 'country', o.country, country) &&
      opt(out, 'device_id', o.device_id, id200) &&
      opt(out, 'user_agent', o.user_agent, ua)
    );
  };
  return {
    'account.created': (o, out) => {
      const e = email(o.email);
      if (e === FAIL) return false;
      out.email = e;
      return network(o, out);
    },
    'account.updated': (o, out) =>
      opt(out, 'email', o.email, email) &&
      opt(out, 'country', o.country, country) &&
      opt(out, 'device_id', o.device_id, id200),
    'account.closed': (o, out) => opt(out, 'reason', o.reason, reason),
    'payment.method_added': payment,
    'payment.made': (o, out) => {
      if (!payment(o, out)) return false;
      const a = amount(o.amount);
      const c = currency(o.currency);
      if (a === FAIL || c === FAIL) return false;
      out.amount = a;
      out.currency = c;
      return true;
    },
    'domain.attached': (o, out) => {
      const d = domain(o.domain);
      if (d === FAIL) return false;
      out.domain = d;
      return true;
    },
    'deployment.created': (o, out) => {
      const k = kind(o.kind);
      if (k === FAIL) return false;
      out.kind = k;
      return opt(out, 'url', o.url, url) && opt(out, 'domains', o.domains, domains);
    },
    'resource.usage': (o, out) => {
      const m = id100(o.metric);
      const v = finite(o.value);
      if (m === FAIL || v === FAIL) return false;
      out.metric = m;
      out.value = v;
      return true;
    },
    login: network,
  };
}

const id200 = id(200);

/** The validated event, or `undefined` when zod must decide. Never throws. */
export function fastTenantEvent(input: unknown): TenantEvent | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const o = input as Out;
  const type = o.type;
  if (typeof type !== 'string') return undefined;
  const build = table()[type];
  if (!build) return undefined;
  const sv = o.schema_version;
  if (sv !== undefined && sv !== TENANT_SCHEMA_VERSION) return undefined;
  const eventId = id200(o.event_id);
  const prov = provider(o.provider);
  const accountId = id200(o.account_id);
  const time = ts(o.ts);
  if (eventId === FAIL || prov === FAIL || accountId === FAIL || time === FAIL) return undefined;
  const out: Out = {
    schema_version: TENANT_SCHEMA_VERSION,
    event_id: eventId,
    provider: prov,
    account_id: accountId,
    ts: time,
    type,
  };
  if (!build(o, out)) return undefined;
  // Every input key must have been taken: keys the schema does not know are stripped by zod, and a
  // key present with the value `undefined` is zod's to judge; leave those (rare) cases to it.
  let keys = 0;
  for (const _ in o) keys += 1;
  let taken = sv === undefined ? -1 : 0; // `schema_version` is in the output either way
  for (const _ in out) taken += 1;
  if (keys !== taken || Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  return out as unknown as TenantEvent;
}
