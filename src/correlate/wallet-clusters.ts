/**
 * Wallet clustering with the standard heuristics, on plain transaction lists:
 *
 * - UTXO chains: common-input ownership — the inputs of one transaction are spent by one owner (a
 *   strong pivot), except in a transaction that looks like a CoinJoin; and consolidation — the one
 *   output of a sweep (two or more inputs, one output, no change) is the owner's when only sweeps ever
 *   paid it;
 * - account chains: a direct transfer is a medium pivot per direction; shared counterparties (both
 *   wallets pay the same wallet, or are paid by the same one) are one more, however many and of
 *   whichever role: two of them tie a pair — transfers both ways, or a transfer and a shared
 *   counterparty — one never does, so a victim who paid an operator once is not the operator, and two
 *   customers who withdrew from one exchange and pay one provider are not one owner;
 * - service discount, per pair: a wallet that deals with one of a pair as a service deals with a
 *   customer (it has more counterparties unrelated to that wallet than shared with it, at least two)
 *   gives that pair neither a transfer nor a shared counterparty — an exchange's hot wallet in a small
 *   store, too few partners to stand out as a hub, funding an operator's wallet and paying the provider
 *   it pays on behalf of another customer;
 * - hub discount: a counterparty whose distinct partners stand out from the data's (an exchange
 *   deposit or hot wallet, a provider's deposit address, a payment processor, a popular contract;
 *   cap learned, at most `hubCap`) or on the `knownHubs` list ties nobody.
 *
 * The pivots then run through the same conjunction clustering as the entity graph (cluster.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import { looksLikeCoinJoin } from '../domain/index.js';
import { cluster, DEFAULT_CLUSTER_CONFIG, outlierBound } from './cluster.js';
import { PivotClass, PivotGraphBuilder } from './pivot-graph.js';

export interface WalletTransaction {
  readonly chain: string;
  /** Canonical addresses (as in `wallet:<chain>:<address>`). */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Output amounts, for the CoinJoin test of UTXO transactions. */
  readonly outputAmounts?: readonly string[];
}

export interface WalletClusterConfig {
  readonly utxoChains: readonly string[];
  /**
   * A counterparty with more distinct partners than its cap is a hub and ties nobody. The cap is
   * learned from the data as the ubiquity cap of entity values is (`learnCaps`): exp(median + 3 ·
   * spread) of the log partner counts (`outlierBound`) of wallets with two or more partners, within
   * [`hubFloor`, `hubCap`] — in a small store an exchange's hot wallet or a provider's deposit address
   * has 10 or 17 partners, not the hundreds a fixed cap expects, and still stands out.
   */
  readonly hubCap: number;
  readonly hubFloor?: number;
  /** Wallet keys known to be exchanges or other hubs. */
  readonly knownHubs: ReadonlySet<string>;
}

export const DEFAULT_WALLET_CLUSTER_CONFIG: WalletClusterConfig = {
  utxoChains: ['bitcoin'],
  hubCap: 20,
  hubFloor: 8,
  knownHubs: new Set(),
};

export interface WalletCluster {
  /** `wallet-cluster:<hash of the smallest member>`: stable while the cluster keeps that member. */
  readonly id: string;
  readonly members: readonly string[];
}

export interface WalletClustering {
  readonly clusters: readonly WalletCluster[];
  /** Counterparties that were discounted as hubs. */
  readonly hubs: readonly string[];
  readonly coinJoins: number;
}

/**
 * Value kinds of the wallet graph. Both roles of a shared counterparty (a wallet both pay, a wallet
 * that paid both) are one kind, counted once per pair: see `clusterWallets`.
 */
const VALUE = { spentWith: 1, paysTo: 2, paidBy: 2 } as const;

