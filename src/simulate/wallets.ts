/**
 * Valid, checksummed wallet addresses from seeded bytes: Bitcoin P2WPKH (bech32, BIP-173), P2TR
 * (bech32m, BIP-350) and P2PKH (base58check), Ethereum (EIP-55 mixed-case checksum) and TRON (base58check
 * of 0x41 ‖ 20 bytes). The encodings come from `@scure/base` and the hashes from `@noble/hashes`;
 * only the choice of version bytes is written here. A simulated world needs addresses a validator
 * accepts, so that a correlator that checks checksums is exercised, not bypassed.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import type { Rng } from './rng.js';

export type Chain = 'bitcoin' | 'ethereum' | 'tron';

export interface Wallet {
  readonly chain: Chain;
  readonly address: string;
}

const base58check = createBase58check(sha256);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** EIP-55: each hex letter is upper-case when the matching nibble of keccak256(lower-case hex) is ≥ 8. */
export function eip55(address20: Uint8Array): string {
  const lower = hex(address20);
  const hash = hex(keccak_256(new TextEncoder().encode(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i] as string;
    out += c >= 'a' && Number.parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

export function bitcoinP2wpkh(program20: Uint8Array): string {
  return bech32.encode('bc', [0, ...bech32.toWords(program20)]);
}

export function bitcoinP2tr(program32: Uint8Array): string {
  return bech32m.encode('bc', [1, ...bech32m.toWords(program32)]);
}

export function bitcoinP2pkh(hash20: Uint8Array): string {
  return base58check.encode(Uint8Array.from([0x00, ...hash20]));
}

export function tronAddress(hash20: Uint8Array): string {
  return base58check.encode(Uint8Array.from([0x41, ...hash20]));
}

/** A fresh address on `chain`; Bitcoin mixes the address types wallets hand out today. */
export function newWallet(rng: Rng, chain: Chain): Wallet {
  if (chain === 'ethereum') return { chain, address: eip55(rng.bytes(20)) };
  if (chain === 'tron') return { chain, address: tronAddress(rng.bytes(20)) };
  const r = rng.next();
  const address =
    r < 0.7
      ? bitcoinP2wpkh(rng.bytes(20))
      : r < 0.85
        ? bitcoinP2tr(rng.bytes(32))
        : bitcoinP2pkh(rng.bytes(20));
  return { chain, address };
}

/** A transaction hash as the chain's explorers print it. */
export function txHash(rng: Rng, chain: Chain): string {
  const h = hex(rng.bytes(32));
  return chain === 'ethereum' ? `0x${h}` : h;
}

/** The entity key the tenant stage gives a wallet (EVM and bech32 addresses fold to lower case). */
export function walletEntityKey(w: Wallet): string {
  const a = w.chain === 'ethereum' || w.address.startsWith('bc1') ? w.address.toLowerCase() : w.address;
  return `wallet:${w.chain}:${a}`;
}
