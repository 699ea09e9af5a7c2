/**
 * Who holds which wallet, and the crypto payments the tenant side promises (a provider invoice paid
 * from a wallet must show up on chain). The transaction generator turns the ledger into transfers.
 * @module
 */
import type { Rng } from '../rng.js';
import { type Chain, newWallet, type Wallet } from '../wallets.js';

export const CHAINS: readonly Chain[] = ['bitcoin', 'ethereum', 'tron'];
/** Rough prices that turn a USD invoice into base units. */
const USD_PER_COIN: Record<Chain, number> = { bitcoin: 65_000, ethereum: 3_200, tron: 1 };

/** The asset a chain's payments use here: BTC, ETH or USDT on TRON. */
export const ASSET: Record<Chain, string> = { bitcoin: 'BTC', ethereum: 'ETH', tron: 'USDT' };

/** An invoice amount in the chain's base unit (satoshi, wei, USDT's 6-decimal unit), as a string. */
export function baseUnits(chain: Chain, usd: number): string {
  if (chain === 'bitcoin') return String(Math.round((usd / USD_PER_COIN.bitcoin) * 1e8));
  if (chain === 'ethereum')
    return (BigInt(Math.round((usd / USD_PER_COIN.ethereum) * 1e9)) * 10n ** 9n).toString();
  return String(Math.round(usd * 1e6));
}

export interface Payment {
  readonly at: number;
  readonly from: Wallet;
  readonly to: Wallet;
  readonly usd: number;
}

export class Ledger {
  /** Each provider's deposit addresses per chain (shared by every customer paying that way). */
  readonly deposits = new Map<string, Wallet[]>();
  /** Exchange hot wallets per chain: where honest and criminal funds alike come from and go to. */
  readonly exchanges = new Map<Chain, Wallet[]>();
  readonly payments: Payment[] = [];

  constructor(
    private readonly rng: Rng,
    providers: readonly string[],
  ) {
    for (const p of providers)
      for (const c of CHAINS)
        this.deposits.set(
          `${p}/${c}`,
          Array.from({ length: 2 }, () => newWallet(rng, c)),
        );
    for (const c of CHAINS)
      this.exchanges.set(
        c,
        Array.from({ length: 6 }, () => newWallet(rng, c)),
      );
  }

  deposit(provider: string, chain: Chain): Wallet {
    return this.rng.pick(this.deposits.get(`${provider}/${chain}`) as Wallet[]);
  }

  exchange(chain: Chain): Wallet {
    return this.rng.pick(this.exchanges.get(chain) as Wallet[]);
  }

  pay(at: number, from: Wallet, provider: string, usd: number): void {
    this.payments.push({ at, from, to: this.deposit(provider, from.chain), usd });
  }
}
