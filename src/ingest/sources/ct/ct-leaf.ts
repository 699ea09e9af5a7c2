/**
 * The TLS-encoded structures of certificate transparency: RFC 6962 `MerkleTreeLeaf` and `extra_data`
 * (§3.1, §3.4, §4.6) and the C2SP static-ct-api `TileLeaf`. These are a handful of length-prefixed
 * fields (RFC 8446 §3 presentation language) for which no maintained npm codec exists; the
 * certificates inside them are handed to a real X.509 implementation (`ct-certificate.ts`).
 * Every read is bounds-checked and throws `CtDecodeError`, which the sources turn into dead letters.
 * @module
 */

export class CtDecodeError extends Error {
  override readonly name = 'CtDecodeError';
}

/** RFC 6962 §3.1 `LogEntryType`. */
export type CtEntryType = 'x509' | 'precert';

export interface TimestampedEntry {
  /** Milliseconds since the epoch, as the log stamped it. */
  readonly timestamp: number;
  readonly entryType: CtEntryType;
  /** x509: the certificate's DER. precert: the TBSCertificate's DER (poison removed by the log). */
  readonly der: Uint8Array;
  /** precert only: SHA-256 of the issuer's public key. */
  readonly issuerKeyHash?: Uint8Array;
  readonly extensions: Uint8Array;
}

