/**
 * The correlate stage: reads the entity graph (every stored link) and the assessments, groups the
 * entities into campaigns (components over strong pivots and conjunctions of medium ones, Louvain
 * inside oversized components), keeps campaign ids stable against the previous run (merges, splits
 * and dissolutions recorded on the timeline), lets evidence flow along the campaign's links
 * (`campaign.member` signals, re-assessing the members) and writes everything in one transaction.
 *
 * A group becomes a campaign only when its flags are corroborated (evidence-flow.ts): two flagged
 * members from two independent signal families, or one strong flag. A lone linked burst, or an honest
 * site whose certificate names five of its hosts, is no campaign.
 * @module
 */
import { getDomain } from 'tldts';
import { assess, DEFAULT_THRESHOLDS, type ScoreThresholds } from '../detect/score.js';
import type { Assessment, EntityKey, EntityType, Signal } from '../domain/index.js';
import type {
  CampaignEventWrite,
  CampaignLeadTime,
  CampaignWrite,
  LinkCursor,
  SignalReplacement,
  Store,
} from '../store/store.js';
import { assignCampaignIds, type CampaignEvent } from './campaign-ids.js';
import { campaignView, type ViewLink, type ViewMember } from './campaign-view.js';
import type { ClusterConfig } from './cluster.js';
import type { SplitConfig } from './communities.js';
import {
  campaignEvidence,
  DEFAULT_EVIDENCE_CONFIG,
  type EvidenceConfig,
  type EvidenceMember,
  type MemberSignal,
  signalFamily,
} from './evidence-flow.js';
import { PivotClass } from './pivot-graph.js';
import { DEFAULT_PIVOTS, type PivotModel } from './pivots.js';
import { clusterGroups } from './recluster.js';
import type { SharedInfrastructure } from './shared-infrastructure.js';
import { StoreGraphBuilder, TARGET_TYPES } from './store-graph.js';

/** The detector id of the signals this stage writes (`campaign.member`). */
export const CORRELATE_DETECTOR = 'correlate';
export const CORRELATE_STAGE = 'correlate';
const LINK_PAGE = 20_000;
const PLACEHOLDER = '\u0000campaign\u0000';

export interface CorrelateStageOptions {
  readonly pivots?: PivotModel;
  readonly thresholds?: ScoreThresholds;
  readonly shared?: SharedInfrastructure;
  readonly cluster?: ClusterConfig;
  readonly split?: SplitConfig;
  readonly evidence?: EvidenceConfig;
  /**
   * Smallest number of distinct member entities (names, accounts, pages; the hosts of one registrable
   * domain count once) that makes a campaign (default 2).
   */
  readonly minMembers?: number;
  /** Wall clock for `updatedAt` (tests). */
  readonly now?: () => string;
  /** Cursor position of the detect stage the run covers (recorded as the stage's cursor). */
  readonly position?: number;
}

export interface CorrelateSummary {
  readonly nodes: number;
  readonly links: number;
  readonly largestComponent: number;
  readonly groups: number;
  readonly campaigns: number;
  readonly flaggedCampaigns: number;
  readonly created: number;
  readonly merged: number;
  readonly split: number;
  readonly dissolved: number;
  /** Members holding a `campaign.member` signal after the run. */
  readonly signals: number;
  /** Members flagged now that were not flagged by their own signals. */
  readonly raised: number;
  readonly alarms: readonly string[];
  readonly ms: number;
}

interface Candidate {
  readonly nodes: readonly number[];
  readonly members: EvidenceMember[];
  readonly links: Array<{ a: number; b: number; strength: number; cls: 0 | 1 | 2 }>;
  readonly families: Map<number, string[]>;
  evidence?: ReturnType<typeof campaignEvidence>;
}

