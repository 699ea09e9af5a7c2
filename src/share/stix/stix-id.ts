/**
 * Deterministic STIX identifiers. SCO ids follow STIX 2.1 §2.9: UUIDv5 in the STIX namespace over the
 * RFC 8785 canonical JSON of the type's id-contributing properties. Precursor's own SDOs and SROs use
 * UUIDv5 in Precursor's namespace over a stable natural key, so every export of the same thing — by
 * any deployment, at any time — carries the same id and versions line up across exports.
 * @module
 */
import canonicalize from 'canonicalize';
import { uuidv5 } from '../uuid-v5.js';

/** The namespace the STIX 2.1 specification fixes for SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Precursor's namespace for its SDO/SRO ids (a fixed random UUID; never change it). */
export const PRECURSOR_NAMESPACE = '5b0d6c0e-8f7a-4a55-9a3e-2f4c0b7d1e93';

/** RFC 8785 (JCS) canonical JSON, the input the STIX spec hashes for SCO ids. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new RangeError('value has no JSON form');
  return text;
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
