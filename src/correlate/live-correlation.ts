/**
 * Incremental correlation between full reclusters. A full run (correlate-stage.ts) hands over what it
 * ended in; from then on each batch of detected observations is added as it arrives: its links join the
 * union-find (incremental.ts), and only the components they touched are looked at again — a component
 * that holds a campaign takes the newcomers in and its evidence flows again; a component with no
 * campaign becomes one when its flags are corroborated (the same test as the full run); a lone weak
 * flag is held quiet. The work is bounded by the touched components, not by the store.
 *
 * What unions cannot express is left to the next full recluster, which the caller runs when `stale` is
 * set (two campaigns now share a component, a value crossed its cap, a component outgrew the split
 * size or grew implausibly fast) and periodically: caps are relearned, Louvain splits, ids are matched.
 * Naming templates are relearned for the campaigns an update grows or makes, and wallets are clustered
 * again when transactions arrive (at most every `walletEveryMs`), as the full run learns them.
 * @module
 */
import { assess, type ScoreThresholds } from '../detect/score.js';
import type {
  Assessment,
  EntityKey,
  EntityType,
  Extraction,
  LinkPivot,
  Observation,
  ObservationPayloads,
  Signal,
} from '../domain/index.js';
import type { CampaignEventWrite, CampaignWrite, SignalReplacement, Store } from '../store/store.js';
import { mintCampaignId } from './campaign-ids.js';
import { campaignView, type ViewLink, type ViewMember } from './campaign-view.js';
import type { ClusterConfig } from './cluster.js';
import {
  addNameShape,
  campaignTemplates,
  COLLAPSED_TYPES,
  HUB_TYPES,
  kindsOf,
  CORRELATE_DETECTOR,
  CORRELATE_STAGE,
  type FullRunState,
  isMemberType,
  isTarget,
  PLACEHOLDER,
  type QuietConfig,
  quietSignal,
  STRONG_EVIDENCE_FLOOR,
  TEMPLATE_STRENGTH,
  toSignal,
  typeOf,
  unitOf,
  vocabulary,
  WALLET_CLUSTER_STRENGTH,
  walletTransactionOf,
} from './correlate-stage.js';
import { campaignEvidence, type EvidenceConfig, type EvidenceMember, signalFamily } from './evidence-flow.js';
import { IncrementalClusters } from './incremental.js';
import type { LeadTime } from './lead-time.js';
import { templateKey } from './naming-templates.js';
import { PivotClass } from './pivot-graph.js';
import type { PivotModel } from './pivots.js';
import type { SharedInfrastructure } from './shared-infrastructure.js';
import { clusterWallets, type WalletTransaction } from './wallet-clusters.js';
import { SITE_PREFIX, SITE_STRENGTH, siteOf } from './site.js';
import {
  linkClass,
  MEDIUM_AT,
  MEMBER_TYPES,
  STRONG_AT,
  suppressionFactor,
  suppressionSignature,
} from './store-graph.js';

export interface LiveOptions {
  readonly pivots: PivotModel;
  readonly thresholds: ScoreThresholds;
  readonly shared?: SharedInfrastructure;
  readonly cluster: ClusterConfig;
  /** A component larger than this needs the full recluster's Louvain split. */
  readonly splitAbove: number;
  readonly evidence: EvidenceConfig;
  readonly minMembers: number;
  readonly quiet: QuietConfig;
  /** What an observation says (the detect stage's extractor): the links of a batch. */
  readonly extract: (o: Observation) => Extraction;
  readonly now?: () => string;
  /** Observations read per page (default 2,000). */
  readonly page?: number;
  /**
   * Wallet clusters are learned again (over every transaction since the full run's, kept in memory)
   * in an update that brought transactions, at most once per this many milliseconds of wall time
   * (default 30,000); transactions that arrive sooner are clustered by the next update after it.
   */
  readonly walletEveryMs?: number;
}

export interface LiveSummary {
  readonly mode: 'incremental';
  readonly observations: number;
  /** New links added to the graph. */
  readonly links: number;
  readonly nodes: number;
  /** Components looked at again. */
  readonly components: number;
  readonly campaignsUpdated: number;
  readonly created: number;
  /** Members whose `correlate` signal changed. */
  readonly signals: number;
  readonly raised: number;
  readonly quieted: number;
  /** Naming templates learned in this update (campaign × shape). */
  readonly templates: number;
  /** Wallets tied to a wallet cluster in this update. */
  readonly walletTies: number;
  /** Why a full recluster is needed (undefined: none). */
  readonly stale: string | undefined;
  readonly position: number;
  readonly ms: number;
  /** CPU time of the update (user + system; on a shared machine, wall time `ms` includes waiting). */
  readonly cpuMs: number;
}

