/**
 * On-chain transactions of the world, in the shared JSONL format (`docs/transactions.md`): exchange
 * withdrawals that fund wallets, invoices paid to the providers' deposit addresses (from the ledger),
 * operators moving funds to a cash-out cluster (Bitcoin spends several operator addresses in one
 * transaction: common-input ownership), cash-outs to exchanges, and honest exchange traffic — hot-wallet
 * consolidations with many inputs, withdrawals and deposits of strangers.
 * @module
 */
import type { Rng } from '../rng.js';
import { type Chain, newWallet, txHash, type Wallet } from '../wallets.js';
import { ASSET, baseUnits, CHAINS, type Ledger } from './ledger.js';
import type { OperatorBuild } from './operators.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Transfer {
  readonly address: string;
  readonly amount: string;
}

export interface Transaction {
  readonly chain: Chain;
  readonly tx_hash: string;
  readonly time: string;
  readonly asset: string;
  readonly from: Transfer[];
  readonly to: Transfer[];
  readonly fee?: string;
}

const FEE: Record<Chain, () => bigint> = {
  bitcoin: () => 2_000n,
  ethereum: () => 42_000_000_000_000n,
  tron: () => 1_000_000n,
};

export function transactions(
  rng: Rng,
  ledger: Ledger,
  operators: readonly OperatorBuild[],
  start: number,
  days: number,
  backgroundPerDay: number,
): Transaction[] {
  const out: { at: number; tx: Transaction }[] = [];
  const end = start + days * DAY;
  const push = (at: number, chain: Chain, from: Transfer[], to: Transfer[]) => {
    const t = Math.min(Math.max(at, start), end - 1);
    out.push({
      at: t,
      tx: {
        chain,
        tx_hash: txHash(rng, chain),
        time: new Date(Math.round(t)).toISOString(),
        asset: ASSET[chain],
        from,
        to,
        fee: FEE[chain]().toString(),
      },
    });
  };
  /** A one-to-one transfer; Bitcoin adds a change output back to a fresh address of the sender's. */
  const transfer = (at: number, from: Wallet, to: Wallet, amount: string, change?: Wallet) => {
    if (from.chain === 'bitcoin') {
      const a = BigInt(amount);
      const input = a + BigInt(rng.int(10_000, 5_000_000)) + FEE.bitcoin();
      const outs: Transfer[] = [{ address: to.address, amount: a.toString() }];
      const rest = input - a - FEE.bitcoin();
      outs.push({ address: (change ?? newWallet(rng, 'bitcoin')).address, amount: rest.toString() });
      push(at, 'bitcoin', [{ address: from.address, amount: input.toString() }], rng.shuffle(outs));
    } else push(at, from.chain, [{ address: from.address, amount }], [{ address: to.address, amount }]);
  };

  // Every wallet that pays a provider is funded from an exchange first (exchange wallets fund themselves).
  const exchangeSet = new Set([...ledger.exchanges.values()].flat().map((w) => w.address));
  const funded = new Set<string>();
  for (const p of [...ledger.payments].sort((a, b) => a.at - b.at)) {
    if (!exchangeSet.has(p.from.address) && !funded.has(p.from.address)) {
      funded.add(p.from.address);
      transfer(
        p.at - rng.range(2, 72) * HOUR,
        ledger.exchange(p.from.chain),
        p.from,
        baseUnits(p.from.chain, p.usd * rng.range(1.5, 6)),
      );
    }
    transfer(p.at, p.from, p.to, baseUnits(p.from.chain, p.usd));
  }

  // Operators: funding for wallets that never paid, then consolidation into the cash-out cluster.
  for (const op of operators) {
    for (const w of op.wallets)
      if (!funded.has(w.address)) {
        funded.add(w.address);
        transfer(
          op.preparedAt - rng.range(1, 48) * HOUR,
          ledger.exchange(w.chain),
          w,
          baseUnits(w.chain, rng.int(100, 900)),
        );
      }
    const sweeps = rng.int(2, 5);
    for (let s = 0; s < sweeps; s++) {
      const at = op.goLiveAt + rng.range(0.5, 6) * DAY;
      for (const chain of new Set(op.wallets.map((w) => w.chain))) {
        const mine = op.wallets.filter((w) => w.chain === chain);
        const dest = op.cashOut.find((w) => w.chain === chain) ?? (op.cashOut[0] as Wallet);
        let target = dest;
        if (dest.chain !== chain) {
          target = newWallet(rng, chain);
          op.sweptTo.push(target);
        }
        if (chain === 'bitcoin' && mine.length > 1) {
          // One transaction spending several of the operator's addresses: common-input ownership.
          const ins = mine.map((w) => ({
            address: w.address,
            amount: baseUnits('bitcoin', rng.int(50, 600)),
          }));
          const total = ins.reduce((n, i) => n + BigInt(i.amount), 0n) - FEE.bitcoin();
          push(at, 'bitcoin', ins, [{ address: target.address, amount: total.toString() }]);
        } else
          for (const w of mine) transfer(at + rng.exp(HOUR), w, target, baseUnits(chain, rng.int(50, 600)));
      }
    }
    // The cash-out cluster pays out to exchanges.
    for (const c of op.cashOut)
      transfer(
        op.goLiveAt + rng.range(3, 10) * DAY,
        c,
        ledger.exchange(c.chain),
        baseUnits(c.chain, rng.int(500, 3000)),
      );
  }

  // Honest background: withdrawals, deposits and hot-wallet consolidations.
  const strangers = new Map<Chain, Wallet[]>(
    CHAINS.map((c) => [c, Array.from({ length: 40 }, () => newWallet(rng, c))]),
  );
  const n = Math.round(backgroundPerDay * days);
  for (let i = 0; i < n; i++) {
    const chain = rng.pick(CHAINS);
    const at = start + rng.next() * days * DAY;
    const pool = strangers.get(chain) as Wallet[];
    const r = rng.next();
    if (r < 0.45) transfer(at, ledger.exchange(chain), rng.pick(pool), baseUnits(chain, rng.int(10, 5000)));
    else if (r < 0.85)
      transfer(at, rng.pick(pool), ledger.exchange(chain), baseUnits(chain, rng.int(10, 5000)));
    else if (chain === 'bitcoin') {
      const ins = Array.from({ length: rng.int(3, 12) }, () => ({
        address: newWallet(rng, 'bitcoin').address,
        amount: baseUnits('bitcoin', rng.int(20, 800)),
      }));
      const total = ins.reduce((s, x) => s + BigInt(x.amount), 0n) - FEE.bitcoin();
      push(at, 'bitcoin', ins, [{ address: ledger.exchange('bitcoin').address, amount: total.toString() }]);
    } else transfer(at, rng.pick(pool), rng.pick(pool), baseUnits(chain, rng.int(5, 500)));
  }
  out.sort((a, b) => a.at - b.at);
  return out.map((o) => o.tx);
}