export async function runCorrelateStage(
  store: Store,
  options: CorrelateStageOptions = {},
): Promise<CorrelateSummary> {
  const started = performance.now();
  const pivots = options.pivots ?? DEFAULT_PIVOTS;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const evidenceConfig = options.evidence ?? DEFAULT_EVIDENCE_CONFIG;
  const minMembers = options.minMembers ?? 2;
  const now = options.now ?? (() => new Date().toISOString());

  // 1 — the graph.
  const builder = new StoreGraphBuilder(pivots, options.shared);
  let linkCount = 0;
  for (let after: LinkCursor | undefined; ; ) {
    const page = await store.entities.linkPage(after, LINK_PAGE);
    for (const l of page) builder.add(l);
    linkCount += page.length;
    if (page.length < LINK_PAGE) break;
    const last = page[page.length - 1]!;
    after = { from: last.from, to: last.to, pivot: last.pivot };
  }
  const sg = builder.build();
  const g = sg.graph;
  const { groups, clustering } = clusterGroups(g, {
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.split ? { split: options.split } : {}),
  });
  const { csr } = clustering;

  // 2 — candidate groups: enough member entities and at least one flagged target.
  const flaggedNow = await flaggedKeys(store);
  const groupOf = new Int32Array(g.nodeCount).fill(-1);
  const candidateGroups: number[][] = [];
  for (const nodes of groups) {
    let entities = 0;
    let flagged = false;
    for (const v of nodes) {
      if (g.kind[v] === 0) entities++;
      if (flaggedNow.has(sg.keys[v]!)) flagged = true;
    }
    if (entities < minMembers || !flagged) continue;
    const gi = candidateGroups.length;
    candidateGroups.push([...nodes]);
    for (const v of nodes) groupOf[v] = gi;
  }

  // 3 — what each candidate member says on its own (its signals without this stage's).
  const targetKeys: EntityKey[] = [];
  for (const nodes of candidateGroups)
    for (const v of nodes) if (isTarget(sg.keys[v]!)) targetKeys.push(sg.keys[v] as EntityKey);
  const ownSignals = await store.assessments.signalsOf(targetKeys);
  const own = new Map<EntityKey, Assessment>();
  for (const k of targetKeys) {
    const signals = (ownSignals.get(k) ?? []).filter((s) => s.detector !== CORRELATE_DETECTOR);
    if (signals.length > 0) own.set(k, assess(k, signals, sg.asOf, thresholds));
  }
  const allKeys = candidateGroups.flatMap((nodes) => nodes.map((v) => sg.keys[v] as EntityKey));
  const entities = await store.entities.getMany(allKeys);

  const candidates: Candidate[] = candidateGroups.map((nodes) => {
    const index = new Map<number, number>();
    for (const [i, v] of nodes.entries()) index.set(v, i);
    const families = new Map<number, string[]>();
    const members: EvidenceMember[] = nodes.map((v, i) => {
      const key = sg.keys[v] as EntityKey;
      const a = own.get(key);
      const signals = (a?.contributions ?? []).filter((c) => c.weight > 0).map((c) => c.id);
      if (a?.flagged) families.set(i, [...new Set(signals.map(signalFamily))]);
      return {
        key,
        display: entities.get(key)?.display ?? key.slice(key.indexOf(':') + 1),
        target: isTarget(key),
        score: a?.score ?? 0,
        flagged: a?.flagged ?? false,
        signals,
        unit: unitOf(key),
      };
    });
    const links: Candidate['links'] = [];
    for (const v of nodes)
      for (let i = csr.off[v]!; i < csr.off[v + 1]!; i++) {
        const w = csr.adj[i]!;
        const cls = csr.cls[i]! as 0 | 1 | 2;
        if (w <= v || groupOf[w] !== groupOf[v] || cls === PivotClass.weak) continue;
        if (!clustering.conducting[v] || !clustering.conducting[w]) continue;
        links.push({ a: index.get(v)!, b: index.get(w)!, strength: sg.strength[csr.edge[i]!]!, cls });
      }
    return { nodes, members, links, families };
  });

  // 4 — corroborated groups are campaigns; ids matched to the previous run.
  const campaignsOf: Candidate[] = [];
  for (const c of candidates) {
    // A site and its own hosts (`x.top`, `www.x.top`) are one thing, not a campaign.
    const units = new Set(c.members.filter((m) => isMemberType(typeOf(m.key))).map((m) => m.unit));
    if (units.size < minMembers) continue;
    c.evidence = campaignEvidence(PLACEHOLDER, c.members, c.links, evidenceConfig);
    if (c.evidence.corroborated) campaignsOf.push(c);
  }
  const previous = await store.campaigns.memberSets();
  const previousFlagged = new Set(
    (await store.campaigns.list({ state: 'active', flagged: true, limit: 10_000 })).map((c) => c.id),
  );
  const sets = campaignsOf.map((c) => c.members.map((m) => m.key as string).sort());
  const { campaigns: assigned, events } = assignCampaignIds(previous, sets);

  // 5 — evidence flow: this run's campaign.member signals replace the previous ones.
  const newSignals = new Map<EntityKey, Signal>();
  assigned.forEach((a, i) => {
    for (const s of campaignsOf[i]!.evidence!.signals) {
      const signal = toSignal(s, a.id);
      const prev = newSignals.get(s.member as EntityKey);
      if (!prev || signal.weight > prev.weight) newSignals.set(s.member as EntityKey, signal);
    }
  });
  const holders = new Set<EntityKey>([
    ...(await store.assessments.keysWithSignalsFrom(CORRELATE_DETECTOR)),
    ...newSignals.keys(),
  ]);
  const affected = [...holders];
  const stored = await store.assessments.signalsOf(affected);
  const current = await store.assessments.getMany(affected);
  const replacements: SignalReplacement[] = [];
  const reassessed: Assessment[] = [];
  const final = new Map<EntityKey, Assessment>();
  let raised = 0;
  for (const key of affected) {
    const kept = (stored.get(key) ?? []).filter((s) => s.detector !== CORRELATE_DETECTOR);
    const added = newSignals.get(key);
    const at = current.get(key)?.assessedAt ?? sg.asOf;
    const a = assess(key, added ? [...kept, added] : kept, at, thresholds);
    final.set(key, a);
    const before = current.get(key);
    const prevSignal = (stored.get(key) ?? []).find((s) => s.detector === CORRELATE_DETECTOR);
    if (
      !before ||
      before.score !== a.score ||
      before.flagged !== a.flagged ||
      prevSignal?.detail !== added?.detail
    )
      reassessed.push(a);
    replacements.push({
      entity: key,
      detectors: [CORRELATE_DETECTOR],
      signals: added ? [added] : [],
      observedAt: at,
    });
    const ownFlag = kept.length > 0 && assess(key, kept, at, thresholds).flagged;
    if (a.flagged && !ownFlag) raised++;
  }

  // 6 — the read model and the timeline.
  const updatedAt = now();
  const lead = await leadTimes(store, campaignsOf, entities);
  const writes: CampaignWrite[] = assigned.map((a, i) => {
    const c = campaignsOf[i]!;
    const members: ViewMember[] = c.members.map((m) => {
      const e = entities.get(m.key as EntityKey);
      const f = final.get(m.key as EntityKey);
      const type = m.key.slice(0, m.key.indexOf(':')) as EntityType;
      return {
        key: m.key as EntityKey,
        type,
        display: m.display,
        firstSeen: e?.firstSeen ?? sg.asOf,
        lastSeen: e?.lastSeen ?? sg.asOf,
        score: f?.score ?? m.score,
        flagged: f?.flagged ?? m.flagged,
        families: c.families.get(c.members.indexOf(m)) ?? [],
        value: !isMemberType(type),
      };
    });
    const raisedHere = c.members.filter((m) => !m.flagged && final.get(m.key as EntityKey)?.flagged).length;
    const links: ViewLink[] = c.links.map((l) => ({ a: l.a, b: l.b, cls: l.cls, strength: l.strength }));
    return campaignView({
      id: a.id,
      members,
      links,
      updatedAt,
      flagThreshold: thresholds.flag,
      leadTime: lead[i] ?? null,
      raised: raisedHere,
      corroboration: c.evidence!.reason,
    });
  });
  const timeline = timelineOf(events, writes, previousFlagged, sg.asOf || updatedAt);
  // A campaign merged into another ends as well as one whose members are gone.
  const live = new Set(assigned.map((a) => a.id));
  const dissolved = previous.filter((p) => !live.has(p.id)).map((p) => p.id);

  await store.transaction(async (tx) => {
    await tx.assessments.replaceSignals(replacements);
    await tx.assessments.write(reassessed);
    await tx.campaigns.save(writes);
    await tx.campaigns.dissolve(dissolved, updatedAt);
    await tx.campaigns.appendEvents(timeline);
    if (options.position !== undefined) await tx.stages.setCursor(CORRELATE_STAGE, options.position);
  });

  const count = (t: CampaignEvent['type']) => events.filter((e) => e.type === t).length;
  return {
    nodes: g.nodeCount,
    links: linkCount,
    largestComponent: clustering.stats.largest,
    groups: groups.length,
    campaigns: writes.length,
    flaggedCampaigns: writes.filter((w) => w.flagged).length,
    created: count('created'),
    merged: count('merged'),
    split: count('split'),
    dissolved: dissolved.length,
    signals: newSignals.size,
    raised,
    alarms: clustering.alarms.map((a) => a.reason),
    ms: Math.round(performance.now() - started),
  };
}

