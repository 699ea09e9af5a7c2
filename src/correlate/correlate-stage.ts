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
import { assess, DEFAULT_THRESHOLDS, type ScoreThresholds } from '../detect/score.js';
import type {
  Assessment,
  Entity,
  EntityKey,
  EntityType,
  Extraction,
  Observation,
  ObservationKind,
  ObservationPayloads,
  Signal,
} from '../domain/index.js';
import { clusterWallets, type WalletClustering, type WalletTransaction } from './wallet-clusters.js';
import type {
  CampaignEventWrite,
  CampaignWrite,
  LinkCursor,
  SignalReplacement,
  Store,
} from '../store/store.js';
import { assignCampaignIds, type CampaignEvent } from './campaign-ids.js';
import { campaignView, type ViewLink, type ViewMember } from './campaign-view.js';
import { firstOwnFlag, LIVE_FORM_SIGNALS, type LeadTime, leadTime } from './lead-time.js';
import { type ClusterConfig, DEFAULT_CLUSTER_CONFIG, hubCut } from './cluster.js';
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
import { siteOf } from './site.js';
import type { SharedInfrastructure } from './shared-infrastructure.js';
import {
  isDistinctiveShape,
  type LearnedTemplate,
  learnTemplates,
  loadNamingVocabulary,
  type NamingVocabulary,
  nameShape,
  templateKey,
} from './naming-templates.js';
import {
  type StoreGraph,
  StoreGraphBuilder,
  suppressionSignature,
  suppressionsOf,
  TARGET_TYPES,
} from './store-graph.js';

/** The detector id of the signals this stage writes (`campaign.member`). */
export const CORRELATE_DETECTOR = 'correlate';
export const CORRELATE_STAGE = 'correlate';
const LINK_PAGE = 20_000;
export const PLACEHOLDER = '\u0000campaign\u0000';

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
  /** Which lone flags stay quiet (default: every `tenant`-only one). */
  readonly quiet?: QuietConfig;
  /**
   * Observation kinds the detect stage may leave unmaterialised (`detect.materialise: signalled`:
   * certificates none of whose names drew a signal), with the extraction that states their links. The
   * full run reads them and adds the links of each one that names an entity already in the graph: an
   * operator's name attached to its account draws no signal of its own, and its certificate — the tie
   * to its `www` host and to the operator's other names on it — would otherwise be lost.
   */
  readonly deferred?: {
    readonly kinds: readonly ObservationKind[];
    readonly extract: (o: Observation) => Extraction;
    /**
     * The keys `extract` would give (undefined: extract to know): most deferred observations name
     * nothing in the graph, and this tells so without extracting them.
     */
    readonly mentions?: (o: Observation) => readonly EntityKey[] | undefined;
    /**
     * A first test on a few payload `fields` of the one deferred kind (read with
     * `observations.fieldsAfter`, not whole): `may` answers false only for an observation the test
     * below would pass over (no member entity `extract` gives is in the graph, or an entity of its
     * own is). Most deferred observations name nothing in the graph: only the others are read whole.
     */
    readonly prefilter?: {
      readonly fields: readonly string[];
      readonly may: (fields: Readonly<Record<string, unknown>>, graph: DeferredGraphView) => boolean;
    };
  };
  /** Wall clock for `updatedAt` (tests). */
  readonly now?: () => string;
  /** Cursor position of the detect stage the run covers (recorded as the stage's cursor). */
  readonly position?: number;
  /**
   * Handed what the run ended in (graph, groups, campaigns, signals) after it committed: the state
   * incremental updates continue from (live-correlation.ts).
   */
  readonly onState?: (state: FullRunState) => void;
}

/** What a deferred observation's first test sees of the graph being built. */
export interface DeferredGraphView {
  /** Whether an entity key is a node. */
  has(key: string): boolean;
  /** Whether `domain:<name>` is a node. */
  hasName(name: string): boolean;
}

