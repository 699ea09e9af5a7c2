/**
 * How well a clustering and a set of flags recover a world's operators (pure functions, no I/O):
 * the adjusted Rand index of campaigns against operators over every entity of the world (honest
 * entities, and entities no campaign holds, are singletons), each operator's best campaign by coverage
 * and purity, the largest false component, name recall and benign names flagged, honest accounts
 * flagged. Written here because these figures are the project's own definition of success
 * (issue "Correlation", Done when); the ARI itself is Hubert & Arabie (1985).
 * @module
 */

/** `n` choose 2, exact for any count a world can hold. */
const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index of two partitions of `universe`. Each map assigns an item a cluster id; an item
 * missing from a map is a singleton of that partition. Items outside `universe` are ignored; items of
 * `universe` that neither map mentions count as agreeing singletons. Two partitions that are both
 * all-singletons (or of a one-item universe) are identical: 1.
 */
export function adjustedRandIndex(
  universe: Iterable<string>,
  truth: ReadonlyMap<string, string>,
  predicted: ReadonlyMap<string, string>,
): number {
  let n = 0;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  const ab = new Map<string, number>();
  for (const item of universe) {
    n += 1;
    const t = truth.get(item);
    const p = predicted.get(item);
    if (t !== undefined) a.set(t, (a.get(t) ?? 0) + 1);
    if (p !== undefined) b.set(p, (b.get(p) ?? 0) + 1);
    if (t !== undefined && p !== undefined) {
      const k = `${t.length}:${t}|${p}`;
      ab.set(k, (ab.get(k) ?? 0) + 1);
    }
  }
  let index = 0;
  for (const c of ab.values()) index += pairs(c);
  let sa = 0;
  for (const c of a.values()) sa += pairs(c);
  let sb = 0;
  for (const c of b.values()) sb += pairs(c);
  const total = pairs(n);
  if (total === 0) return 1;
  const expected = (sa * sb) / total;
  const max = (sa + sb) / 2;
  if (max === expected) return 1; // both partitions trivial in the same way
  return (index - expected) / (max - expected);
}

/**
 * Where the pairs that keep the ARI below 1 come from. Over every pair of `universe` items, the ARI
 * compares "same operator" with "same campaign"; with honest entities as singletons it is close to
 * 2 · together / (operatorPairs + campaignPairs), so what it loses is the sum of:
 * - **split** pairs (coverage): two entities of one operator that are not in one campaign — both in
 *   campaigns, but different ones (`splitApart`), or at least one in none (`unclustered`);
 * - **merged** pairs (purity): two entities in one campaign that are not one operator's — of two
 *   different operators (`operatorOperator`), an operator's and an honest one (`operatorHonest`), or
 *   two honest ones (`honestHonest`).
 * Items outside `universe` are ignored, as in `adjustedRandIndex`.
 */
export interface PairBreakdown {
  /** Pairs of one operator (the truth's pairs). */
  readonly operatorPairs: number;
  /** Pairs of one campaign (the clustering's pairs). */
  readonly campaignPairs: number;
  /** Pairs of one operator in one campaign. */
  readonly together: number;
  readonly split: { readonly splitApart: number; readonly unclustered: number };
  readonly merged: {
    readonly operatorOperator: number;
    readonly operatorHonest: number;
    readonly honestHonest: number;
  };
  /** Operator entities in no campaign. */
  readonly unclusteredEntities: number;
}

