import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clusterWallets,
  DEFAULT_WALLET_CLUSTER_CONFIG,
  walletClusterPivots,
  type WalletTransaction,
} from './wallet-clusters.js';

const btc = (from: string[], to: string[], outputAmounts?: string[]): WalletTransaction => ({
  chain: 'bitcoin',
  from,
  to,
  ...(outputAmounts ? { outputAmounts } : {}),
});
const trx = (from: string, to: string): WalletTransaction => ({ chain: 'tron', from: [from], to: [to] });
const members = (r: ReturnType<typeof clusterWallets>) =>
  r.clusters.map((c) => c.members.map((m) => m.split(':')[2]).join(','));

describe('wallet clustering', () => {
  it('joins the inputs of UTXO transactions, transitively, but not a CoinJoin', () => {
    const r = clusterWallets([
      btc(['A', 'B'], ['Z', 'Z2']),
      btc(['B', 'C'], ['Y', 'Y2']),
      btc(['D', 'E', 'F'], ['D2', 'E2', 'F2'], ['100', '100', '100']),
    ]);
    assert.deepEqual(members(r), ['A,B,C']);
    assert.equal(r.coinJoins, 1);
  });

  it('takes the one output of a sweep into its owner, when only sweeps ever paid it', () => {
    // An operator sweeps its two wallets into a cash-out address, twice; an honest payer sends two
    // inputs to a provider's deposit address that others pay too, and one to a merchant it pays with
    // change.
    const r = clusterWallets([
      btc(['A', 'B'], ['CASH']),
      btc(['A', 'B'], ['CASH']),
      btc(['H1', 'H2'], ['DEPOSIT']),
      btc(['K'], ['DEPOSIT']),
      btc(['H1', 'H3'], ['SHOP', 'H1']),
    ]);
    assert.deepEqual(members(r), ['A,B,CASH', 'H1,H2,H3']);
    // A sweep into an address a stranger also paid ties nothing more.
    assert.deepEqual(members(clusterWallets([btc(['A', 'B'], ['CASH']), btc(['X'], ['CASH', 'X'])])), [
      'A,B',
    ]);
  });

  it('ties account wallets by a direct transfer beside a shared counterparty, not by counterparties alone', () => {
    // A shared funder and a shared destination: what two customers of one exchange and one provider share.
    const txs = [trx('G', 'W1'), trx('G', 'W2'), trx('W1', 'X'), trx('W2', 'X')];
    // Victims each pay one operator wallet once: one shared counterparty, never a tie.
    for (let i = 0; i < 5; i++) txs.push(trx(`V${i}`, 'W1'));
    assert.deepEqual(clusterWallets(txs).clusters, []);
    // A transfer between the two beside them ties them (and the triangles of transfers around them:
    // the funder that paid both, the destination both paid).
    assert.deepEqual(members(clusterWallets([...txs, trx('W1', 'W2')])), ['G,W1,W2,X']);
  });

  it('ties two wallets that transfer to each other both ways, not one that paid once', () => {
    const r = clusterWallets([trx('P', 'Q'), trx('Q', 'P'), trx('P', 'R'), trx('P', 'R')]);
    assert.deepEqual(members(r), ['P,Q']);
  });

  it('discounts exchanges and other hubs', () => {
    const txs: WalletTransaction[] = [];
    for (let i = 0; i < 50; i++) txs.push(trx(`U${i}`, 'EXCHANGE'), trx('EXCHANGE', `U${i}`));
    const r = clusterWallets(txs);
    assert.deepEqual(r.clusters, []);
    assert.deepEqual(r.hubs, ['wallet:tron:EXCHANGE']);
    const listed = clusterWallets([trx('G', 'W1'), trx('G', 'W2'), trx('W1', 'X'), trx('W2', 'X')], {
      utxoChains: ['bitcoin'],
      hubCap: 20,
      knownHubs: new Set(['wallet:tron:X']),
    });
    assert.deepEqual(listed.clusters, [], 'a listed exchange ties nobody, however few its partners');
  });

  it('does not tie two customers of the same merchants and exchange: counterparties count once', () => {
    // Two operators' wallets each pay both providers' deposit addresses and withdrew from one exchange
    // (few partners each in a small store).
    const txs = [
      trx('OP1', 'DEPOSIT-A'),
      trx('OP1', 'DEPOSIT-B'),
      trx('OP2', 'DEPOSIT-A'),
      trx('OP2', 'DEPOSIT-B'),
      trx('EXCHANGE', 'OP1'),
      trx('EXCHANGE', 'OP2'),
    ];
    assert.deepEqual(clusterWallets(txs).clusters, []);
  });

  it('learns the hub cap from the partner counts: an exchange with 12 partners stands out in a small store', () => {
    const txs: WalletTransaction[] = [];
    // Twelve customers withdraw from one exchange; each pays a merchant of its own (2 partners each).
    for (let i = 0; i < 12; i++) txs.push(trx('EXCHANGE', `U${i}`), trx(`U${i}`, `M${i}`));
    // Two of them also transfer to each other: the exchange is no second shared counterparty.
    txs.push(trx('U0', 'U1'));
    const r = clusterWallets(txs);
    assert.deepEqual(r.hubs, ['wallet:tron:EXCHANGE']);
    assert.deepEqual(r.clusters, []);
    assert.deepEqual(
      clusterWallets(txs, { ...DEFAULT_WALLET_CLUSTER_CONFIG, hubFloor: 20 }).hubs,
      [],
      'under the old fixed cap of 20 it was no hub',
    );
  });

  it('does not tie a wallet to one that serves it as one customer among many, below any hub cap', () => {
    // An exchange's hot wallet in a small store: five customers, each active elsewhere (they withdraw
    // and pay a shop of their own), deposit to it or withdraw from it. It funds an operator's wallet,
    // and pays the provider's deposit address the operator pays, on behalf of an honest customer who
    // pays straight from the exchange. A transfer beside a shared counterparty, yet no one owner.
    const txs: WalletTransaction[] = [];
    for (let i = 0; i < 5; i++) txs.push(trx('HOT', `C${i}`), trx(`C${i}`, `SHOP${i}`));
    txs.push(trx('HOT', 'OPW'), trx('OPW', 'DEPOSIT'), trx('HOT', 'DEPOSIT'), trx('OPW2', 'DEPOSIT'));
    const fixed = { ...DEFAULT_WALLET_CLUSTER_CONFIG, hubFloor: 20 };
    const r = clusterWallets(txs, fixed);
    assert.deepEqual(r.hubs, [], 'with 7 partners it is no hub');
    assert.deepEqual(r.clusters, []);
    // The operator's own second wallet, funded by the first, still ties: the two deal with the same
    // few counterparties (and, as above, the deposit address both paid comes with them).
    assert.deepEqual(members(clusterWallets([...txs, trx('OPW', 'OPW2')], fixed)), ['DEPOSIT,OPW,OPW2']);
  });

  it('turns clusters into pivots with stable ids', () => {
    const r = clusterWallets([btc(['A', 'B'], ['Z', 'Z2'])]);
    const again = clusterWallets([btc(['B', 'A'], ['Y', 'Y2'])]);
    assert.equal(r.clusters[0]?.id, again.clusters[0]?.id);
    assert.deepEqual(
      walletClusterPivots(r).map((p) => p.wallet),
      ['wallet:bitcoin:A', 'wallet:bitcoin:B'],
    );
  });
});
