/**
 * The stored links as a pivot graph: which entities are campaign members and which are shared values,
 * and the class (strong, medium, weak) of every link. The class follows the pivot — a certificate or a
 * payment instrument ties on its own, an address or a name server only in conjunction, an ASN never —
 * demoted when configuration weakens the pivot (`pivots` in docs/config.md), so the one pivot model
 * decides both a link's strength and what it can tie.
 * @module
 */
import type { ClassedPivot, EntityType, Link, LinkPivot } from '../domain/index.js';
import { PivotClass, type PivotGraph } from './pivot-graph.js';
import type { PivotModel } from './pivots.js';
import type { SharedInfrastructure } from './shared-infrastructure.js';
import { SITE_PREFIX, SITE_STRENGTH, siteOf } from './site.js';

/** Entities that can be a campaign's members in their own right; every other type is a shared value. */
export const MEMBER_TYPES: ReadonlySet<string> = new Set<EntityType>([
  'domain',
  'account',
  'url',
  'snapshot',
]);
/** Members that carry an assessment, and so can receive the `campaign.member` signal. */
export const TARGET_TYPES: ReadonlySet<string> = new Set<EntityType>(['domain', 'account']);

const NOMINAL: Readonly<Record<LinkPivot, PivotClass>> = {
  hosts: PivotClass.strong,
  serves: PivotClass.strong,
  'snapshot-of': PivotClass.strong,
  'redirects-to': PivotClass.strong,
  'attached-by': PivotClass.strong,
  'deployed-by': PivotClass.strong,
  'cert-name': PivotClass.strong,
  'same-cert': PivotClass.strong,
  'exfil-to': PivotClass.strong,
  'same-payment': PivotClass.strong,
  'same-wallet': PivotClass.strong,
  'co-spent': PivotClass.strong,
  'same-email': PivotClass.strong,
  'same-device': PivotClass.strong,
  // Kits are sold and shared between operators: a kit family is a medium pivot (issue 12).
  'same-kit': PivotClass.medium,
  'resolves-to': PivotClass.medium,
  'uses-ns': PivotClass.medium,
  'registered-by': PivotClass.medium,
  'same-ip': PivotClass.medium,
  'same-email-domain': PivotClass.medium,
  'paid-to': PivotClass.medium,
  'same-asn': PivotClass.weak,
};

/** A pivot configured below this strength can no longer tie on its own. */
export const STRONG_AT = 0.6;
/** … and below this one it never ties. */
export const MEDIUM_AT = 0.2;
/**
 * A value-classed link (an address by its network, a mail domain by its kind) ties in conjunction only
 * from this strength: a hosting address (0.7) is one machine, a residential one (0.4) is re-assigned and
 * shared by a household or a VPN exit's users, so it explains a link but never makes one.
 */
export const CLASSED_MEDIUM_AT = 0.5;

/**
 * The class of a link. `strength` is the link's own (after the ubiquity discount of a shared
 * certificate); the class is decided on the pivot's configured strength, except for classed pivots
 * whose strength depends on the value (`same-ip` residential vs hosting) and is the link's.
 * Returns undefined for a link that links nothing (strength 0). `factor` scales the strength the class is
 * decided on: a pivot a benign review decision suppressed (factor 0.1) no longer ties anything.
 */
export function linkClass(
  pivot: LinkPivot,
  strength: number,
  pivots: PivotModel,
  factor = 1,
): PivotClass | undefined {
  if (strength <= 0) return undefined;
  const nominal = NOMINAL[pivot] ?? PivotClass.weak;
  const classed = isClassedPivot(pivot);
  const base = (classed ? strength : pivots.strength(pivot)) * factor;
  if (base <= 0) return undefined;
  const mediumAt = classed ? CLASSED_MEDIUM_AT : MEDIUM_AT;
  const byStrength =
    base >= STRONG_AT ? PivotClass.strong : base >= mediumAt ? PivotClass.medium : PivotClass.weak;
  return Math.max(nominal, byStrength) as PivotClass;
}

const isClassedPivot = (p: LinkPivot): p is ClassedPivot =>
  p === 'same-ip' || p === 'same-asn' || p === 'same-email-domain';

/** Pivots the correlate stage derives itself rather than reads from stored links. */
export type DerivedPivot = 'template' | 'wallet-cluster' | 'site';

export const CLASS_NAMES = ['strong', 'medium', 'weak'] as const;