interface LiveCampaign {
  readonly id: string;
  nodes: number[];
  flagged: boolean;
  leadTime: LeadTime | null;
}

interface NodeInfo {
  display: string;
  firstSeen: string;
  lastSeen: string;
}

const PIVOT_IDS = new Map<string, number>();
const PIVOT_NAMES: string[] = [];
const pivotId = (p: string): number => {
  let id = PIVOT_IDS.get(p);
  if (id === undefined) {
    id = PIVOT_NAMES.length;
    PIVOT_IDS.set(p, id);
    PIVOT_NAMES.push(p);
  }
  return id;
};
const pivotName = (id: number): string => PIVOT_NAMES[id] ?? '';
/** Pair key of two node ids (exact below 2^24 ids each). */
const pairKey = (a: number, b: number) => (a < b ? a * 2 ** 24 + b : b * 2 ** 24 + a);

/**
 * Entity types whose detectors derive links of their own (the page detector: kit, exfiltration
 * endpoint, wallet); every other link of a batch is what its observations say (the extractor).
 */
const DERIVES_LINKS: ReadonlySet<string> = new Set<EntityType>(['snapshot']);

interface NewLink {
  readonly from: string;
  readonly to: string;
  readonly pivot: LinkPivot | 'template';
  readonly strength: number;
}

export class LiveCorrelation {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly kinds: Map<string, number>;
  private readonly ic: IncrementalClusters;
  // Edges (growable typed arrays) and per-node adjacency as linked lists of half-edges.
  private eFrom = new Uint32Array(1024);
  private eTo = new Uint32Array(1024);
  private eCls = new Uint8Array(1024);
  private eStrength = new Float32Array(1024);
  private ePivot = new Uint8Array(1024);
  private edgeCount = 0;
  private head = new Int32Array(1024).fill(-1);
  private nextHalf = new Int32Array(2048);
  /** Pivots present per node pair (bit per pivot id): a link is added once. */
  private readonly pairs = new Map<number, number>();
  private campaignOf = new Int32Array(1024).fill(-1);
  private readonly campaigns: LiveCampaign[] = [];
  private readonly info = new Map<number, NodeInfo>();
  /** Each entity's assessment from its own signals (null: none); dropped when detect touches it. */
  private readonly own = new Map<number, Assessment | null>();
  /** The `correlate` signal each entity holds now. */
  private readonly held: Map<string, Signal>;
  /** Per site: its `site:` value node, or its one name's node (StoreGraph.sites). */
  private readonly sites: Map<string, number>;
  /** Template value nodes by name shape. */
  private readonly templates = new Map<string, number[]>();
  /** Every name's shape counted (the background templates are learned against). */
  private readonly shapeCounts: Map<string, number>;
  /** Names of each distinctive shape (node ids): what a template learned here links. */
  private readonly byShape: Map<string, number[]>;
  /** `<campaign index>/<shape>` of every template a campaign holds. */
  private readonly learned = new Set<string>();
  /** Transactions seen (the full run's and every update's), clustered again as they grow. */
  private readonly walletTxs: WalletTransaction[];
  /** Each clustered wallet's cluster value. */
  private readonly walletCluster = new Map<string, string>();
  private walletsPending = false;
  private walletsAt = 0;
  /** Nodes whose ties a cap crossing put in doubt: their component waits for a full recluster. */
  private readonly doubtful = new Set<number>();
  private asOf: string;
  private readonly suppressions: FullRunState['suppressions'];
  position: number;
  stale: string | undefined;