const isMemberType = (type: string): boolean =>
  type === 'domain' || type === 'account' || type === 'url' || type === 'snapshot';
const typeOf = (key: string): string => key.slice(0, key.indexOf(':'));
const isTarget = (key: string): boolean => TARGET_TYPES.has(typeOf(key));

/** The registrable domain of a name or URL (platform tenants such as `x.workers.dev` their own); else the key. */
export function unitOf(key: string): string {
  const type = typeOf(key);
  const value = key.slice(type.length + 1);
  if (type === 'domain') return `domain:${getDomain(value, { allowPrivateDomains: true }) ?? value}`;
  if (type === 'url') {
    try {
      const host = new URL(value).hostname;
      return `domain:${getDomain(host, { allowPrivateDomains: true }) ?? host}`;
    } catch {
      return key;
    }
  }
  return key;
}

async function flaggedKeys(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await store.entities.list({ flagged: true, limit: 10_000, ...(after ? { after } : {}) });
    for (const v of page) out.add(v.entity.key);
    if (page.length < 10_000) return out;
    after = page[page.length - 1]!.entity.key;
  }
}

function toSignal(s: MemberSignal, campaignId: string): Signal {
  return {
    id: s.id,
    detector: CORRELATE_DETECTOR,
    weight: s.weight,
    detail: s.detail.split(PLACEHOLDER).join(campaignId),
    evidence: [
      { kind: 'text', value: `campaign:${campaignId}` },
      ...s.evidence.map((key) => ({ kind: 'entity' as const, key: key as EntityKey })),
    ],
  };
}