export function clusterWallets(
  txs: readonly WalletTransaction[],
  config: WalletClusterConfig = DEFAULT_WALLET_CLUSTER_CONFIG,
): WalletClustering {
  const key = (chain: string, a: string) => `wallet:${chain}:${a}`;
  const utxo = new Set(config.utxoChains);
  // Distinct partners per wallet, for the hub test.
  const partners = new Map<string, Set<string>>();
  const meet = (a: string, b: string) => {
    let s = partners.get(a);
    if (!s) {
      s = new Set();
      partners.set(a, s);
    }
    s.add(b);
  };
  for (const t of txs)
    for (const f of t.from)
      for (const r of t.to) {
        if (f === r) continue;
        meet(key(t.chain, f), key(t.chain, r));
        meet(key(t.chain, r), key(t.chain, f));
      }
  const cap = learnedHubCap(partners, config);
  const isHub = (k: string) => config.knownHubs.has(k) || (partners.get(k)?.size ?? 0) > cap;
  const serving = new Map<string, boolean>();
  /**
   * Whether `x` deals with `y` as a service deals with one customer among many: `x` has at least two
   * counterparties that are active elsewhere (two or more partners of their own) and have nothing to do
   * with `y`, and more of them than it shares with `y`. In a small store an exchange's hot wallet has 8
   * partners, under any cap learned from the partner counts (operators' wallets have up to 10, with
   * change), but its customers are strangers to each other; an owner's own wallets deal with the same
   * few counterparties. One-off partners (a change output, a victim who paid once) say nothing either
   * way; hubs are nobody's relation. A transfer with a wallet that serves the other end, or a
   * counterparty that serves one of a pair, is no evidence that the two are one owner.
   */
  const serves = (x: string, y: string): boolean => {
    const memo = `${x}|${y}`;
    const known = serving.get(memo);
    if (known !== undefined) return known;
    const theirs = partners.get(y);
    let unrelated = 0;
    let shared = 0;
    for (const p of partners.get(x) ?? []) {
      if (p === y || isHub(p) || (partners.get(p)?.size ?? 0) < 2) continue;
      if (theirs?.has(p)) shared++;
      else unrelated++;
    }
    const r = unrelated >= 2 && unrelated > shared;
    serving.set(memo, r);
    return r;
  };

  // Sweeps: a UTXO transaction that spends two or more inputs into one output and no change moves
  // everything its owner held there (consolidation). Its output is the owner's too when nothing but
  // such sweeps ever paid it: an exchange's or provider's deposit address is paid by others as well,
  // and a victim's payment never has that shape.
  const sweptBy = new Map<string, boolean>();
  for (const t of txs) {
    if (!utxo.has(t.chain)) continue;
    const ins = new Set(t.from);
    const outs = new Set(t.to);
    const sweep = ins.size >= 2 && outs.size === 1;
    for (const r of outs) {
      if (ins.has(r)) continue;
      const k = key(t.chain, r);
      sweptBy.set(k, (sweptBy.get(k) ?? true) && sweep);
    }
  }
  const b = new PivotGraphBuilder();
  const direct = new Set<string>();
  let coinJoins = 0;
  for (const t of txs) {
    const ins = [...new Set(t.from.map((a) => key(t.chain, a)))];
    const outs = [...new Set(t.to.map((a) => key(t.chain, a)))];
    for (const w of [...ins, ...outs]) b.node(w);
    if (utxo.has(t.chain)) {
      if (looksLikeCoinJoin(ins.length, t.outputAmounts ?? [])) {
        coinJoins++;
        continue;
      }
      for (const w of ins.slice(1)) b.edge(b.node(ins[0]!), b.node(w), PivotClass.strong);
      const out = outs[0];
      if (ins.length >= 2 && outs.length === 1 && out && sweptBy.get(out) === true && !isHub(out))
        b.edge(b.node(ins[0]!), b.node(out), PivotClass.strong);
      continue;
    }
    for (const f of ins)
      for (const r of outs) {
        if (f === r) continue;
        // One medium pivot per direction, however many times it repeats.
        const d = `${f}>${r}`;
        if (!direct.has(d) && !isHub(f) && !isHub(r) && !serves(f, r) && !serves(r, f)) {
          direct.add(d);
          b.edge(b.node(f), b.node(r), PivotClass.medium);
        }
        if (!isHub(r) && !serves(r, f))
          b.edge(b.node(f), b.node(`pays-to:${r}`, VALUE.paysTo), PivotClass.medium);
        if (!isHub(f) && !serves(f, r))
          b.edge(b.node(r), b.node(`paid-by:${f}`, VALUE.paidBy), PivotClass.medium);
      }
  }
  const g = b.build();
  // Shared counterparties, of either role and however many, are one piece of evidence: honest
  // customers share them all the time — the exchange they withdrew from, the provider's deposit address
  // they pay — and in a small store neither stands out as a hub by its partner count (an exchange with
  // 9 partners tied an honest payer to an operator's wallet). A tie needs a direct transfer beside it,
  // or transfers both ways.
  const r = cluster(g, {
    ...DEFAULT_CLUSTER_CONFIG,
    collapseKinds: [VALUE.paysTo],
    mediumCap: cap,
    alarmSize: Number.MAX_SAFE_INTEGER,
    // Islands joined by pivots shared between groups would be wallets tied by the counterparties they
    // share, which the rule above refuses on purpose.
    islandSize: 0,
  });
  const groups = new Map<number, string[]>();
  for (let v = 0; v < g.nodeCount; v++) {
    const k = b.keys[v]!;
    if (!k.startsWith('wallet:')) continue;
    const c = r.component[v]!;
    const list = groups.get(c);
    if (list) list.push(k);
    else groups.set(c, [k]);
  }
  const clusters: WalletCluster[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.sort();
    const id = `wallet-cluster:${createHash('sha256').update(members[0]!).digest('hex').slice(0, 16)}`;
    clusters.push({ id, members });
  }
  clusters.sort((x, y) => y.members.length - x.members.length || (x.id < y.id ? -1 : 1));
  const hubs = [...partners.keys()].filter(isHub).sort();
  return { clusters, hubs, coinJoins };
}

/** The hub cap in force: learned from the partner counts, within [hubFloor, hubCap]. */
export function learnedHubCap(
  partners: ReadonlyMap<string, ReadonlySet<string>>,
  config: Pick<WalletClusterConfig, 'hubCap' | 'hubFloor'>,
): number {
  const floor = Math.min(config.hubFloor ?? config.hubCap, config.hubCap);
  const logs: number[] = [];
  for (const s of partners.values()) if (s.size >= 2) logs.push(Math.log(s.size));
  if (logs.length === 0) return config.hubCap;
  const learned = Math.floor(Math.exp(outlierBound(logs, 3)));
  return Math.max(floor, Math.min(config.hubCap, learned));
}

/** Wallet-cluster pivots: each member is tied (strongly) to its cluster's value node. */
export function walletClusterPivots(
  clustering: WalletClustering,
): Array<{ readonly wallet: string; readonly cluster: string }> {
  return clustering.clusters.flatMap((c) => c.members.map((wallet) => ({ wallet, cluster: c.id })));
}