export function pairBreakdown(
  universe: Iterable<string>,
  truth: ReadonlyMap<string, string>,
  predicted: ReadonlyMap<string, string>,
): PairBreakdown {
  // Per operator: entities, those in no campaign, and the count in each campaign; per campaign: the
  // count of each operator and of honest entities.
  const ops = new Map<string, { n: number; free: number; byCampaign: Map<string, number> }>();
  const camps = new Map<string, { honest: number; byOperator: Map<string, number> }>();
  for (const item of new Set(universe)) {
    const t = truth.get(item);
    const p = predicted.get(item);
    if (t !== undefined) {
      let o = ops.get(t);
      if (!o) {
        o = { n: 0, free: 0, byCampaign: new Map() };
        ops.set(t, o);
      }
      o.n += 1;
      if (p === undefined) o.free += 1;
      else o.byCampaign.set(p, (o.byCampaign.get(p) ?? 0) + 1);
    }
    if (p !== undefined) {
      let c = camps.get(p);
      if (!c) {
        c = { honest: 0, byOperator: new Map() };
        camps.set(p, c);
      }
      if (t === undefined) c.honest += 1;
      else c.byOperator.set(t, (c.byOperator.get(t) ?? 0) + 1);
    }
  }
  let operatorPairs = 0;
  let together = 0;
  let unclustered = 0;
  let unclusteredEntities = 0;
  for (const o of ops.values()) {
    operatorPairs += pairs(o.n);
    for (const k of o.byCampaign.values()) together += pairs(k);
    unclustered += pairs(o.free) + o.free * (o.n - o.free);
    unclusteredEntities += o.free;
  }
  let campaignPairs = 0;
  let operatorOperator = 0;
  let operatorHonest = 0;
  let honestHonest = 0;
  for (const c of camps.values()) {
    let ofOperators = 0;
    let sameOperator = 0;
    for (const k of c.byOperator.values()) {
      ofOperators += k;
      sameOperator += pairs(k);
    }
    campaignPairs += pairs(ofOperators + c.honest);
    operatorOperator += pairs(ofOperators) - sameOperator;
    operatorHonest += ofOperators * c.honest;
    honestHonest += pairs(c.honest);
  }
  return {
    operatorPairs,
    campaignPairs,
    together,
    split: { splitApart: operatorPairs - together - unclustered, unclustered },
    merged: { operatorOperator, operatorHonest, honestHonest },
    unclusteredEntities,
  };
}

export interface BestCampaign {
  readonly operator: string;
  /** Entities of the operator within the universe. */
  readonly size: number;
  readonly campaign: string | null;
  readonly campaignSize: number;
  /** Share of the operator's entities in its best campaign. */
  readonly coverage: number;
  /** Share of that campaign that belongs to the operator. */
  readonly purity: number;
}

/**
 * For each operator, the campaign holding most of its entities (ties: the purer one), with coverage
 * and purity. Campaign members outside `universe` still count towards the campaign's size.
 */
export function bestCampaigns(
  operatorOf: ReadonlyMap<string, string>,
  campaignOf: ReadonlyMap<string, string>,
): BestCampaign[] {
  const sizeOfOperator = new Map<string, number>();
  for (const op of operatorOf.values()) sizeOfOperator.set(op, (sizeOfOperator.get(op) ?? 0) + 1);
  const sizeOfCampaign = new Map<string, number>();
  for (const c of campaignOf.values()) sizeOfCampaign.set(c, (sizeOfCampaign.get(c) ?? 0) + 1);
  const overlap = new Map<string, Map<string, number>>();
  for (const [item, op] of operatorOf) {
    const c = campaignOf.get(item);
    if (c === undefined) continue;
    const m = overlap.get(op) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + 1);
    overlap.set(op, m);
  }
  return [...sizeOfOperator.keys()].sort().map((op) => {
    const size = sizeOfOperator.get(op) as number;
    let best: string | null = null;
    let bestOverlap = 0;
    let bestPurity = 0;
    for (const [c, k] of overlap.get(op) ?? []) {
      const purity = k / (sizeOfCampaign.get(c) as number);
      if (k > bestOverlap || (k === bestOverlap && purity > bestPurity)) {
        best = c;
        bestOverlap = k;
        bestPurity = purity;
      }
    }
    return {
      operator: op,
      size,
      campaign: best,
      campaignSize: best === null ? 0 : (sizeOfCampaign.get(best) as number),
      coverage: bestOverlap / size,
      purity: best === null ? 0 : bestPurity,
    };
  });
}

export interface FalseComponents {
  /** Size of the largest campaign holding no operator entity at all. */
  readonly largestFalseCampaign: number;
  /** The most entities of one campaign that do not belong to its majority operator. */
  readonly mostFalseMembers: number;
  /** Campaigns holding no operator entity. */
  readonly falseCampaigns: number;
}