/** The pivot graph with what the stage needs beside it: keys, each link's strength, pivot and time. */
export interface StoreGraph {
  readonly graph: PivotGraph;
  readonly keys: readonly string[];
  /** Per edge: the link's strength (0..1). */
  readonly strength: Float32Array;
  /** Per edge: the link's pivot (`template` for a naming template the stage derived). */
  readonly pivot: readonly (LinkPivot | DerivedPivot)[];
  /** Newest `lastSeen` of any link: the graph's "now" in event time. */
  readonly asOf: string;
  /** Value kinds by entity type (kind ids of the graph). */
  readonly kinds: ReadonlyMap<string, number>;
  /**
   * Per site (registrable domain) with a name in the graph: its `site:` value node when two or more of
   * its names are in the graph, else its one name's node (what an arriving name of the site ties to).
   */
  readonly sites: ReadonlyMap<string, number>;
}

/** Accumulates links (any order, duplicates allowed) into a StoreGraph. */
export class StoreGraphBuilder {
  readonly #ids = new Map<string, number>();
  readonly #keys: string[] = [];
  readonly #kind: number[] = [];
  readonly #known: number[] = [];
  readonly #from: number[] = [];
  readonly #to: number[] = [];
  readonly #cls: number[] = [];
  readonly #strength: number[] = [];
  readonly #pivot: (LinkPivot | DerivedPivot)[] = [];
  readonly #kinds = new Map<string, number>();
  /**
   * The last added link's `from` and its node: the stored links arrive in (from, to, pivot) order, so
   * an entity's links come together and its key is looked up once for all of them.
   */
  #lastFrom: string | undefined;
  #lastFromId = -1;
  /** Registrable domain of each `domain:` node, once found (`build` runs again after templates). */
  readonly #site: string[] = [];
  #asOf = '';

