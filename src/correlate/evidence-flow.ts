/**
 * Evidence that flows along strong links: the `campaign.member` signal each member of a campaign gains
 * from the flagged members it is tied to. Precursor's own model, so written here:
 *
 * - path strength between two members = the best product of link strengths along a path inside the
 *   campaign (a name → certificate → name path at 0.9 · 0.9 = 0.81);
 * - a member's support = noisy-OR over the `topK` flagged members best tied to it of
 *   path strength × (their score / 100); weight = maxWeight · support;
 * - the campaign passes evidence only when it is corroborated: at least `minFlagged` flagged members
 *   whose flags come from at least `minFamilies` independent sources of evidence (`tenant`, `domain`,
 *   `page`: the first segment of the signal id) — or from one source when one of them scores
 *   `strongScore` or more on a source that may stand alone (not `weakAlone`: tenant behaviour never
 *   does); flagged members count once per `unit` (a site's hosts are one). One linked
 *   burst — accounts flagged only because they arrived together — is one family: it stays quiet.
 * - `campaign.*` signals never count as evidence, so the flow cannot feed on itself.
 * @module
 */

export interface EvidenceMember {
  readonly key: string;
  /** What a person reads (a Unicode name, an account label). */
  readonly display: string;
  /** Whether it can receive a signal (a domain, account, page; not a shared value node). */
  readonly target: boolean;
  readonly score: number;
  readonly flagged: boolean;
  /** Ids of the signals behind its current assessment. */
  readonly signals: readonly string[];
  /**
   * What it is one of (default its key): names of one registrable domain share a unit (`www.x.top` and
   * `x.top`), so a site's own hosts neither corroborate each other nor pass each other evidence — that
   * would count one flag twice.
   */
  readonly unit?: string;
}

export interface EvidenceLink {
  /** Indexes into the members array. */
  readonly a: number;
  readonly b: number;
  /** 0..1, after the ubiquity discount. */
  readonly strength: number;
}

export interface EvidenceConfig {
  readonly maxWeight: number;
  /** Signals below this weight are not emitted. */
  readonly minWeight: number;
  readonly minFlagged: number;
  readonly minFamilies: number;
  readonly strongScore: number;
  readonly topK: number;
  /** Flagged members tied more weakly than this are not counted in the sentence. */
  readonly minPath: number;
  /**
   * Sources whose flags never corroborate a campaign alone, however high they score: tenant
   * behaviour (a linked sign-up burst) needs a name, a page or a wallet beside it.
   */
  readonly weakAlone?: readonly string[];
}

export const DEFAULT_EVIDENCE_CONFIG: EvidenceConfig = {
  maxWeight: 70,
  minWeight: 10,
  minFlagged: 2,
  minFamilies: 2,
  strongScore: 80,
  topK: 5,
  minPath: 0.25,
  weakAlone: ['tenant'],
};

export interface MemberSignal {
  readonly member: string;
  readonly id: 'campaign.member';
  readonly weight: number;
  readonly detail: string;
  /** Keys of the flagged members and the shared values that carry the evidence. */
  readonly evidence: readonly string[];
}

export interface CampaignEvidence {
  readonly corroborated: boolean;
  /** Why the campaign does or does not pass evidence, in a sentence. */
  readonly reason: string;
  readonly families: readonly string[];
  readonly signals: readonly MemberSignal[];
}

/**
 * The independent source of evidence a signal comes from: `tenant.velocity.payment-fingerprint` →
 * `tenant`. The tenant detectors' signals (a burst, shared payment, hosting sign-up, crypto) all read
 * one account's behaviour and its links, so they are one source, however many rules fire.
 */
export const signalFamily = (id: string) => id.split('.')[0] ?? id;

