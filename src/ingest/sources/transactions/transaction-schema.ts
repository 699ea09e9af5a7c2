/**
 * Wallet transactions as exported by chain explorers and analytics tools (docs/transactions.md): one
 * transaction per JSONL line or CSV row, inputs and outputs as lists. Validated at the edge — every
 * address must pass its chain's checksum, every amount is a base-unit integer — so a bad row becomes a
 * dead letter naming the field, never a wallet that does not exist.
 * @module
 */
import { createHash } from 'node:crypto';
import { parseWalletAddress, WALLET_CHAINS, type WalletChain } from '../../../evidence/wallet-address.js';
import type { ObservationPayloads, Rejection } from '../../../domain/index.js';

export type TransactionPayload = ObservationPayloads['transaction'];

/** UTXO chains list every input and output; account chains one of each. */
export const UTXO_CHAINS: ReadonlySet<WalletChain> = new Set(['bitcoin']);

/** What an export gives, before validation (both formats parse into this). */
export interface RawTransaction {
  readonly chain?: unknown;
  readonly tx_hash?: unknown;
  readonly time?: unknown;
  readonly asset?: unknown;
  readonly from?: unknown;
  readonly to?: unknown;
  readonly fee?: unknown;
}

export type TransactionResult =
  | { readonly ok: true; readonly time: string; readonly payload: TransactionPayload }
  | { readonly ok: false; readonly rejection: Rejection };

/** Inputs or outputs beyond this many are rejected (a record that large is not an export row). */
export const MAX_PARTIES = 10_000;
const AMOUNT = /^\d{1,78}$/;
const HASH: Record<WalletChain, RegExp> = {
  bitcoin: /^[0-9a-f]{64}$/,
  ethereum: /^0x[0-9a-f]{64}$/,
  tron: /^[0-9a-f]{64}$/,
};

const fail = (code: Rejection['code'], reason: string, path: string): TransactionResult => ({
  ok: false,
  rejection: { code, reason, path },
});

export function validateTransaction(raw: RawTransaction): TransactionResult {
  const chain = raw.chain;
  if (typeof chain !== 'string' || !(WALLET_CHAINS as readonly string[]).includes(chain))
    return fail('SCHEMA_INVALID', `chain must be one of ${WALLET_CHAINS.join(', ')}`, 'chain');
  const c = chain as WalletChain;
  if (typeof raw.tx_hash !== 'string') return fail('SCHEMA_INVALID', 'tx_hash must be a string', 'tx_hash');
  const txHash = raw.tx_hash.trim().toLowerCase();
  if (!HASH[c].test(txHash))
    return fail('INVALID_VALUE', `tx_hash '${raw.tx_hash}' is not a ${chain} transaction hash`, 'tx_hash');
  if (
    typeof raw.time !== 'string' ||
    Number.isNaN(Date.parse(raw.time)) ||
    !/^\d{4}-\d\d-\d\dT/.test(raw.time)
  )
    return fail('SCHEMA_INVALID', 'time must be an ISO-8601 date-time', 'time');
  if (typeof raw.asset !== 'string' || !/^[A-Za-z0-9._-]{1,32}$/.test(raw.asset))
    return fail('SCHEMA_INVALID', 'asset must be a ticker of 1–32 letters, digits, . _ -', 'asset');
  const from = parties(raw.from, 'from', c);
  if (!Array.isArray(from)) return from;
  const to = parties(raw.to, 'to', c);
  if (!Array.isArray(to)) return to;
  const utxo = UTXO_CHAINS.has(c);
  if (!utxo && (from.length !== 1 || to.length !== 1))
    return fail('SCHEMA_INVALID', `a ${chain} transaction has exactly one sender and one recipient`, 'from');
  // A coinbase transaction has no inputs; every transaction pays at least one output.
  if (to.length === 0) return fail('SCHEMA_INVALID', 'to must list at least one output', 'to');
  let fee: string | undefined;
  if (raw.fee !== undefined && raw.fee !== null && raw.fee !== '') {
    if (typeof raw.fee !== 'string' || !AMOUNT.test(raw.fee))
      return fail('SCHEMA_INVALID', 'fee must be a non-negative integer string (base unit)', 'fee');
    fee = raw.fee;
  }
  const payload: TransactionPayload = { chain: c, txHash, asset: raw.asset.toUpperCase(), from, to };
  if (fee !== undefined) payload.fee = fee;
  return { ok: true, time: new Date(Date.parse(raw.time)).toISOString(), payload };
}

function parties(
  v: unknown,
  field: 'from' | 'to',
  chain: WalletChain,
): Array<{ address: string; amount: string }> | TransactionResult {
  if (!Array.isArray(v)) return fail('SCHEMA_INVALID', `${field} must be a list of {address, amount}`, field);
  if (v.length > MAX_PARTIES)
    return fail('TOO_LARGE', `${field} lists more than ${MAX_PARTIES} parties`, field);
  const out: Array<{ address: string; amount: string }> = [];
  for (let i = 0; i < v.length; i++) {
    const p = v[i] as { address?: unknown; amount?: unknown } | null;
    const path = `${field}[${i}]`;
    if (p === null || typeof p !== 'object' || typeof p.address !== 'string')
      return fail('SCHEMA_INVALID', `${path}.address must be a string`, `${path}.address`);
    const w = parseWalletAddress(p.address, chain);
    if (!w)
      return fail(
        'INVALID_VALUE',
        `${path}.address '${p.address}' is not a valid ${chain} address (checksum or format)`,
        `${path}.address`,
      );
    if (typeof p.amount !== 'string' || !AMOUNT.test(p.amount))
      return fail('SCHEMA_INVALID', `${path}.amount must be a non-negative integer string`, `${path}.amount`);
    out.push({ address: w.address, amount: p.amount });
  }
  return out;
}

/**
 * The dedupe key: chain, hash and asset, plus a digest of the parties — an export may list several
 * token transfers of one transaction, and each is its own record; the same row again is a no-op.
 */
export function transactionDedupeKey(p: TransactionPayload): string {
  const parties = JSON.stringify([p.from, p.to]);
  const digest = createHash('sha256').update(parties).digest('hex').slice(0, 16);
  return `tx:${p.chain}:${p.txHash}:${p.asset}:${digest}`;
}

/** CSV cell `addr:amount|addr:amount` → parties (the amount follows the last colon). */
export function parsePartyList(cell: string): Array<{ address: string; amount: string }> | string {
  if (cell.trim() === '') return [];
  const out: Array<{ address: string; amount: string }> = [];
  for (const item of cell.split('|')) {
    const i = item.lastIndexOf(':');
    if (i <= 0) return `'${item}' is not address:amount`;
    out.push({ address: item.slice(0, i).trim(), amount: item.slice(i + 1).trim() });
  }
  return out;
}
