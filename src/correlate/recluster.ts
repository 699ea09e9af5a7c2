/**
 * One full recluster, end to end over plain data: components (cluster.ts), Louvain only inside the
 * components too big to be one campaign (communities.ts), then ids matched to the previous campaigns
 * (campaign-ids.ts). This is what the correlate stage runs periodically and when the incremental
 * structure turns stale.
 * @module
 */
import { assignCampaignIds, type CampaignEvent, type CampaignSet, type IdOptions } from './campaign-ids.js';
import {
  type ClusterConfig,
  type ClusterResult,
  cluster,
  DEFAULT_CLUSTER_CONFIG,
  hubCut,
} from './cluster.js';
import { DEFAULT_SPLIT_CONFIG, type SplitConfig, splitComponent } from './communities.js';
import { PivotClass, type PivotGraph } from './pivot-graph.js';

export interface ReclusterOptions {
  readonly cluster?: ClusterConfig;
  readonly split?: SplitConfig;
  readonly ids?: IdOptions;
  /** Smallest number of member entities that makes a campaign (default 2). */
  readonly minMembers?: number;
}

export interface ReclusterResult {
  readonly campaigns: readonly CampaignSet[];
  readonly events: readonly CampaignEvent[];
  readonly clustering: ClusterResult;
  /** Components that were split, with the number of parts. */
  readonly splits: ReadonlyArray<{ readonly size: number; readonly parts: number }>;
}

export interface GroupsResult {
  /** Node ids of each group (a component, or a part of a split one) with two or more nodes. */
  readonly groups: readonly (readonly number[])[];
  readonly clustering: ClusterResult;
  readonly splits: ReadonlyArray<{ readonly size: number; readonly parts: number }>;
}

/** Components, with Louvain inside the ones too big to be one campaign: the groups before any ids. */
export function clusterGroups(g: PivotGraph, options: ReclusterOptions = {}): GroupsResult {
  const split = options.split ?? DEFAULT_SPLIT_CONFIG;
  const r = cluster(g, options.cluster ?? DEFAULT_CLUSTER_CONFIG);
  const byComponent = new Map<number, number[]>();
  for (let v = 0; v < g.nodeCount; v++) {
    const c = r.component[v]!;
    if (r.sizes[c]! < 2) continue;
    const list = byComponent.get(c);
    if (list) list.push(v);
    else byComponent.set(c, [v]);
  }
  const groups: number[][] = [];
  const splits: Array<{ size: number; parts: number }> = [];
  for (const nodes of byComponent.values()) {
    if (nodes.length <= split.splitAbove) {
      groups.push(nodes);
      continue;
    }
    // Louvain sees the conducting edges inside the component: strong ones weigh 1, medium ones 0.5.
    const c = r.component[nodes[0]!]!;
    const edges: Array<[number, number, number]> = [];
    for (const v of nodes)
      for (let i = r.csr.off[v]!; i < r.csr.off[v + 1]!; i++) {
        const w = r.csr.adj[i]!;
        if (w <= v || r.component[w] !== c || !r.conducting[w] || !r.conducting[v]) continue;
        if (hubCut(r.hubs, r.hubKind, g.kind, v, w)) continue;
        const cls = r.csr.cls[i]!;
        if (cls === PivotClass.weak) continue;
        edges.push([v, w, cls === PivotClass.strong ? 1 : 0.5]);
      }
    const parts = splitComponent(nodes, edges, split);
    splits.push({ size: nodes.length, parts: parts.length });
    groups.push(...parts);
  }
  return { groups, clustering: r, splits };
}

/**
 * `keys[v]` is the entity key of node v. Campaign members are the member entities (kind 0) and the
 * shared values that conduct inside the group; a group with fewer than `minMembers` member entities is
 * no campaign.
 */
export function recluster(
  g: PivotGraph,
  keys: readonly string[],
  previous: readonly CampaignSet[],
  options: ReclusterOptions = {},
): ReclusterResult {
  const minMembers = options.minMembers ?? 2;
  const { groups, clustering, splits } = clusterGroups(g, options);
  const memberSets = groups
    .filter((nodes) => nodes.filter((v) => g.kind[v] === 0).length >= minMembers)
    .map((nodes) => nodes.map((v) => keys[v]!).sort());
  const { campaigns, events } = assignCampaignIds(previous, memberSets, options.ids);
  return { campaigns, events, clustering, splits };
}