/** A cursor over a byte array; every read checks the remaining length. */
export class TlsReader {
  #pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.#pos;
  }

  get position(): number {
    return this.#pos;
  }

  #need(n: number, what: string): void {
    if (n > this.remaining)
      throw new CtDecodeError(
        `truncated ${what}: need ${n} bytes at offset ${this.#pos}, have ${this.remaining}`,
      );
  }

  uint(bytes: number, what: string): number {
    this.#need(bytes, what);
    let v = 0;
    for (let i = 0; i < bytes; i++) v = v * 256 + (this.buf[this.#pos + i] as number);
    this.#pos += bytes;
    return v;
  }

  bytes(n: number, what: string): Uint8Array {
    this.#need(n, what);
    const out = this.buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** `opaque x<lo..2^(8*lenBytes)-1>`: a length prefix of `lenBytes` then that many bytes. */
  vector(lenBytes: number, what: string): Uint8Array {
    return this.bytes(this.uint(lenBytes, `${what} length`), what);
  }
}

function readTimestampedEntry(r: TlsReader): TimestampedEntry {
  const timestamp = r.uint(8, 'timestamp');
  const type = r.uint(2, 'entry_type');
  if (type === 0) {
    const der = r.vector(3, 'x509_entry');
    if (der.length === 0) throw new CtDecodeError('empty x509_entry');
    return { timestamp, entryType: 'x509', der, extensions: r.vector(2, 'extensions') };
  }
  if (type === 1) {
    const issuerKeyHash = r.bytes(32, 'issuer_key_hash');
    const der = r.vector(3, 'tbs_certificate');
    if (der.length === 0) throw new CtDecodeError('empty tbs_certificate');
    return { timestamp, entryType: 'precert', der, issuerKeyHash, extensions: r.vector(2, 'extensions') };
  }
  throw new CtDecodeError(`unknown entry_type ${type}`);
}

/** RFC 6962 §3.4 `MerkleTreeLeaf` (the `leaf_input` of `get-entries`). */
export function parseMerkleTreeLeaf(buf: Uint8Array): TimestampedEntry {
  const r = new TlsReader(buf);
  const version = r.uint(1, 'version');
  if (version !== 0) throw new CtDecodeError(`unsupported MerkleTreeLeaf version ${version}`);
  const leafType = r.uint(1, 'leaf_type');
  if (leafType !== 0) throw new CtDecodeError(`unsupported leaf_type ${leafType}`);
  const entry = readTimestampedEntry(r);
  if (r.remaining !== 0) throw new CtDecodeError(`${r.remaining} trailing bytes after MerkleTreeLeaf`);
  return entry;
}

export interface ExtraData {
  /** precert only: the precertificate as submitted (a whole certificate with the poison extension). */
  readonly preCertificate?: Uint8Array;
  /** The submitted chain, leaf's issuer first. */
  readonly chain: readonly Uint8Array[];
}

function readChain(r: TlsReader, what: string): Uint8Array[] {
  const list = new TlsReader(r.vector(3, what));
  const out: Uint8Array[] = [];
  while (list.remaining > 0) out.push(list.vector(3, `${what}[${out.length}]`));
  return out;
}

/** RFC 6962 §4.6 `extra_data`: a certificate chain (x509) or a `PrecertChainEntry` (precert). */
export function parseExtraData(buf: Uint8Array, entryType: CtEntryType): ExtraData {
  const r = new TlsReader(buf);
  if (entryType === 'x509') {
    const chain = readChain(r, 'certificate_chain');
    return { chain };
  }
  const preCertificate = r.vector(3, 'pre_certificate');
  const chain = readChain(r, 'precertificate_chain');
  return { preCertificate, chain };
}

/** static-ct-api `TileLeaf`, with the index the log wrote into its `leaf_index` extension. */
export interface TileLeaf extends TimestampedEntry {
  readonly preCertificate?: Uint8Array;
  /** SHA-256 fingerprints of the issuers of the submitted chain. */
  readonly chainFingerprints: readonly Uint8Array[];
  readonly leafIndex: number | undefined;
  /** The exact bytes of this leaf in the tile (for dead letters). */
  readonly raw: Uint8Array;
}

/** static-ct-api `CtExtensions`: one-byte type, two-byte length; `leaf_index` (0) is a uint40. */
export function leafIndexExtension(extensions: Uint8Array): number | undefined {
  const r = new TlsReader(extensions);
  while (r.remaining > 0) {
    const type = r.uint(1, 'extension_type');
    const data = r.vector(2, 'extension_data');
    if (type === 0) {
      if (data.length !== 5)
        throw new CtDecodeError(`leaf_index extension of ${data.length} bytes (expected 5)`);
      return new TlsReader(data).uint(5, 'leaf_index');
    }
  }
  return undefined;
}

/**
 * Splits a data tile into its leaves. A leaf that cannot be decoded makes the rest of the tile
 * unreadable (there is no framing to resynchronise on): the leaves before it are returned with the error.
 */
export function parseDataTile(buf: Uint8Array): { leaves: TileLeaf[]; error?: string } {
  const r = new TlsReader(buf);
  const out: TileLeaf[] = [];
  try {
    while (r.remaining > 0) out.push(readTileLeaf(r, buf));
  } catch (e) {
    if (e instanceof CtDecodeError)
      return { leaves: out, error: `leaf ${out.length} of the tile: ${e.message}` };
    throw e;
  }
  return { leaves: out };
}

function readTileLeaf(r: TlsReader, buf: Uint8Array): TileLeaf {
  const start = r.position;
  const entry = readTimestampedEntry(r);
  const preCertificate = entry.entryType === 'precert' ? r.vector(3, 'pre_certificate') : undefined;
  const fps = new TlsReader(r.vector(2, 'certificate_chain'));
  const chainFingerprints: Uint8Array[] = [];
  while (fps.remaining > 0) chainFingerprints.push(fps.bytes(32, 'fingerprint'));
  const leafIndex = leafIndexExtension(entry.extensions);
  const raw = buf.subarray(start, r.position);
  return preCertificate === undefined
    ? { ...entry, chainFingerprints, leafIndex, raw }
    : { ...entry, preCertificate, chainFingerprints, leafIndex, raw };
}

// ---------------------------------------------------------------------------------------------
// Encoders: used by the loopback test logs and the benchmark to build recorded-format data.

function lengthPrefixed(lenBytes: number, data: Uint8Array): Buffer {
  const head = Buffer.alloc(lenBytes);
  head.writeUIntBE(data.length, 0, lenBytes);
  return Buffer.concat([head, data]);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export function encodeTimestampedEntry(e: TimestampedEntry): Buffer {
  const type = Buffer.from([0, e.entryType === 'x509' ? 0 : 1]);
  const signed =
    e.entryType === 'x509'
      ? lengthPrefixed(3, e.der)
      : Buffer.concat([e.issuerKeyHash ?? Buffer.alloc(32), lengthPrefixed(3, e.der)]);
  return Buffer.concat([u64(e.timestamp), type, signed, lengthPrefixed(2, e.extensions)]);
}

export function encodeMerkleTreeLeaf(e: TimestampedEntry): Buffer {
  return Buffer.concat([Buffer.from([0, 0]), encodeTimestampedEntry(e)]);
}

export function encodeLeafIndexExtension(index: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(0, 0);
  b.writeUInt16BE(5, 1);
  b.writeUIntBE(Math.floor(index / 2 ** 32), 3, 1);
  b.writeUInt32BE(index % 2 ** 32, 4);
  return b;
}

export function encodeTileLeaf(
  e: TimestampedEntry,
  preCertificate: Uint8Array | undefined,
  chainFingerprints: readonly Uint8Array[],
): Buffer {
  const parts = [encodeTimestampedEntry(e)];
  if (e.entryType === 'precert') parts.push(lengthPrefixed(3, preCertificate ?? new Uint8Array()));
  parts.push(lengthPrefixed(2, Buffer.concat(chainFingerprints)));
  return Buffer.concat(parts);
}