export function campaignEvidence(
  campaignId: string,
  members: readonly EvidenceMember[],
  links: readonly EvidenceLink[],
  config: EvidenceConfig = DEFAULT_EVIDENCE_CONFIG,
  /** False: whether the campaign is corroborated and why, without its members' signals (left empty). */
  withSignals = true,
): CampaignEvidence {
  const flagged = members.map((m, i) => (m.flagged ? i : -1)).filter((i) => i >= 0);
  const families = new Set<string>();
  const weak = new Set(config.weakAlone ?? []);
  let best = 0;
  for (const i of flagged) {
    const m = members[i]!;
    const own = new Set(m.signals.filter((s) => !s.startsWith('campaign.')).map(signalFamily));
    for (const f of own) families.add(f);
    // A strong flag stands alone only on a source that may stand alone.
    if ([...own].some((f) => !weak.has(f))) best = Math.max(best, m.score);
  }
  const fams = [...families].sort();
  const unitOf = (i: number) => members[i]!.unit ?? members[i]!.key;
  const flaggedUnits = new Set(flagged.map(unitOf)).size;
  if (flaggedUnits < config.minFlagged)
    return quiet(`${flaggedUnits} flagged member(s), fewer than ${config.minFlagged}`, fams);
  if (fams.length < config.minFamilies && best < config.strongScore)
    return quiet(
      `flags come from ${fams.length} source of evidence (${fams.join(', ')}) and none that may stand alone reaches ${config.strongScore}: one linked burst is not a campaign`,
      fams,
    );

  const reason = `${flagged.length} flagged members, flags from ${fams.length} source(s) of evidence (${fams.join(', ')})`;
  if (!withSignals) return { corroborated: true, reason, families: fams, signals: [] };
  const adj: Array<Array<[number, number]>> = members.map(() => []);
  for (const l of links) {
    if (l.strength <= 0) continue;
    adj[l.a]!.push([l.b, l.strength]);
    adj[l.b]!.push([l.a, l.strength]);
  }
  // paths[k][v]: best path strength from flagged member flagged[k] to v.
  const paths = flagged.map((f) => widestProducts(adj, f));
  const signals: MemberSignal[] = [];
  members.forEach((m, v) => {
    if (!m.target) return;
    const ties = flagged
      .map((f, k) => ({ f, p: unitOf(f) === unitOf(v) ? 0 : paths[k]![v]! }))
      .filter((t) => t.p >= config.minPath)
      .sort((x, y) => y.p - x.p);
    if (ties.length === 0) return;
    let miss = 1;
    for (const t of ties.slice(0, config.topK)) miss *= 1 - t.p * (members[t.f]!.score / 100);
    const weight = Math.round(config.maxWeight * (1 - miss));
    if (weight < config.minWeight) return;
    const via = adj[v]!.slice()
      .sort((x, y) => y[1] - x[1])
      .slice(0, 2)
      .map(([w]) => members[w]!);
    const n = ties.length;
    const kinds = new Set(ties.map((t) => nounOf(members[t.f]!.key)));
    const what = kinds.size === 1 ? `${[...kinds][0]}${n === 1 ? '' : 's'}` : n === 1 ? 'member' : 'members';
    signals.push({
      member: m.key,
      id: 'campaign.member',
      weight,
      detail:
        `shares ${via.map((w) => `${nounOf(w.key)} ${w.display}`).join(' and ')} with ${n} flagged ` +
        `${what} of campaign ${campaignId} (strongest path ${ties[0]!.p.toFixed(2)})`,
      evidence: [...ties.slice(0, config.topK).map((t) => members[t.f]!.key), ...via.map((w) => w.key)],
    });
  });
  return { corroborated: true, reason, families: fams, signals };
}

function quiet(reason: string, families: string[]): CampaignEvidence {
  return { corroborated: false, reason, families, signals: [] };
}

/** Max-product path strengths from one source (Dijkstra on the product, strengths ≤ 1). */
function widestProducts(adj: ReadonlyArray<ReadonlyArray<[number, number]>>, source: number): Float64Array {
  const best = new Float64Array(adj.length);
  best[source] = 1;
  const done = new Uint8Array(adj.length);
  // Campaigns are at most a few hundred members: a linear scan for the next node is fast enough.
  for (;;) {
    let u = -1;
    for (let i = 0; i < adj.length; i++)
      if (!done[i] && best[i]! > 0 && (u < 0 || best[i]! > best[u]!)) u = i;
    if (u < 0) return best;
    done[u] = 1;
    for (const [w, s] of adj[u]!) {
      const p = best[u]! * Math.min(1, s);
      if (p > best[w]!) best[w] = p;
    }
  }
}

const NOUNS: Record<string, string> = {
  domain: 'name',
  cert: 'certificate',
  account: 'account',
  payment: 'payment instrument',
  wallet: 'wallet',
  ip: 'IP',
  ns: 'nameserver',
  kit: 'kit',
  email: 'email',
  snapshot: 'page',
  url: 'URL',
  device: 'device',
  'telegram-bot': 'Telegram bot',
  template: 'naming template',
};

function nounOf(key: string): string {
  return NOUNS[key.slice(0, key.indexOf(':'))] ?? 'entity';
}