  constructor(
    private readonly pivots: PivotModel,
    private readonly shared?: SharedInfrastructure,
    /** Factor per shared value a benign review decision suppressed (`pivot:<key>` suppressions). */
    private readonly suppressed: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** Whether `key` is a node already (an entity some added link names). */
  has(key: string): boolean {
    return this.#ids.has(key);
  }

  /** The host names of the `domain:` nodes so far (without the prefix). */
  domainNames(): Set<string> {
    const out = new Set<string>();
    for (const k of this.#keys) if (k.startsWith('domain:')) out.add(k.slice('domain:'.length));
    return out;
  }

  #node(key: string): number {
    let id = this.#ids.get(key);
    if (id !== undefined) return id;
    id = this.#keys.length;
    this.#ids.set(key, id);
    this.#keys.push(key);
    const type = key.slice(0, key.indexOf(':'));
    let kind = 0;
    if (!MEMBER_TYPES.has(type)) {
      kind = this.#kinds.get(type) ?? this.#kinds.size + 1;
      this.#kinds.set(type, kind);
    }
    this.#kind.push(kind);
    this.#known.push(kind !== 0 && this.shared?.match(key) !== undefined ? 1 : 0);
    return id;
  }

  add(link: Pick<Link, 'from' | 'to' | 'pivot' | 'strength' | 'lastSeen'>): void {
    if (link.lastSeen > this.#asOf) this.#asOf = link.lastSeen;
    const factor = suppressionFactor(this.suppressed, link.from, link.to);
    const cls = linkClass(link.pivot, link.strength, this.pivots, factor);
    if (cls === undefined || link.from === link.to) return;
    let from = this.#lastFromId;
    if (link.from !== this.#lastFrom) {
      from = this.#node(link.from);
      this.#lastFrom = link.from;
      this.#lastFromId = from;
    }
    this.#from.push(from);
    this.#to.push(this.#node(link.to));
    this.#cls.push(cls);
    this.#strength.push(link.strength * factor);
    this.#pivot.push(link.pivot);
  }

  /**
   * An edge the stage derives itself (a naming template, a wallet cluster): `to` becomes a shared value
   * of its type.
   */
  addEdge(
    from: string,
    to: string,
    cls: PivotClass,
    strength: number,
    pivot: DerivedPivot = 'template',
  ): void {
    this.#from.push(this.#node(from));
    this.#to.push(this.#node(to));
    this.#cls.push(cls);
    this.#strength.push(strength);
    this.#pivot.push(pivot);
  }

  build(): StoreGraph {
    // A page's medium pivots (its kit family) are its name's too: the name serves the page, so a name's
    // template and its page's kit are two pivots of one member, as the conjunction needs them.
    const servedBy = new Map<number, number[]>();
    const n = this.#from.length;
    for (let e = 0; e < n; e++)
      if (this.#pivot[e] === 'serves') {
        const list = servedBy.get(this.#to[e]!) ?? [];
        list.push(this.#from[e]!);
        servedBy.set(this.#to[e]!, list);
      }
    const from = [...this.#from];
    const to = [...this.#to];
    const cls = [...this.#cls];
    const strength = [...this.#strength];
    const pivot = [...this.#pivot];
    // The hosts of one registrable domain are one registrant's: each ties to a `site:` value (a host
    // whose only link is a page it serves — `login.x.top` — still reaches `x.top` and its certificate).
    const bySite = new Map<string, number[]>();
    const nodes = this.#keys.length;
    for (let v = 0; v < nodes; v++) {
      const key = this.#keys[v]!;
      if (!key.startsWith('domain:')) continue;
      let site = this.#site[v];
      if (site === undefined) {
        site = siteOf(key.slice('domain:'.length));
        this.#site[v] = site;
      }
      const list = bySite.get(site);
      if (list) list.push(v);
      else bySite.set(site, [v]);
    }
    const sites = new Map<string, number>();
    for (const [site, hosts] of bySite) {
      if (hosts.length < 2) {
        sites.set(site, hosts[0]!);
        continue;
      }
      const value = `${SITE_PREFIX}${site}`;
      const s = this.#node(value);
      sites.set(site, s);
      const w = SITE_STRENGTH * (this.suppressed.get(value) ?? 1);
      const c = w >= STRONG_AT ? PivotClass.strong : w >= MEDIUM_AT ? PivotClass.medium : undefined;
      if (c === undefined) continue;
      for (const h of hosts) {
        from.push(h);
        to.push(s);
        cls.push(c);
        strength.push(w);
        pivot.push('site');
      }
    }
    for (let e = 0; e < n; e++) {
      if (this.#cls[e] !== PivotClass.medium) continue;
      for (const d of servedBy.get(this.#from[e]!) ?? []) {
        from.push(d);
        to.push(this.#to[e]!);
        cls.push(PivotClass.medium);
        strength.push(this.#strength[e]!);
        pivot.push(this.#pivot[e]!);
      }
    }
    return {
      graph: {
        nodeCount: this.#keys.length,
        kind: Uint8Array.from(this.#kind),
        known: Uint8Array.from(this.#known),
        edgeCount: from.length,
        from: Uint32Array.from(from),
        to: Uint32Array.from(to),
        cls: Uint8Array.from(cls),
      },
      keys: [...this.#keys],
      strength: Float32Array.from(strength),
      pivot,
      asOf: this.#asOf,
      kinds: new Map(this.#kinds),
      sites,
    };
  }
}

/** The factor of a link through a suppressed value (the smaller of its two ends'; 1 when neither). */
export function suppressionFactor(suppressed: ReadonlyMap<string, number>, from: string, to: string): number {
  if (suppressed.size === 0) return 1;
  return Math.min(suppressed.get(from) ?? 1, suppressed.get(to) ?? 1);
}

/**
 * What benign review decisions left for correlation (store `cases.suppressions()`): the factor of each
 * suppressed pivot value, and the entities decided benign (no campaign lends them evidence again).
 */
export function suppressionsOf(
  rows: ReadonlyArray<{ key: string; kind: 'entity' | 'pivot'; factor: number }>,
): {
  pivots: Map<string, number>;
  silenced: Set<string>;
} {
  const pivots = new Map<string, number>();
  const silenced = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'pivot') {
      const key = r.key.startsWith('pivot:') ? r.key.slice('pivot:'.length) : r.key;
      pivots.set(key, Math.min(pivots.get(key) ?? 1, r.factor));
    } else if (r.factor < 1) silenced.add(r.key);
  }
  return { pivots, silenced };
}

/** Identity of a set of active suppressions: an incremental update compares it with the full run's. */
export function suppressionSignature(
  rows: ReadonlyArray<{ key: string; caseId: string; factor: number }>,
): string {
  return rows
    .map((r) => `${r.caseId}\u0000${r.key}\u0000${r.factor}`)
    .sort()
    .join('\n');
}
