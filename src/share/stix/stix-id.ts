/**
 * Deterministic STIX identifiers. SCO ids follow STIX 2.1 §2.9: UUIDv5 in the STIX namespace over the
 * RFC 8785 canonical JSON of the type's id-contributing properties. Precursor's own SDOs and SROs use
 * UUIDv5 in Precursor's namespace over a stable natural key, so every export of the same thing — by
 * any deployment, at any time — carries the same id and versions line up across exports.
 * @module
 */
import { uuidv5 } from '../uuid-v5.js';

/** The namespace the STIX 2.1 specification fixes for SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Precursor's namespace for its SDO/SRO ids (a fixed random UUID; never change it). */
export const PRECURSOR_NAMESPACE = '5b0d6c0e-8f7a-4a55-9a3e-2f4c0b7d1e93';

/**
 * RFC 8785 (JCS) canonical JSON for the plain values SCO id inputs are made of. Strings and integers
 * serialise as ECMAScript JSON does, which is what JCS prescribes; object keys sort by UTF-16 code units.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export type StixId<T extends string = string> = `${T}--${string}`;

/** `domain-name--…` etc. from the type's id-contributing properties. */
export function scoId<T extends string>(type: T, contributing: Record<string, unknown>): StixId<T> {
  return `${type}--${uuidv5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}

/** A Precursor-owned object's id from its natural key parts. */
export function precursorId<T extends string>(type: T, ...key: readonly string[]): StixId<T> {
  return `${type}--${uuidv5(`${type}|${key.join('|')}`, PRECURSOR_NAMESPACE)}`;
}