export function falseComponents(
  operatorOf: ReadonlyMap<string, string>,
  campaignOf: ReadonlyMap<string, string>,
): FalseComponents {
  const members = new Map<string, string[]>();
  for (const [item, c] of campaignOf) {
    const list = members.get(c) ?? [];
    list.push(item);
    members.set(c, list);
  }
  let largestFalseCampaign = 0;
  let mostFalseMembers = 0;
  let falseCampaigns = 0;
  for (const items of members.values()) {
    const byOp = new Map<string, number>();
    for (const i of items) {
      const op = operatorOf.get(i);
      if (op !== undefined) byOp.set(op, (byOp.get(op) ?? 0) + 1);
    }
    const majority = Math.max(0, ...byOp.values());
    if (majority === 0) {
      falseCampaigns += 1;
      largestFalseCampaign = Math.max(largestFalseCampaign, items.length);
    }
    mostFalseMembers = Math.max(mostFalseMembers, items.length - majority);
  }
  return { largestFalseCampaign, mostFalseMembers, falseCampaigns };
}

export interface FlagRates {
  /** Positives flagged / positives. */
  readonly recall: number;
  /** Negatives flagged / negatives. */
  readonly falsePositiveRate: number;
  readonly positives: number;
  readonly negatives: number;
  readonly truePositives: number;
  readonly falsePositives: number;
}

/**
 * Recall over `positives` and false-positive rate over the rest of `universe`, for a set of flagged
 * items (flags outside the universe are ignored). Used for names (operator names vs benign names of
 * `names.txt`) and accounts (operator vs honest accounts).
 */
export function flagRates(
  universe: Iterable<string>,
  positives: ReadonlySet<string>,
  flagged: ReadonlySet<string>,
): FlagRates {
  let p = 0;
  let n = 0;
  let tp = 0;
  let fp = 0;
  for (const item of universe) {
    if (positives.has(item)) {
      p += 1;
      if (flagged.has(item)) tp += 1;
    } else {
      n += 1;
      if (flagged.has(item)) fp += 1;
    }
  }
  return {
    recall: p === 0 ? 1 : tp / p,
    falsePositiveRate: n === 0 ? 0 : fp / n,
    positives: p,
    negatives: n,
    truePositives: tp,
    falsePositives: fp,
  };
}

export interface WorldScore {
  readonly adjustedRandIndex: number;
  /** Where the ARI's lost pairs come from: split operators vs merged campaigns. */
  readonly pairs: PairBreakdown;
  readonly operators: readonly BestCampaign[];
  readonly falseComponents: FalseComponents;
  readonly names: FlagRates;
  readonly accounts: FlagRates;
}

/**
 * Everything above at once. `entities` is the universe of entity keys (every entity of the world the
 * clustering could see); `operatorOf` maps operator entities to their operator (`operatorOfEntities`);
 * `campaignOf` maps clustered entities to campaign ids; `names` is `names.txt` with `operatorNames`
 * the labelled ones; `accounts` every account key with `flaggedAccounts` those flagged.
 */
export function scoreWorld(input: {
  readonly entities: Iterable<string>;
  readonly operatorOf: ReadonlyMap<string, string>;
  readonly campaignOf: ReadonlyMap<string, string>;
  readonly names: Iterable<string>;
  readonly operatorNames: ReadonlySet<string>;
  readonly flaggedNames: ReadonlySet<string>;
  readonly accounts: Iterable<string>;
  readonly operatorAccounts: ReadonlySet<string>;
  readonly flaggedAccounts: ReadonlySet<string>;
}): WorldScore {
  const universe = new Set(input.entities);
  for (const k of input.operatorOf.keys()) universe.add(k);
  return {
    adjustedRandIndex: adjustedRandIndex(universe, input.operatorOf, input.campaignOf),
    pairs: pairBreakdown(universe, input.operatorOf, input.campaignOf),
    operators: bestCampaigns(input.operatorOf, input.campaignOf),
    falseComponents: falseComponents(input.operatorOf, input.campaignOf),
    names: flagRates(input.names, input.operatorNames, input.flaggedNames),
    accounts: flagRates(input.accounts, input.operatorAccounts, input.flaggedAccounts),
  };
}