  private constructor(
    state: FullRunState,
    private readonly options: LiveOptions,
  ) {
    const sg = state.graph;
    const g = sg.graph;
    this.kinds = new Map(sg.kinds);
    this.asOf = sg.asOf;
    this.position = state.position ?? 0;
    this.held = new Map(state.signals);
    this.sites = new Map(sg.sites);
    // Taken over, not copied: the full run that made them is done with them.
    this.shapeCounts = state.shapes.counts;
    this.byShape = state.shapes.byShape;
    this.walletTxs = [...state.walletTransactions];
    for (const c of state.walletClusters.clusters) for (const w of c.members) this.walletCluster.set(w, c.id);
    this.suppressions = state.suppressions;
    const collapseKinds = COLLAPSED_TYPES.flatMap((t) => {
      const k = sg.kinds.get(t);
      return k === undefined ? [] : [k];
    });
    this.ic = IncrementalClusters.seeded(g, state.clustering, state.groups, {
      ...options.cluster,
      collapseKinds,
      hubKinds: kindsOf(sg.kinds, HUB_TYPES),
    });
    // Values cross their caps all the time in a live stream; only a crossing inside a campaign (or a
    // would-be one) needs the full recluster, so crossings are weighed per component below.
    this.ic.staleOnCap = false;
    for (const k of sg.keys) {
      this.ids.set(k, this.keys.length);
      this.keys.push(k);
      if (k.startsWith('template:')) {
        const shape = k.slice(k.indexOf('/') + 1);
        const list = this.templates.get(shape) ?? [];
        list.push(this.keys.length - 1);
        this.templates.set(shape, list);
      }
    }
    this.ensureNodes(g.nodeCount);
    for (let e = 0; e < g.edgeCount; e++)
      this.pushEdge(g.from[e]!, g.to[e]!, g.cls[e]!, sg.strength[e]!, sg.pivot[e]!);
    state.campaigns.forEach((c, i) => {
      const nodes = [...c.nodes];
      for (const v of nodes) {
        this.campaignOf[v] = i;
        const key = sg.keys[v]!;
        if (key.startsWith('template:')) this.learned.add(`${i}/${key.slice(key.indexOf('/') + 1)}`);
      }
      const view = state.views[i]!;
      this.campaigns.push({
        id: state.ids[i]!,
        nodes,
        flagged: view.flagged,
        leadTime: state.leadTimes[i] ?? null,
      });
    });
    for (const members of state.viewMembers)
      for (const m of members) {
        const v = this.ids.get(m.key);
        if (v !== undefined)
          this.info.set(v, { display: m.display, firstSeen: m.firstSeen, lastSeen: m.lastSeen });
      }
  }

  /** The incremental state a full run ended in. */
  static from(state: FullRunState, options: LiveOptions): LiveCorrelation {
    return new LiveCorrelation(state, options);
  }

  get nodeCount(): number {
    return this.keys.length;
  }

  /**
   * Adds what detect processed after `position` up to `detectPosition` and updates the campaigns the
   * new links touch, writing signals, assessments, campaigns, events and the stage cursor in one
   * transaction.
   */
  async update(store: Store, detectPosition: number): Promise<LiveSummary> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const page = this.options.page ?? 2000;
    const links: NewLink[] = [];
    const derivedFrom = new Set<string>();
    const touchedKeys = new Set<string>();
    let observations = 0;
    let position = this.position;
    while (position < detectPosition) {
      const batch = await store.observations.after(position, page);
      if (batch.length === 0) break;
      for (const o of batch) {
        if (o.seq > detectPosition) break;
        position = o.seq;
        observations++;
        if (o.observedAt > this.asOf) this.asOf = o.observedAt;
        if (o.kind === 'transaction') {
          this.walletTxs.push(walletTransactionOf(o.payload as ObservationPayloads['transaction']));
          this.walletsPending = true;
        }
        const x = this.options.extract(o);
        for (const e of x.entities) {
          touchedKeys.add(e.key);
          if (DERIVES_LINKS.has(e.type)) derivedFrom.add(e.key);
        }
        for (const l of x.links) links.push(l);
      }
      if (batch[batch.length - 1]!.seq > detectPosition || batch.length < page) break;
    }
    // What detectors derived from the batch's subjects (a page's kit, exfiltration endpoints, wallets)
    // is only in the store: read back the links of those subjects.
    for (const k of derivedFrom) for (const l of await store.entities.links(k as EntityKey)) links.push(l);

