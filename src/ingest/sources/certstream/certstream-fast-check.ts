/**
 * A hand-written check in front of the zod schema for `certificate_update` messages that are plainly
 * well formed (what a certstream server sends almost always): it accepts a message only where
 * `certstreamMessageSchema` accepts it and yields the same values for the fields Precursor reads, and
 * answers `undefined` for anything else — any doubt, any error — so that zod decides and names the
 * field at fault. zod's object walk (copying every field of a ~1 KB message, passthrough objects
 * included) cost about as much as the `JSON.parse` before it; `certstream-fast-check.test.ts` checks
 * the two agree.
 * @module
 */
import type { CertstreamMessage } from './certstream-schema.js';

type Update = Extract<CertstreamMessage, { message_type: 'certificate_update' }>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';
const optNumber = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));
/** A distinguished name: an object whose `aggregated` is absent, null or a string. */
const optDn = (v: unknown): boolean =>
  v === undefined || (isObject(v) && (v.aggregated == null || typeof v.aggregated === 'string'));
const SHA256 = /^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/;

/** The message as zod would give it, or undefined to let zod decide. */
export function fastCertificateUpdate(doc: unknown): Update | undefined {
  if (!isObject(doc) || doc.message_type !== 'certificate_update') return undefined;
  const d = doc.data;
  if (!isObject(d)) return undefined;
  if (!optString(d.update_type) || !optString(d.cert_link)) return undefined;
  const index = d.cert_index;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return undefined;
  if (typeof d.seen !== 'number' || !Number.isFinite(d.seen)) return undefined;
  const source = d.source;
  if (!isObject(source) || !optString(source.name)) return undefined;
  if (typeof source.url !== 'string' || source.url.length === 0) return undefined;
  const leaf = d.leaf_cert;
  if (!isObject(leaf)) return undefined;
  const names = leaf.all_domains;
  if (!Array.isArray(names)) return undefined;
  for (const n of names) if (typeof n !== 'string') return undefined;
  if (!optDn(leaf.subject) || !optDn(leaf.issuer)) return undefined;
  if (!optString(leaf.fingerprint) || !optString(leaf.sha1) || !optString(leaf.serial_number))
    return undefined;
  if (!optString(leaf.as_der)) return undefined;
  if (leaf.sha256 !== undefined && (typeof leaf.sha256 !== 'string' || !SHA256.test(leaf.sha256)))
    return undefined;
  if (!optNumber(leaf.not_before) || !optNumber(leaf.not_after)) return undefined;
  let chain = d.chain;
  if (chain === undefined) chain = [];
  else if (!Array.isArray(chain)) return undefined;
  else for (const c of chain) if (!isObject(c) || !isObject(c.subject) || !optDn(c.subject)) return undefined;
  return { message_type: 'certificate_update', data: { ...d, chain } } as Update;
}