/**
 * Lead time of each campaign: when its first member was flagged (the assessment history) against
 * when it went live (the first deployment of one of its accounts, as far as the data says).
 */
async function leadTimes(
  store: Store,
  campaigns: readonly Candidate[],
  entities: ReadonlyMap<EntityKey, { attrs: Readonly<Record<string, unknown>>; firstSeen: string }>,
): Promise<Array<CampaignLeadTime | null>> {
  const out: Array<CampaignLeadTime | null> = [];
  for (const c of campaigns) {
    let firstFlaggedAt: string | null = null;
    for (const m of c.members) {
      if (!m.target) continue;
      const history = await store.assessments.history(m.key as EntityKey);
      const first = history.find((h) => h.flagged);
      if (first && (firstFlaggedAt === null || first.assessedAt < firstFlaggedAt))
        firstFlaggedAt = first.assessedAt;
    }
    let goLiveAt: string | null = null;
    for (const m of c.members) {
      const e = entities.get(m.key as EntityKey);
      if (!e || !m.key.startsWith('url:') || e.attrs.deployment === undefined) continue;
      if (goLiveAt === null || e.firstSeen < goLiveAt) goLiveAt = e.firstSeen;
    }
    const hours =
      firstFlaggedAt !== null && goLiveAt !== null
        ? Math.round(((Date.parse(goLiveAt) - Date.parse(firstFlaggedAt)) / 3_600_000) * 10) / 10
        : null;
    out.push(firstFlaggedAt === null && goLiveAt === null ? null : { firstFlaggedAt, goLiveAt, hours });
  }
  return out;
}

function timelineOf(
  events: readonly CampaignEvent[],
  writes: readonly CampaignWrite[],
  previousFlagged: ReadonlySet<string>,
  at: string,
): CampaignEventWrite[] {
  const out: CampaignEventWrite[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'created':
        out.push({ campaignId: e.id, at, kind: 'created', detail: `${e.size} members` });
        break;
      case 'continued':
        if (e.size !== e.previousSize)
          out.push({
            campaignId: e.id,
            at,
            kind: e.size > e.previousSize ? 'grew' : 'shrank',
            detail: `${e.previousSize} → ${e.size} members`,
          });
        break;
      case 'merged':
        out.push({ campaignId: e.into, at, kind: 'merged', detail: `absorbed ${e.from.join(', ')}` });
        for (const f of e.from)
          out.push({ campaignId: f, at, kind: 'merged', detail: `merged into ${e.into}` });
        break;
      case 'split':
        out.push({ campaignId: e.from, at, kind: 'split', detail: `split into ${e.into.join(', ')}` });
        break;
      case 'dissolved':
        out.push({
          campaignId: e.id,
          at,
          kind: 'dissolved',
          detail: 'no corroborated group holds its members any more',
        });
        break;
    }
  }
  for (const w of writes)
    if (w.flagged && !previousFlagged.has(w.id))
      out.push({
        campaignId: w.id,
        at,
        kind: 'flagged',
        detail: `risk ${w.risk}: ${w.explanation.split('. ')[0]}`,
      });
  return out;
}
