/**
 * Cryptocurrency addresses: validation with their checksums and extraction from free text (pages,
 * kits, payment notes, transaction exports). Only addresses whose checksum verifies are returned, so a
 * random string of the right alphabet and length does not become a `wallet:` entity.
 *
 * - Bitcoin: base58check P2PKH (version 0x00) and P2SH (0x05); bech32 (BIP-173) witness v0 with a 20-
 *   or 32-byte program, bech32m (BIP-350) witness v1–16 with 2–40 bytes.
 * - Ethereum: 0x + 40 hex; mixed case must satisfy EIP-55, all-lower or all-upper carries no checksum.
 * - TRON: base58check with version 0x41 and a 20-byte hash.
 * The encodings and hashes come from @scure/base and @noble/hashes; only the rules above are ours.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';

export const WALLET_CHAINS = ['bitcoin', 'ethereum', 'tron'] as const;
export type WalletChain = (typeof WALLET_CHAINS)[number];

export interface WalletAddress {
  readonly chain: WalletChain;
  /** Canonical form: bech32 and Ethereum lower-cased, base58 as is. */
  readonly address: string;
  /** The form a person reads (EIP-55 mixed case for Ethereum). */
  readonly display: string;
  readonly type: 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'segwit' | 'account';
  /** `verified` when a checksum was checked; `none` for an Ethereum address written in one case. */
  readonly checksum: 'verified' | 'none';
}

const base58check = createBase58check(sha256);

/** The entity key of an address: `wallet:<chain>:<canonical address>`. */
export const walletKey = (w: Pick<WalletAddress, 'chain' | 'address'>) =>
  `wallet:${w.chain}:${w.address}` as const;

function decodeBase58check(s: string): Uint8Array | undefined {
  try {
    return base58check.decode(s);
  } catch {
    return undefined;
  }
}

function bitcoinBase58(s: string): WalletAddress | undefined {
  const b = decodeBase58check(s);
  if (b?.length !== 21) return undefined;
  if (b[0] === 0x00) return { chain: 'bitcoin', address: s, display: s, type: 'p2pkh', checksum: 'verified' };
  if (b[0] === 0x05) return { chain: 'bitcoin', address: s, display: s, type: 'p2sh', checksum: 'verified' };
  return undefined;
}

function bitcoinSegwit(s: string): WalletAddress | undefined {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return undefined;
  const lower = s.toLowerCase();
  if (!lower.startsWith('bc1') || lower.length > 90) return undefined;
  // The witness version is the first data character; it decides bech32 (v0) or bech32m (v1+).
  const version = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'.indexOf(lower[3] ?? '');
  if (version < 0 || version > 16) return undefined;
  const coder = version === 0 ? bech32 : bech32m;
  const decoded = coder.decodeUnsafe(lower, 90);
  if (decoded?.prefix !== 'bc' || decoded.words.length < 1) return undefined;
  const program = coder.fromWordsUnsafe(decoded.words.slice(1));
  if (!program || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  const type =
    version === 0
      ? program.length === 20
        ? 'p2wpkh'
        : 'p2wsh'
      : version === 1 && program.length === 32
        ? 'p2tr'
        : 'segwit';
  return { chain: 'bitcoin', address: lower, display: lower, type, checksum: 'verified' };
}

/** EIP-55: the i-th hex letter is upper case iff the i-th nibble of keccak256(lower-case hex) is ≥ 8. */
export function toChecksumAddress(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i]!;
    const nibble = (hash[i >> 1]! >> (i % 2 ? 0 : 4)) & 0xf;
    out += nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

function ethereum(s: string): WalletAddress | undefined {
  if (!/^0x[0-9a-fA-F]{40}$/.test(s)) return undefined;
  const hex = s.slice(2);
  const oneCase = hex === hex.toLowerCase() || hex === hex.toUpperCase();
  const display = toChecksumAddress(hex);
  if (!oneCase && display !== `0x${hex}`) return undefined;
  return {
    chain: 'ethereum',
    address: `0x${hex.toLowerCase()}`,
    display,
    type: 'account',
    checksum: oneCase ? 'none' : 'verified',
  };
}

function tron(s: string): WalletAddress | undefined {
  const b = decodeBase58check(s);
  if (b?.length !== 21 || b[0] !== 0x41) return undefined;
  return { chain: 'tron', address: s, display: s, type: 'account', checksum: 'verified' };
}

/** Validates one address; with `chain`, only as an address of that chain. */
export function parseWalletAddress(text: string, chain?: WalletChain): WalletAddress | undefined {
  const s = text.trim();
  const tries: Array<(s: string) => WalletAddress | undefined> =
    chain === 'bitcoin'
      ? [bitcoinSegwit, bitcoinBase58]
      : chain === 'ethereum'
        ? [ethereum]
        : chain === 'tron'
          ? [tron]
          : [ethereum, bitcoinSegwit, tron, bitcoinBase58];
  for (const t of tries) {
    const w = t(s);
    if (w) return w;
  }
  return undefined;
}

const CANDIDATES =
  /(?<![0-9A-Za-z])(?:0x[0-9a-fA-F]{40}|[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}|[13T][1-9A-HJ-NP-Za-km-z]{25,34})(?![0-9A-Za-z])/g;

/** Every valid address in a text, once each (first occurrence order), with its offset. */
export function extractWalletAddresses(text: string): Array<WalletAddress & { readonly index: number }> {
  const out: Array<WalletAddress & { index: number }> = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CANDIDATES)) {
    const w = parseWalletAddress(m[0]);
    if (!w) continue;
    const key = walletKey(w);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...w, index: m.index });
  }
  return out;
}
