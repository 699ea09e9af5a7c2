/**
 * Campaign ids that survive reclusters. A new clustering is matched to the previous campaigns by
 * member overlap; every id that continues, merges, splits, dissolves or is created is recorded as an
 * event, so an analyst's case on `C-…` keeps pointing at the same operation as it grows.
 *
 * Matching rule (Precursor's own, hence hand-written): a previous campaign P and a new cluster N match
 * when they share at least half of the smaller of the two (overlap coefficient ≥ `minOverlap`). Pairs are
 * taken greedily by overlap, largest first, each id used once; so a growing campaign keeps its id, the
 * larger part of a split keeps it, and the campaign contributing most to a merge lends its id.
 * @module
 */
import { createHash } from 'node:crypto';

export interface CampaignSet {
  readonly id: string;
  readonly members: readonly string[];
}

export type CampaignEvent =
  | { readonly type: 'created'; readonly id: string; readonly size: number }
  | { readonly type: 'continued'; readonly id: string; readonly size: number; readonly previousSize: number }
  | { readonly type: 'merged'; readonly into: string; readonly from: readonly string[] }
  | { readonly type: 'split'; readonly from: string; readonly into: readonly string[] }
  | { readonly type: 'dissolved'; readonly id: string };

export interface IdAssignment {
  readonly campaigns: readonly CampaignSet[];
  readonly events: readonly CampaignEvent[];
}

export interface IdOptions {
  /** Overlap coefficient |P ∩ N| / min(|P|, |N|) at which N continues P. */
  readonly minOverlap?: number;
  /** Prefix of minted ids. */
  readonly prefix?: string;
}

/**
 * A deterministic id for a new campaign: the hash of its smallest member key, so a replay of the same
 * observations mints the same ids.
 */
export function mintCampaignId(members: readonly string[], prefix = 'C-'): string {
  let min = members[0] ?? '';
  for (const m of members) if (m < min) min = m;
  return prefix + createHash('sha256').update(min).digest('hex').slice(0, 12);
}

export function assignCampaignIds(
  previous: readonly CampaignSet[],
  next: readonly (readonly string[])[],
  options: IdOptions = {},
): IdAssignment {
  const minOverlap = options.minOverlap ?? 0.5;
  const prefix = options.prefix ?? 'C-';
  const prevOf = new Map<string, number>();
  previous.forEach((p, i) => {
    for (const m of p.members) prevOf.set(m, i);
  });
  // overlaps[j]: previous index → shared members, for each new cluster j.
  const overlaps = next.map((members) => {
    const o = new Map<number, number>();
    for (const m of members) {
      const i = prevOf.get(m);
      if (i !== undefined) o.set(i, (o.get(i) ?? 0) + 1);
    }
    return o;
  });
  const matches = (i: number, j: number, shared: number) =>
    shared >= minOverlap * Math.min(previous[i]!.members.length, next[j]!.length);
  const candidates: Array<{ i: number; j: number; shared: number }> = [];
  overlaps.forEach((o, j) => {
    for (const [i, shared] of o) if (matches(i, j, shared)) candidates.push({ i, j, shared });
  });
  candidates.sort(
    (x, y) =>
      y.shared - x.shared ||
      (previous[x.i]!.id < previous[y.i]!.id ? -1 : previous[x.i]!.id > previous[y.i]!.id ? 1 : x.j - y.j),
  );
  const idOfNext: Array<string | undefined> = new Array(next.length);
  const keptBy = new Map<number, number>();
  for (const { i, j } of candidates) {
    if (keptBy.has(i) || idOfNext[j] !== undefined) continue;
    keptBy.set(i, j);
    idOfNext[j] = previous[i]!.id;
  }
  const used = new Set<string>(previous.map((p) => p.id));
  const events: CampaignEvent[] = [];
  next.forEach((members, j) => {
    if (idOfNext[j] !== undefined) return;
    let id = mintCampaignId(members, prefix);
    for (let k = 2; used.has(id); k++) id = `${mintCampaignId(members, prefix)}-${k}`;
    used.add(id);
    idOfNext[j] = id;
    events.push({ type: 'created', id, size: members.length });
  });

  const campaigns = next.map((members, j) => ({ id: idOfNext[j]!, members }));
  for (const [i, j] of keptBy)
    events.push({
      type: 'continued',
      id: previous[i]!.id,
      size: next[j]!.length,
      previousSize: previous[i]!.members.length,
    });

  // Splits: a previous campaign whose members now make a substantial part of several clusters.
  // Merges: a previous campaign whose id was not kept and whose main successor carries another id.
  const mergedInto = new Map<string, string[]>();
  previous.forEach((p, i) => {
    const parts: Array<{ j: number; shared: number }> = [];
    overlaps.forEach((o, j) => {
      const shared = o.get(i);
      if (shared !== undefined && matches(i, j, shared)) parts.push({ j, shared });
    });
    parts.sort((a, b) => b.shared - a.shared || a.j - b.j);
    const kept = keptBy.get(i);
    if (kept !== undefined) {
      if (parts.length > 1)
        events.push({ type: 'split', from: p.id, into: parts.map(({ j }) => idOfNext[j]!) });
      return;
    }
    const main = parts[0];
    if (!main) {
      events.push({ type: 'dissolved', id: p.id });
      return;
    }
    const into = idOfNext[main.j]!;
    const list = mergedInto.get(into) ?? [];
    list.push(p.id);
    mergedInto.set(into, list);
    if (parts.length > 1)
      events.push({ type: 'split', from: p.id, into: parts.map(({ j }) => idOfNext[j]!) });
  });
  for (const [into, from] of mergedInto) events.push({ type: 'merged', into, from: from.sort() });
  return { campaigns, events };
}