/** What a full run ended in: the seed of incremental correlation. */
export interface FullRunState {
  readonly graph: StoreGraph;
  readonly groups: readonly (readonly number[])[];
  readonly clustering: ReturnType<typeof clusterGroups>['clustering'];
  readonly campaigns: readonly Candidate[];
  readonly ids: readonly string[];
  readonly views: readonly CampaignWrite[];
  /** The members of each campaign as its view was built (first/last seen, display). */
  readonly viewMembers: readonly (readonly ViewMember[])[];
  readonly leadTimes: ReadonlyArray<LeadTime | null>;
  /** Every `correlate` signal held after the run (campaign.member and campaign.uncorroborated). */
  readonly signals: ReadonlyMap<EntityKey, Signal>;
  readonly position: number | undefined;
  /** The review suppressions the run respected (what an incremental update must see unchanged). */
  readonly suppressions: {
    readonly pivots: ReadonlyMap<string, number>;
    readonly silenced: ReadonlySet<string>;
    readonly signature: string;
  };
  /** The graph's names by shape (node ids as in `graph`): templates are relearned from them. */
  readonly shapes: NameShapes;
  /** The transactions the wallet clusters were learned from, and the clusters. */
  readonly walletTransactions: readonly WalletTransaction[];
  readonly walletClusters: WalletClustering;
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
  /** Lone weak flags held below the threshold (`campaign.uncorroborated`). */
  readonly quieted: number;
  readonly alarms: readonly string[];
  readonly ms: number;
}

export interface Candidate {
  readonly nodes: readonly number[];
  readonly members: EvidenceMember[];
  readonly links: Array<{ a: number; b: number; strength: number; cls: 0 | 1 | 2 }>;
  readonly families: Map<number, string[]>;
  evidence?: ReturnType<typeof campaignEvidence>;
}

/** Strength of a wallet's link to its cluster (a strong pivot, as a shared wallet). */
export const WALLET_CLUSTER_STRENGTH = 0.9;
const TX_PAGE = 5_000;
/** Rows per `fieldsAfter` page (a few short fields each). */
const FIELD_PAGE = 20_000;

/** A transaction observation's payload as the wallet clustering reads it (full run and live updates). */
export function walletTransactionOf(p: ObservationPayloads['transaction']): WalletTransaction {
  return {
    chain: p.chain,
    from: p.from.map((x) => x.address),
    to: p.to.map((x) => x.address),
    outputAmounts: p.to.map((x) => x.amount),
  };
}

