/**
 * One decoded CT log entry → one `certificate` observation. Shared by the RFC 6962 and the
 * static-ct-api sources, so both kinds of log give identical observations for the same entry.
 * @module
 */
import type { Observation } from '../../../domain/index.js';
import { ok, type ParseResult, reject } from '../../source.js';
import { type CertificateFacts, certificateFacts, sha256Hex, tbsCertificateFacts } from './ct-certificate.js';
import type { TimestampedEntry } from './ct-leaf.js';

export interface CtEntry {
  /** The source id (`ct:<log>`), also the observation's source. */
  readonly source: string;
  /** The log's URL-derived name, kept in the payload. */
  readonly log: string;
  readonly index: number;
  readonly entry: TimestampedEntry;
  /** precert: the submitted precertificate, whose SHA-256 is the fingerprint crt.sh and monitors show. */
  readonly preCertificate?: Uint8Array | undefined;
}

/** Dedupe key of a log entry: a log index names exactly one entry forever. */
export const ctDedupeKey = (source: string, index: number): string => `${source}|${index}`;

export function observeCtEntry(e: CtEntry): ParseResult {
  let facts: CertificateFacts;
  try {
    facts = e.entry.entryType === 'x509' ? certificateFacts(e.entry.der) : tbsCertificateFacts(e.entry.der);
  } catch (err) {
    const what = e.entry.entryType === 'x509' ? 'certificate' : 'precert TBSCertificate';
    return reject(
      'PARSE_ERROR',
      `malformed ${what} DER: ${err instanceof Error ? err.message : String(err)}`,
      'leaf_input',
    );
  }
  // A certificate without DNS names (S/MIME, IP-only) names nothing to watch.
  if (facts.names.length === 0) return ok([]);
  const precert = e.entry.entryType === 'precert';
  const sha256 = sha256Hex(precert && e.preCertificate !== undefined ? e.preCertificate : e.entry.der);
  const observedAt = new Date(e.entry.timestamp);
  if (Number.isNaN(observedAt.getTime()))
    return reject('INVALID_VALUE', `timestamp ${e.entry.timestamp} is not a date`, 'timestamp');
  const o: Observation<'certificate'> = {
    source: e.source,
    kind: 'certificate',
    observedAt: observedAt.toISOString(),
    dedupeKey: ctDedupeKey(e.source, e.index),
    payload: {
      sha256,
      names: facts.names,
      issuer: facts.issuer,
      subject: facts.subject,
      serial: facts.serial,
      ...(facts.notBefore === undefined ? {} : { notBefore: facts.notBefore }),
      ...(facts.notAfter === undefined ? {} : { notAfter: facts.notAfter }),
      log: e.log,
      index: e.index,
      precert,
    },
  };
  return ok([o]);
}
