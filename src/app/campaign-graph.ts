/**
 * A campaign as a network for the dashboard: its members (shared values such as certificates and
 * wallets are members too) and the stored links among them, each with the class the correlate stage
 * gives it (strong, medium, weak) — so what the graph shows as a thick or a faint edge is what tied, or
 * did not tie, the campaign together.
 * @module
 */
import type { PivotModel } from '../correlate/pivots.js';
import { CLASS_NAMES, linkClass } from '../correlate/store-graph.js';
import type { EntityKey, LinkPivot } from '../domain/index.js';
import type { CampaignMember } from '../store/campaigns.js';
import type { Store } from '../store/store.js';
import { campaignDetail } from './campaigns-service.js';

export interface CampaignGraphEdge {
  readonly from: string;
  readonly to: string;
  readonly pivot: LinkPivot;
  readonly strength: (typeof CLASS_NAMES)[number];
  /** The link's own strength, 0..1. */
  readonly weight: number;
}

export interface CampaignGraph {
  readonly id: string;
  readonly nodes: readonly CampaignMember[];
  readonly edges: readonly CampaignGraphEdge[];
  /** Edges past `maxEdges` were left out (the strongest are kept). */
  readonly truncated: boolean;
}

/** Links are read per member; this many members' reads are in flight at once. */
const CONCURRENCY = 32;

export async function campaignGraph(
  store: Store,
  pivots: PivotModel,
  id: string,
  options: { maxEdges?: number } = {},
): Promise<CampaignGraph> {
  const c = await campaignDetail(store, id);
  const members = new Set<string>(c.members.map((m) => m.key));
  const edges = new Map<string, CampaignGraphEdge>();
  const keys = [...members];
  for (let i = 0; i < keys.length; i += CONCURRENCY) {
    const batch = await Promise.all(
      keys.slice(i, i + CONCURRENCY).map((k) => store.entities.links(k as EntityKey)),
    );
    for (const links of batch)
      for (const l of links) {
        if (l.from === l.to || !members.has(l.from) || !members.has(l.to)) continue;
        const [a, b] = l.from < l.to ? [l.from, l.to] : [l.to, l.from];
        const id = `${a}\u0000${b}\u0000${l.pivot}`;
        const cls = linkClass(l.pivot, l.strength, pivots);
        if (cls === undefined) continue;
        const prev = edges.get(id);
        if (!prev || prev.weight < l.strength)
          edges.set(id, { from: a, to: b, pivot: l.pivot, strength: CLASS_NAMES[cls], weight: l.strength });
      }
  }
  const max = options.maxEdges ?? 50_000;
  const all = [...edges.values()];
  const order = { strong: 0, medium: 1, weak: 2 } as const;
  const kept =
    all.length > max
      ? all.sort((x, y) => order[x.strength] - order[y.strength] || y.weight - x.weight).slice(0, max)
      : all;
  return { id: c.id, nodes: c.members, edges: kept, truncated: kept.length < all.length };
}