/** Every stored transaction observation as the wallet clustering reads it. */
async function walletTransactions(store: Store): Promise<WalletTransaction[]> {
  const out: WalletTransaction[] = [];
  for (let after = 0; ; ) {
    const page = await store.observations.after(after, TX_PAGE, ['transaction']);
    for (const o of page) out.push(walletTransactionOf(o.payload as ObservationPayloads['transaction']));
    if (page.length < TX_PAGE) return out;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * The links of unmaterialised observations (`CorrelateStageOptions.deferred`) that name an entity the
 * stored links already hold, for an observation whose own entities are not stored (a materialised
 * one's links are read with the rest: adding them again would count a certificate's names twice
 * against its degree cap). Returns the number of links added.
 */
async function addDeferred(
  store: Store,
  builder: StoreGraphBuilder,
  deferred: NonNullable<CorrelateStageOptions['deferred']>,
): Promise<number> {
  let added = 0;
  const pending: Array<Extraction['links'][number] & { lastSeen: string }> = [];
  const test = (o: Observation) => {
    const keys = deferred.mentions?.(o);
    if (keys && !namesMember(keys, builder)) return;
    const x = deferred.extract(o);
    // A certificate's own key: stored when the observation was materialised.
    if (x.entities.some((e) => !isMemberType(e.type) && builder.has(e.key))) return;
    if (!x.entities.some((e) => isMemberType(e.type) && builder.has(e.key))) return;
    for (const l of x.links) pending.push({ ...l, lastSeen: o.observedAt });
  };
  const kind = deferred.kinds.length === 1 ? deferred.kinds[0] : undefined;
  if (deferred.prefilter && kind !== undefined) {
    // Fields of every observation of the kind, then whole only those the first test keeps (in order).
    const { fields, may } = deferred.prefilter;
    const names = builder.domainNames();
    const view: DeferredGraphView = { has: (k) => builder.has(k), hasName: (n) => names.has(n) };
    const kept: number[] = [];
    for (let after = 0; ; ) {
      const page = await store.observations.fieldsAfter(after, FIELD_PAGE, kind, fields);
      for (const r of page) if (may(r.fields, view)) kept.push(r.seq);
      if (page.length < FIELD_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    for (let i = 0; i < kept.length; i += TX_PAGE)
      for (const o of await store.observations.bySeqs(kept.slice(i, i + TX_PAGE))) test(o);
  } else
    for (let after = 0; ; ) {
      const page = await store.observations.after(after, TX_PAGE, deferred.kinds);
      for (const o of page) test(o);
      if (page.length < TX_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
  // Added after the scan, so one deferred observation does not make the next one look stored.
  for (const l of pending) {
    builder.add(l);
    added++;
  }
  return added;
}

/** The test `addDeferred` makes of an extraction, on its keys: a member in the graph, nothing else there. */
function namesMember(keys: readonly EntityKey[], builder: StoreGraphBuilder): boolean {
  let member = false;
  for (const k of keys) {
    if (!builder.has(k)) continue;
    if (!isMemberType(typeOf(k))) return false;
    member = true;
  }
  return member;
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
  const quiet = options.quiet ?? DEFAULT_QUIET;

  // 1 — the graph, without what benign review decisions suppressed (feedback.ts): a pivot that tied
  // the members of a case decided benign no longer ties, and those members gain no campaign evidence.
  const suppressionRows = await store.cases.suppressions();
  const suppressions = suppressionsOf(suppressionRows);
  const builder = new StoreGraphBuilder(pivots, options.shared, suppressions.pivots);
  let linkCount = 0;
  for (let after: LinkCursor | undefined; ; ) {
    const page = await store.entities.graphLinkPage(after, LINK_PAGE);
    for (const l of page) builder.add(l);
    linkCount += page.length;
    if (page.length < LINK_PAGE) break;
    const last = page[page.length - 1]!;
    after = { from: last.from, to: last.to, pivot: last.pivot };
  }
  if (options.deferred) linkCount += await addDeferred(store, builder, options.deferred);
  // Wallet clusters (common-input ownership, transfers both ways, shared funder and sweep) are strong
  // pivots: wallets of one owner tie the pages and accounts that name any of them.
  const walletTxs = await walletTransactions(store);
  const wallets = clusterWallets(walletTxs);
  for (const c of wallets.clusters)
    for (const w of c.members)
      builder.addEdge(w, c.id, PivotClass.strong, WALLET_CLUSTER_STRENGTH, 'wallet-cluster');
  const flaggedNow = await flaggedKeys(store);
  const own = new Map<EntityKey, Assessment | null>();
  const entities = new Map<EntityKey, Entity>();
  const find = async (sg: StoreGraph, signals: boolean) =>
    findCampaigns(sg, signals, {
      store,
      flaggedNow,
      own,
      entities,
      thresholds,
      evidence: evidenceConfig,
      minMembers,
      silenced: suppressions.silenced,
      ...(options.cluster ? { cluster: options.cluster } : {}),
      ...(options.split ? { split: options.split } : {}),
    });

  // 2 — groups whose flags are corroborated are campaigns.
  let sg = builder.build();
  // Which groups are campaigns, without their members' signals yet: the grouping is redone below
  // when naming templates join the graph, and only the final campaigns' signals are wanted.
  let found = await find(sg, false);
  // 3 — naming templates learned from each campaign's flagged names become medium pivots (never
  // enough alone), and the graph is grouped once more with them.
  const shapes = nameShapes(sg.keys, vocabulary());
  const templates = templateEdges(sg, found.campaigns, shapes, vocabulary());
  if (templates.length > 0) {
    for (const t of templates) builder.addEdge(t.name, t.value, PivotClass.medium, TEMPLATE_STRENGTH);
    sg = builder.build();
    found = await find(sg, true);
  } else
    for (const c of found.campaigns)
      c.evidence = campaignEvidence(PLACEHOLDER, c.members, c.links, evidenceConfig);
  const g = sg.graph;
  const { groups, clustering } = found;
  const campaignsOf = found.campaigns;
  const previous = await store.campaigns.memberSets();
  const previousFlagged = new Set(
    (await store.campaigns.list({ state: 'active', flagged: true, limit: 10_000 })).map((c) => c.id),
  );
  const sets = campaignsOf.map((c) =>
    c.members.flatMap((m) => (m.key.startsWith('template:') ? [] : [m.key as string])).sort(),
  );
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
  const previousHolders = await store.assessments.keysWithSignalsFrom(CORRELATE_DETECTOR);
  // Lone weak flags stay quiet: an entity in no campaign whose flag rests on one source of evidence
  // that is weak alone (a linked sign-up burst, `tenant.*`) and does not reach `quiet.below` is held
  // just under the flag threshold until something corroborates it.
  const inCampaign = new Set<string>();
  for (const c of campaignsOf) for (const m of c.members) inCampaign.add(m.key);
  let quieted = 0;
  if (quiet.sources.length > 0) {
    const lone = [...new Set<EntityKey>([...(flaggedNow as Set<EntityKey>), ...previousHolders])].filter(
      (k) => isTarget(k) && !inCampaign.has(k) && !newSignals.has(k),
    );
    const loneSignals = await store.assessments.signalsOf(lone.filter((k) => !own.has(k)));
    for (const k of lone) {
      let a = own.get(k);
      if (a === undefined) {
        const list = (loneSignals.get(k) ?? []).filter((x) => x.detector !== CORRELATE_DETECTOR);
        a = list.length > 0 ? assess(k, list, sg.asOf, thresholds) : null;
        own.set(k, a);
      }
      const signal = a ? quietSignal(a, quiet, thresholds) : undefined;
      if (signal) {
        newSignals.set(k, signal);
        quieted++;
      }
    }
  }
  const holders = new Set<EntityKey>([...previousHolders, ...newSignals.keys()]);
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
  const lead = await leadTimes(store, campaignsOf, entities, thresholds);
  const viewMembers: ViewMember[][] = [];
  const writes: CampaignWrite[] = assigned.map((a, i) => {
    const c = campaignsOf[i]!;
    const members: ViewMember[] = c.members.map((m) => {
      const e = entities.get(m.key as EntityKey);
      const template = m.key.startsWith('template:');
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
        pivotOnly: template,
      };
    });
    viewMembers.push(members);
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

  options.onState?.({
    graph: sg,
    groups,
    clustering,
    campaigns: campaignsOf,
    ids: assigned.map((a) => a.id),
    views: writes,
    viewMembers,
    leadTimes: lead,
    signals: newSignals,
    position: options.position,
    suppressions: { ...suppressions, signature: suppressionSignature(suppressionRows) },
    shapes,
    walletTransactions: walletTxs,
    walletClusters: wallets,
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
    signals: newSignals.size - quieted,
    raised,
    quieted,
    alarms: clustering.alarms.map((a) => a.reason),
    ms: Math.round(performance.now() - started),
  };
}

export interface QuietConfig {
  /** Signal sources (the id's first segment: `tenant`, `domain`, `page`) whose flags are weak alone. */
  readonly sources: readonly string[];
  /** A lone flag at this score or above stands on its own. */
  readonly below: number;
}

/** Every lone flag that rests on tenant behaviour alone stays quiet until a campaign corroborates it. */
export const DEFAULT_QUIET: QuietConfig = { sources: ['tenant'], below: 100 };

/**
 * The `campaign.uncorroborated` signal of a lone flag that should stay quiet: a negative weight that
 * brings the score just under the flag threshold. Undefined when the flag may stand.
 */
export function quietSignal(
  own: Assessment,
  quiet: QuietConfig,
  thresholds: ScoreThresholds,
): Signal | undefined {
  if (!own.flagged || own.score >= quiet.below) return undefined;
  const positive = own.contributions.filter((c) => c.weight > 0);
  const sources = new Set(positive.map((c) => c.id.split('.')[0]!));
  if (sources.size !== 1 || !quiet.sources.includes([...sources][0]!)) return undefined;
  const weight = -Math.ceil(own.score - thresholds.flag + 1);
  const why = positive
    .slice(0, 3)
    .map((c) => c.id)
    .join(', ');
  return {
    id: 'campaign.uncorroborated',
    detector: CORRELATE_DETECTOR,
    weight,
    detail: `flagged by ${[...sources][0]} signals alone (${why}), tied to no corroborated campaign and under ${quiet.below}: held below the flag threshold until something corroborates it`,
    evidence: [],
  };
}

/**
 * Value types whose values count once in a conjunction of medium pivots: one kit matches several kit
 * rules, a provider hands out name servers in pairs, a campaign's names match one template each.
 */
export const COLLAPSED_TYPES = ['kit', 'ns', 'template'];

/**
 * Value types through which a member holding far more of them than members normally do stops
 * conducting (`hubKinds`, cluster.ts): a name on a thousand certificates beside strangers' names.
 */
export const HUB_TYPES = ['cert'];

/** The graph's kind ids of some value types (types absent from the graph are left out). */
export const kindsOf = (kinds: ReadonlyMap<string, number>, types: readonly string[]): number[] =>
  types.flatMap((t) => {
    const k = kinds.get(t);
    return k === undefined ? [] : [k];
  });

/** Strength of a name's link to a naming template of its campaign (a medium pivot). */
export const TEMPLATE_STRENGTH = 0.5;
/**
 * Evidence flows along strong links at no less than this strength: a certificate shared by three
 * names gives each link 1/log2(4) = 0.5 (the ubiquity discount, which keeps a CDN's certificate from
 * tying strangers), but within a corroborated campaign a shared certificate is a strong tie.
 */
export const STRONG_EVIDENCE_FLOOR = 0.8;

let vocabularyCache: NamingVocabulary | undefined;
export const vocabulary = (): NamingVocabulary => (vocabularyCache ??= loadNamingVocabulary());

interface FindContext {
  readonly store: Store;
  readonly flaggedNow: ReadonlySet<string>;
  /** Cache: each entity's assessment from its own signals (null: none). */
  readonly own: Map<EntityKey, Assessment | null>;
  readonly entities: Map<EntityKey, Entity>;
  readonly thresholds: ScoreThresholds;
  readonly evidence: EvidenceConfig;
  readonly minMembers: number;
  /** Entities decided benign in review: no campaign lends them evidence. */
  readonly silenced: ReadonlySet<string>;
  readonly cluster?: ClusterConfig;
  readonly split?: SplitConfig;
}

interface Found {
  readonly groups: readonly (readonly number[])[];
  readonly clustering: ReturnType<typeof clusterGroups>['clustering'];
  readonly campaigns: Candidate[];
}

/**
 * Groups the graph and keeps the corroborated groups that hold a flag, with their evidence (with the
 * members' `campaign.member` signals when `withSignals`, else only whether and why it is corroborated).
 */
async function findCampaigns(sg: StoreGraph, withSignals: boolean, ctx: FindContext): Promise<Found> {
  const g = sg.graph;
  const { groups, clustering } = clusterGroups(g, {
    cluster: {
      ...(ctx.cluster ?? DEFAULT_CLUSTER_CONFIG),
      collapseKinds: kindsOf(sg.kinds, COLLAPSED_TYPES),
      hubKinds: kindsOf(sg.kinds, HUB_TYPES),
    },
    ...(ctx.split ? { split: ctx.split } : {}),
  });
  const { csr } = clustering;
  // Candidates: enough member entities and at least one flagged target.
  const groupOf = new Int32Array(g.nodeCount).fill(-1);
  const candidateGroups: number[][] = [];
  for (const nodes of groups) {
    let members = 0;
    let flagged = false;
    for (const v of nodes) {
      if (g.kind[v] === 0) members++;
      if (ctx.flaggedNow.has(sg.keys[v]!)) flagged = true;
    }
    if (members < ctx.minMembers || !flagged) continue;
    const gi = candidateGroups.length;
    candidateGroups.push([...nodes]);
    for (const v of nodes) groupOf[v] = gi;
  }
  // What each candidate member says on its own (its signals without this stage's).
  const missing: EntityKey[] = [];
  for (const nodes of candidateGroups)
    for (const v of nodes) {
      const k = sg.keys[v] as EntityKey;
      if (isTarget(k) && !ctx.own.has(k)) missing.push(k);
    }
  const signals = await ctx.store.assessments.signalsOf(missing);
  for (const k of missing) {
    const list = (signals.get(k) ?? []).filter((s) => s.detector !== CORRELATE_DETECTOR);
    ctx.own.set(k, list.length > 0 ? assess(k, list, sg.asOf, ctx.thresholds) : null);
  }
  const unknown = candidateGroups.flatMap((nodes) =>
    nodes
      .map((v) => sg.keys[v] as EntityKey)
      .filter((k) => !ctx.entities.has(k) && !k.startsWith('template:')),
  );
  for (const [k, e] of await ctx.store.entities.getMany(unknown)) ctx.entities.set(k, e);

  const campaigns: Candidate[] = [];
  for (const nodes of candidateGroups) {
    const index = new Map<number, number>();
    for (const [i, v] of nodes.entries()) index.set(v, i);
    const families = new Map<number, string[]>();
    const members: EvidenceMember[] = nodes.map((v, i) => {
      const key = sg.keys[v] as EntityKey;
      const a = ctx.own.get(key) ?? undefined;
      const ids = (a?.contributions ?? []).filter((c) => c.weight > 0).map((c) => c.id);
      if (a?.flagged) families.set(i, [...new Set(ids.map(signalFamily))]);
      return {
        key,
        display: ctx.entities.get(key)?.display ?? key.slice(key.indexOf(':') + 1),
        target: isTarget(key) && !ctx.silenced.has(key),
        score: a?.score ?? 0,
        flagged: a?.flagged ?? false,
        signals: ids,
        unit: unitOf(key),
      };
    });
    // A site and its own hosts (`x.top`, `www.x.top`) are one thing, not a campaign.
    const units = new Set(members.filter((m) => isMemberType(typeOf(m.key))).map((m) => m.unit));
    if (units.size < ctx.minMembers) continue;
    const links: Candidate['links'] = [];
    for (const v of nodes)
      for (let i = csr.off[v]!; i < csr.off[v + 1]!; i++) {
        const w = csr.adj[i]!;
        const cls = csr.cls[i]! as 0 | 1 | 2;
        if (w <= v || groupOf[w] !== groupOf[v] || cls === PivotClass.weak) continue;
        if (!clustering.conducting[v] || !clustering.conducting[w]) continue;
        if (hubCut(clustering.hubs, clustering.hubKind, g.kind, v, w)) continue;
        const raw = sg.strength[csr.edge[i]!]!;
        const strength = cls === PivotClass.strong ? Math.max(raw, STRONG_EVIDENCE_FLOOR) : raw;
        links.push({ a: index.get(v)!, b: index.get(w)!, strength, cls });
      }
    const c: Candidate = { nodes, members, links, families };
    c.evidence = campaignEvidence(PLACEHOLDER, members, links, ctx.evidence, withSignals);
    if (c.evidence.corroborated) campaigns.push(c);
  }
  return { groups, clustering, campaigns };
}

/**
 * The naming templates of each campaign (learned from its flagged names against the shapes of every
 * name in the graph) as medium edges from every name of that shape to `template:<n>/<shape>`.
 */
function templateEdges(
  sg: StoreGraph,
  campaigns: readonly Candidate[],
  shapes: NameShapes,
  v: NamingVocabulary,
): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  campaigns.forEach((c, i) => {
    for (const t of campaignTemplates(c.members, shapes.counts, v))
      for (const n of shapes.byShape.get(t.shape) ?? [])
        out.push({ name: sg.keys[n]!, value: templateKey(`g${i}`, t.shape) });
  });
  return out;
}

/**
 * The templates a campaign's flagged names teach (`learnTemplates`), one name per registrable domain:
 * a site's hosts share its shape and would count it twice.
 */
export function campaignTemplates(
  members: readonly EvidenceMember[],
  background: ReadonlyMap<string, number>,
  v: NamingVocabulary,
): LearnedTemplate[] {
  const flagged = new Map<string, string>();
  for (const m of members)
    if (m.flagged && m.key.startsWith('domain:')) flagged.set(m.unit ?? m.key, m.key.slice('domain:'.length));
  return flagged.size === 0 ? [] : learnTemplates([...flagged.values()], v, background);
}

/** Shapes of the graph's names: counts of every shape (the background), nodes of distinctive ones. */
export interface NameShapes {
  readonly counts: Map<string, number>;
  /** Node ids of the names of each distinctive shape (what a learned template links). */
  readonly byShape: Map<string, number[]>;
}

/** Every name of the graph shaped once (`nameShape`). */
export function nameShapes(keys: readonly string[], v: NamingVocabulary): NameShapes {
  const counts = new Map<string, number>();
  const byShape = new Map<string, number[]>();
  for (let n = 0; n < keys.length; n++) addNameShape(counts, byShape, n, keys[n]!, v);
  return { counts, byShape };
}

/** Counts one name's shape (and indexes the node under a distinctive one); returns the shape. */
export function addNameShape(
  counts: Map<string, number>,
  byShape: Map<string, number[]>,
  node: number,
  key: string,
  v: NamingVocabulary,
): string | undefined {
  if (!key.startsWith('domain:')) return undefined;
  const shape = nameShape(key.slice('domain:'.length), v);
  if (shape === undefined) return undefined;
  counts.set(shape, (counts.get(shape) ?? 0) + 1);
  if (isDistinctiveShape(shape)) {
    const list = byShape.get(shape);
    if (list) list.push(node);
    else byShape.set(shape, [node]);
  }
  return shape;
}

export const isMemberType = (type: string): boolean =>
  type === 'domain' || type === 'account' || type === 'url' || type === 'snapshot';
export const typeOf = (key: string): string => key.slice(0, key.indexOf(':'));
export const isTarget = (key: string): boolean => TARGET_TYPES.has(typeOf(key));

/** The registrable domain of a name or URL (platform tenants such as `x.workers.dev` their own); else the key. */
export function unitOf(key: string): string {
  const type = typeOf(key);
  const value = key.slice(type.length + 1);
  if (type === 'domain') return `domain:${siteOf(value)}`;
  if (type === 'url') {
    try {
      return `domain:${siteOf(new URL(value).hostname)}`;
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

export function toSignal(s: MemberSignal, campaignId: string): Signal {
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

/** Lead time of each campaign (lead-time.ts): first own flag of a member against its go-live. */
async function leadTimes(
  store: Store,
  campaigns: readonly Candidate[],
  entities: ReadonlyMap<EntityKey, Entity>,
  thresholds: ScoreThresholds,
): Promise<Array<LeadTime | null>> {
  const pages = campaigns.flatMap((c) =>
    c.members.filter((m) => m.key.startsWith('snapshot:')).map((m) => m.key as EntityKey),
  );
  const pageAssessments = await store.assessments.getMany(pages);
  const out: Array<LeadTime | null> = [];
  for (const c of campaigns) {
    let firstFlaggedAt: string | null = null;
    const liveForms: string[] = [];
    const deployments: string[] = [];
    for (const m of c.members) {
      const key = m.key as EntityKey;
      const e = entities.get(key);
      if (m.target && m.flagged) {
        const first = firstOwnFlag(await store.assessments.history(key), thresholds);
        if (first && (firstFlaggedAt === null || first < firstFlaggedAt)) firstFlaggedAt = first;
      }
      if (!e) continue;
      if (key.startsWith('url:') && e.attrs.deployment !== undefined) deployments.push(e.firstSeen);
      const page = pageAssessments.get(key);
      if (page?.contributions.some((x) => LIVE_FORM_SIGNALS.has(x.id))) liveForms.push(e.firstSeen);
    }
    out.push(leadTime(firstFlaggedAt, liveForms, deployments));
  }
  return out;
}

export function timelineOf(
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