    // A review decision since the full run changed what may tie: only a full recluster applies it.
    if (suppressionSignature(await store.cases.suppressions()) !== this.suppressions.signature)
      this.stale ??= 'review decisions changed the suppressions';
    const touched = new Set<number>();
    let added = 0;
    for (const l of links) added += this.addLink(l, touched);
    const walletTies = this.relearnWallets(touched);
    added += walletTies;
    for (const k of touchedKeys) {
      const v = this.ids.get(k);
      if (v !== undefined) {
        touched.add(v);
        this.own.delete(v);
      }
    }
    try {
      let out = await this.refresh(store, touched, position);
      // Templates the grown and new campaigns' flagged names now teach; their ties are looked at at once.
      const again = new Set<number>();
      const templates = this.relearnTemplates(out.changed, again);
      if (again.size > 0) {
        const next = await this.refresh(store, again, position);
        out = {
          ...next,
          components: out.components + next.components,
          campaignsUpdated: out.campaignsUpdated + next.campaignsUpdated,
          created: out.created + next.created,
          signals: out.signals + next.signals,
          raised: out.raised + next.raised,
          quieted: out.quieted + next.quieted,
        };
      }
      const { changed: _changed, ...summary } = out;
      this.position = position;
      const used = process.cpuUsage(cpu);
      return {
        ...summary,
        templates,
        walletTies,
        observations,
        links: added,
        nodes: this.keys.length,
        ms: Math.round(performance.now() - started),
        cpuMs: Math.round((used.user + used.system) / 1000),
      };
    } catch (e) {
      // A failed write leaves memory ahead of the store: only a full recluster can reconcile them.
      this.stale = `incremental update failed: ${(e as Error).message}`;
      throw e;
    }
  }

  private node(key: string): number {
    let v = this.ids.get(key);
    if (v !== undefined) return v;
    const type = typeOf(key);
    let kind = 0;
    if (!MEMBER_TYPES.has(type)) {
      kind = this.kinds.get(type) ?? this.kinds.size + 1;
      this.kinds.set(type, kind);
    }
    const known = kind !== 0 && this.options.shared?.match(key) !== undefined;
    v = this.ic.addNode(kind, known);
    this.ids.set(key, v);
    this.keys.push(key);
    this.ensureNodes(this.keys.length);
    return v;
  }

  private ensureNodes(n: number): void {
    if (n <= this.head.length) return;
    let cap = this.head.length;
    while (cap < n) cap *= 2;
    const head = new Int32Array(cap).fill(-1);
    head.set(this.head);
    this.head = head;
    const co = new Int32Array(cap).fill(-1);
    co.set(this.campaignOf);
    this.campaignOf = co;
  }

  private pushEdge(a: number, b: number, cls: number, strength: number, pivot: string): boolean {
    const key = pairKey(a, b);
    const bit = 2 ** pivotId(pivot);
    const have = this.pairs.get(key) ?? 0;
    if (Math.floor(have / bit) % 2 === 1) return false;
    this.pairs.set(key, have + bit);
    const e = this.edgeCount++;
    if (e >= this.eFrom.length) {
      const grow = <T extends Uint32Array | Uint8Array | Float32Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(x.length * 2);
        y.set(x);
        return y;
      };
      this.eFrom = grow(this.eFrom);
      this.eTo = grow(this.eTo);
      this.eCls = grow(this.eCls);
      this.eStrength = grow(this.eStrength);
      this.ePivot = grow(this.ePivot);
      const nh = new Int32Array(this.eFrom.length * 2);
      nh.set(this.nextHalf);
      this.nextHalf = nh;
    }
    this.eFrom[e] = a;
    this.eTo[e] = b;
    this.eCls[e] = cls;
    this.eStrength[e] = strength;
    this.ePivot[e] = pivotId(pivot);
    // Half-edge 2e leaves a, 2e + 1 leaves b.
    this.nextHalf[2 * e] = this.head[a]!;
    this.head[a] = 2 * e;
    this.nextHalf[2 * e + 1] = this.head[b]!;
    this.head[b] = 2 * e + 1;
    return true;
  }

  /** Neighbours of v: [edge, other end] for each half-edge. */
  private *around(v: number): Generator<[number, number]> {
    for (let h = this.head[v]!; h >= 0; h = this.nextHalf[h]!) {
      const e = h >> 1;
      yield [e, h & 1 ? this.eFrom[e]! : this.eTo[e]!];
    }
  }

  /** Adds one link as the full run's graph builder would; returns the edges it added. */
  private addLink(l: NewLink, touched: Set<number>): number {
    if (l.from === l.to) return 0;
    const factor = suppressionFactor(this.suppressions.pivots, l.from, l.to);
    const cls =
      l.pivot === 'template'
        ? PivotClass.medium
        : linkClass(l.pivot, l.strength, this.options.pivots, factor);
    if (cls === undefined) return 0;
    const newFrom = !this.ids.has(l.from);
    const newTo = !this.ids.has(l.to);
    const isNew = newFrom || newTo;
    const a = this.node(l.from);
    const b = this.node(l.to);
    let added = 0;
    // A new name ties to the other names of its site (store-graph.ts), whatever this link does.
    if (newFrom) added += this.linkSite(a, touched);
    if (newTo) added += this.linkSite(b, touched);
    const own = this.addEdge(a, b, cls, l.strength * factor, l.pivot, touched);
    if (own === 0) return added;
    added += own;
    // A page's medium pivots are the names' that serve it (store-graph.ts).
    if (l.pivot === 'serves') {
      for (const [e, w] of this.around(b))
        if (this.eCls[e] === PivotClass.medium && this.eFrom[e] === b)
          added += this.addEdge(
            a,
            w,
            PivotClass.medium,
            this.eStrength[e]!,
            pivotName(this.ePivot[e]!),
            touched,
          );
    } else if (cls === PivotClass.medium) {
      for (const [e, d] of this.around(a))
        if (pivotName(this.ePivot[e]!) === 'serves' && this.eTo[e] === a)
          added += this.addEdge(d, b, PivotClass.medium, l.strength, l.pivot, touched);
    }
    // A new name is shaped (the background templates are learned against), and links to the
    // templates of its shape (a medium pivot).
    if (isNew)
      for (const v of newFrom && newTo ? [a, b] : newFrom ? [a] : [b]) {
        const shape = addNameShape(this.shapeCounts, this.byShape, v, this.keys[v]!, vocabulary());
        for (const t of (shape && this.templates.get(shape)) || [])
          added += this.addEdge(v, t, PivotClass.medium, TEMPLATE_STRENGTH, 'template', touched);
      }
    return added;
  }

  /**
   * Clusters the wallets again when transactions arrived (at most once per `walletEveryMs`), and ties
   * each wallet whose cluster is new to it (a strong pivot, as the full run's). Unions are not undone:
   * a cluster the new transactions would split waits for the full recluster. Returns the ties added.
   */
  private relearnWallets(touched: Set<number>): number {
    if (!this.walletsPending) return 0;
    const now = performance.now();
    if (this.walletsAt > 0 && now - this.walletsAt < (this.options.walletEveryMs ?? 30_000)) return 0;
    this.walletsPending = false;
    this.walletsAt = now;
    let added = 0;
    for (const c of clusterWallets(this.walletTxs).clusters)
      for (const w of c.members) {
        if (this.walletCluster.get(w) === c.id) continue;
        this.walletCluster.set(w, c.id);
        const v = this.node(w);
        added += this.addEdge(
          v,
          this.node(c.id),
          PivotClass.strong,
          WALLET_CLUSTER_STRENGTH,
          'wallet-cluster',
          touched,
        );
      }
    return added;
  }

  /**
   * Learns the naming templates of campaigns that grew or were made (from their flagged names, against
   * every name's shape) as the full run does, and links each name of a new template's shape to it (a
   * medium pivot: it ties only in conjunction). Returns the templates learned; `touched` gets their
   * names.
   */
  private relearnTemplates(campaigns: readonly number[], touched: Set<number>): number {
    let learned = 0;
    for (const i of campaigns) {
      const camp = this.campaigns[i]!;
      const members = camp.nodes.filter((v) => typeOf(this.keys[v]!) === 'domain').map((v) => this.member(v));
      for (const t of campaignTemplates(members, this.shapeCounts, vocabulary())) {
        const mark = `${i}/${t.shape}`;
        if (this.learned.has(mark)) continue;
        this.learned.add(mark);
        learned++;
        const value = this.node(templateKey(camp.id, t.shape));
        const list = this.templates.get(t.shape) ?? [];
        list.push(value);
        this.templates.set(t.shape, list);
        for (const n of this.byShape.get(t.shape) ?? [])
          this.addEdge(n, value, PivotClass.medium, TEMPLATE_STRENGTH, 'template', touched);
      }
    }
    return learned;
  }

  /**
   * Ties a new name to its site as the full run's graph builder does: to the site's `site:` value, made
   * when the site's second name arrives.
   */
  private linkSite(v: number, touched: Set<number>): number {
    const key = this.keys[v]!;
    if (!key.startsWith('domain:')) return 0;
    const site = siteOf(key.slice('domain:'.length));
    const there = this.sites.get(site);
    if (there === undefined) {
      this.sites.set(site, v);
      return 0;
    }
    const value = `${SITE_PREFIX}${site}`;
    const w = SITE_STRENGTH * (this.suppressions.pivots.get(value) ?? 1);
    const cls = w >= STRONG_AT ? PivotClass.strong : w >= MEDIUM_AT ? PivotClass.medium : undefined;
    let s = there;
    let added = 0;
    if (!this.keys[there]!.startsWith(SITE_PREFIX)) {
      s = this.node(value);
      this.sites.set(site, s);
      if (cls !== undefined) added += this.addEdge(there, s, cls, w, 'site', touched);
    }
    if (cls !== undefined) added += this.addEdge(v, s, cls, w, 'site', touched);
    return added;
  }

  private addEdge(
    a: number,
    b: number,
    cls: number,
    strength: number,
    pivot: string,
    touched: Set<number>,
  ): number {
    if (!this.pushEdge(a, b, cls, strength, pivot)) return 0;
    if (cls !== PivotClass.weak) this.ic.addEdge(a, b, cls as PivotClass, Date.parse(this.asOf) || 0);
    if (this.ic.stale && !this.stale) this.stale = this.ic.staleReason;
    if (this.ic.doubtful.length > 0) for (const v of this.ic.doubtful.splice(0)) this.doubtful.add(v);
    touched.add(a);
    touched.add(b);
    return 1;
  }

  /** Looks at the components holding a touched node again, and the touched lone flags. */
  private async refresh(
    store: Store,
    touched: ReadonlySet<number>,
    position: number,
  ): Promise<
    Omit<LiveSummary, 'observations' | 'links' | 'nodes' | 'ms' | 'cpuMs' | 'templates' | 'walletTies'> & {
      changed: number[];
    }
  > {
    const { thresholds } = this.options;
    // 1 — the components to look at, each once.
    const seenRoots = new Set<number>();
    const components: number[][] = [];
    for (const v of touched) {
      const r = this.ic.find(v);
      if (seenRoots.has(r)) continue;
      seenRoots.add(r);
      const size = this.ic.sizeOf(r);
      if (size < 2) continue;
      if (size > this.options.splitAbove) {
        this.stale ??= `a component of ${size} entities needs splitting`;
        continue;
      }
      const nodes = this.ic.component(r);
      const here = new Set<number>();
      let doubtful = false;
      for (const w of nodes) {
        if (this.campaignOf[w]! >= 0) here.add(this.campaignOf[w]!);
        if (this.doubtful.has(w)) doubtful = true;
      }
      if (doubtful) {
        // A tie made through a value now over its cap: the full recluster decides this component.
        if (here.size > 0)
          this.stale ??= `a value tied into campaign ${this.campaigns[[...here][0]!]!.id} crossed its cap`;
        continue;
      }
      if (here.size > 1) {
        this.stale ??= `campaigns ${[...here].map((i) => this.campaigns[i]!.id).join(', ')} now share a component`;
        continue;
      }
      components.push(nodes);
    }
    // 2 — what every target there says on its own.
    const targets: number[] = [];
    for (const nodes of components) for (const v of nodes) if (isTarget(this.keys[v]!)) targets.push(v);
    for (const v of touched) if (isTarget(this.keys[v]!)) targets.push(v);
    await this.loadOwn(store, targets);

    // 3 — each component: a campaign's grows, a corroborated new one becomes a campaign.
    const desired = new Map<string, Signal | undefined>();
    const changedCampaigns: Array<{
      index: number;
      links: ViewLink[];
      members: EvidenceMember[];
      reason: string;
      previous: number;
    }> = [];
    let created = 0;
    const inCampaignNow = new Set<number>();
    const candidates: Array<{ nodes: number[]; index: number }> = [];
    for (const nodes of components) {
      let index = -1;
      for (const v of nodes) if (this.campaignOf[v]! >= 0) index = this.campaignOf[v]!;
      let flagged = false;
      for (const v of nodes) if (this.own.get(v)?.flagged) flagged = true;
      if (index >= 0 || flagged) candidates.push({ nodes, index });
    }
    // Names are needed now: the evidence sentence names the flagged members.
    await this.loadInfo(
      store,
      candidates.flatMap((c) => c.nodes),
    );
    for (const { nodes, index: found } of candidates) {
      let index = found;
      const members = nodes.map((v) => this.member(v));
      const units = new Set(members.filter((m) => isMemberType(typeOf(m.key))).map((m) => m.unit));
      if (index < 0 && units.size < this.options.minMembers) continue;
      const links = this.linksWithin(nodes);
      const evidence = campaignEvidence(PLACEHOLDER, members, links, this.options.evidence);
      if (!evidence.corroborated) {
        if (index >= 0) this.stale ??= `campaign ${this.campaigns[index]!.id} is no longer corroborated`;
        continue;
      }
      let previous = 0;
      if (index < 0) {
        const keys = members.flatMap((m) => (m.key.startsWith('template:') ? [] : [m.key])).sort();
        index = this.campaigns.length;
        this.campaigns.push({ id: mintCampaignId(keys), nodes: [], flagged: false, leadTime: null });
        created++;
      } else previous = this.listed(this.campaigns[index]!.nodes);
      const id = this.campaigns[index]!.id;
      this.campaigns[index]!.nodes = nodes;
      for (const v of nodes) inCampaignNow.add(v);
      const signals = new Map(evidence.signals.map((s) => [s.member, toSignal(s, id)]));
      for (const m of members) if (m.target) desired.set(m.key, signals.get(m.key));
      changedCampaigns.push({ index, links, members, reason: evidence.reason, previous });
    }
    // 4 — lone weak flags stay quiet.
    let quieted = 0;
    for (const v of touched) {
      const key = this.keys[v]!;
      if (!isTarget(key) || inCampaignNow.has(v) || this.campaignOf[v]! >= 0) continue;
      const own = this.own.get(v);
      const signal = own ? quietSignal(own, this.options.quiet, thresholds) : undefined;
      if (signal) quieted++;
      desired.set(key, signal);
    }

    // 5 — the signals that change, and the members' new assessments.
    const changed = [...desired]
      .filter(([k, s]) => !sameSignal(this.held.get(k), s))
      .map(([k]) => k as EntityKey);
    const viewTargets = new Set<EntityKey>(changed);
    for (const c of changedCampaigns)
      for (const m of c.members) if (m.target) viewTargets.add(m.key as EntityKey);
    const stored = await store.assessments.signalsOf(changed);
    const current = await store.assessments.getMany([...viewTargets]);
    const replacements: SignalReplacement[] = [];
    const reassessed: Assessment[] = [];
    let raised = 0;
    for (const key of changed) {
      const kept = (stored.get(key) ?? []).filter((s) => s.detector !== CORRELATE_DETECTOR);
      const add = desired.get(key);
      const at = current.get(key)?.assessedAt ?? this.asOf;
      const a = assess(key, add ? [...kept, add] : kept, at, thresholds);
      reassessed.push(a);
      current.set(key, a);
      replacements.push({
        entity: key,
        detectors: [CORRELATE_DETECTOR],
        signals: add ? [add] : [],
        observedAt: at,
      });
      const own = this.own.get(this.ids.get(key)!);
      if (a.flagged && !own?.flagged) raised++;
    }

    // 6 — the campaigns' read model and timeline.
    const updatedAt = (this.options.now ?? (() => new Date().toISOString()))();
    const writes: CampaignWrite[] = [];
    const events: CampaignEventWrite[] = [];
    for (const c of changedCampaigns) {
      const camp = this.campaigns[c.index]!;
      const view: ViewMember[] = camp.nodes.map((v, i) => {
        const key = this.keys[v]! as EntityKey;
        const type = typeOf(key) as EntityType;
        const info = this.info.get(v);
        const a = current.get(key);
        const m = c.members[i]!;
        return {
          key,
          type,
          display: info?.display ?? m.display,
          firstSeen: info?.firstSeen ?? this.asOf,
          lastSeen: info?.lastSeen ?? this.asOf,
          score: a?.score ?? m.score,
          flagged: a?.flagged ?? m.flagged,
          families: m.flagged ? [...new Set(m.signals.map(signalFamily))] : [],
          value: !isMemberType(type),
          pivotOnly: key.startsWith('template:'),
        };
      });
      const raisedHere = view.filter((m, i) => m.flagged && !c.members[i]!.flagged).length;
      const w = campaignView({
        id: camp.id,
        members: view,
        links: c.links,
        updatedAt,
        flagThreshold: thresholds.flag,
        leadTime: camp.leadTime,
        raised: raisedHere,
        corroboration: c.reason,
      });
      writes.push(w);
      const size = this.listed(camp.nodes);
      if (c.previous === 0)
        events.push({ campaignId: camp.id, at: this.asOf, kind: 'created', detail: `${size} members` });
      else if (size !== c.previous)
        events.push({
          campaignId: camp.id,
          at: this.asOf,
          kind: size > c.previous ? 'grew' : 'shrank',
          detail: `${c.previous} → ${size} members`,
        });
      if (w.flagged && !camp.flagged)
        events.push({
          campaignId: camp.id,
          at: this.asOf,
          kind: 'flagged',
          detail: `risk ${w.risk}: ${w.explanation.split('. ')[0]}`,
        });
    }

    await store.transaction(async (tx) => {
      await tx.assessments.replaceSignals(replacements);
      await tx.assessments.write(reassessed);
      await tx.campaigns.save(writes);
      await tx.campaigns.appendEvents(events);
      await tx.stages.setCursor(CORRELATE_STAGE, position);
    });
    // Committed: memory follows.
    for (const key of changed) {
      const s = desired.get(key);
      if (s) this.held.set(key, s);
      else this.held.delete(key);
    }
    changedCampaigns.forEach((c, i) => {
      const camp = this.campaigns[c.index]!;
      camp.flagged = writes[i]!.flagged;
      for (const v of camp.nodes) this.campaignOf[v] = c.index;
    });
    return {
      mode: 'incremental',
      components: components.length,
      campaignsUpdated: changedCampaigns.length - created,
      created,
      signals: changed.length,
      raised,
      quieted,
      stale: this.stale,
      position,
      changed: changedCampaigns.map((c) => c.index),
    };
  }

  /** Member entities of a node list (templates and shared values not counted), as the timeline counts. */
  private listed(nodes: readonly number[]): number {
    let n = 0;
    for (const v of nodes) if (!this.keys[v]!.startsWith('template:')) n++;
    return n;
  }

  private member(v: number): EvidenceMember {
    const key = this.keys[v]!;
    const a = this.own.get(v) ?? undefined;
    const ids = (a?.contributions ?? []).filter((c) => c.weight > 0).map((c) => c.id);
    return {
      key,
      display: this.info.get(v)?.display ?? key.slice(key.indexOf(':') + 1),
      target: isTarget(key) && !this.suppressions.silenced.has(key),
      score: a?.score ?? 0,
      flagged: a?.flagged ?? false,
      signals: ids,
      unit: unitOf(key),
    };
  }

  /** Conducting strong and medium links inside a group, as the full run collects them. */
  private linksWithin(nodes: readonly number[]): ViewLink[] {
    const index = new Map<number, number>();
    for (const [i, v] of nodes.entries()) index.set(v, i);
    const out: ViewLink[] = [];
    for (const v of nodes) {
      if (!this.ic.conducting(v)) continue;
      for (const [e, w] of this.around(v)) {
        const j = index.get(w);
        if (j === undefined || w <= v || !this.ic.conducting(w) || this.ic.hubCut(v, w)) continue;
        const cls = this.eCls[e]! as 0 | 1 | 2;
        if (cls === PivotClass.weak) continue;
        const raw = this.eStrength[e]!;
        const strength = cls === PivotClass.strong ? Math.max(raw, STRONG_EVIDENCE_FLOOR) : raw;
        out.push({ a: index.get(v)!, b: j, cls, strength });
      }
    }
    return out;
  }

  private async loadOwn(store: Store, nodes: readonly number[]): Promise<void> {
    const missing = [...new Set(nodes.filter((v) => !this.own.has(v)))];
    if (missing.length === 0) return;
    const keys = missing.map((v) => this.keys[v]! as EntityKey);
    const signals = await store.assessments.signalsOf(keys);
    for (const [i, k] of keys.entries()) {
      const list = (signals.get(k) ?? []).filter((s) => s.detector !== CORRELATE_DETECTOR);
      this.own.set(missing[i]!, list.length > 0 ? assess(k, list, this.asOf, this.options.thresholds) : null);
    }
  }

  private async loadInfo(store: Store, nodes: readonly number[]): Promise<void> {
    const missing = nodes.filter((v) => !this.info.has(v) && !this.keys[v]!.startsWith('template:'));
    if (missing.length === 0) return;
    const got = await store.entities.getMany(missing.map((v) => this.keys[v]! as EntityKey));
    for (const v of missing) {
      const e = got.get(this.keys[v]! as EntityKey);
      if (e) this.info.set(v, { display: e.display, firstSeen: e.firstSeen, lastSeen: e.lastSeen });
    }
  }
}

const sameSignal = (a: Signal | undefined, b: Signal | undefined): boolean =>
  a === b ||
  (a !== undefined && b !== undefined && a.id === b.id && a.weight === b.weight && a.detail === b.detail);
