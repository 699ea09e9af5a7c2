/**
 * The read model of one campaign, from its members, the links inside it and their assessments: the
 * name, risk, counts, pivots, growth and the paragraph a person reads. Pure; the correlate stage calls
 * it for every campaign of a run.
 * @module
 */
import type { EntityKey, EntityType } from '../domain/index.js';
import type {
  CampaignGrowthPoint,
  CampaignLeadTime,
  CampaignMember,
  CampaignPivot,
  CampaignTopPivot,
  CampaignWrite,
} from '../store/store.js';

export interface ViewMember {
  readonly key: EntityKey;
  readonly type: EntityType;
  readonly display: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** After evidence flow (0 for a shared value). */
  readonly score: number;
  readonly flagged: boolean;
  /** Non-campaign signal families behind its flag. */
  readonly families: readonly string[];
  /** Whether it is a shared value (a certificate, a wallet …) rather than a member entity. */
  readonly value: boolean;
  /** Shown as a pivot only, never as a member (a naming template the stage derived). */
  readonly pivotOnly?: boolean;
}

export interface ViewLink {
  readonly a: number;
  readonly b: number;
  readonly cls: 0 | 1 | 2;
  readonly strength: number;
}

export interface ViewInput {
  readonly id: string;
  readonly members: readonly ViewMember[];
  readonly links: readonly ViewLink[];
  readonly updatedAt: string;
  readonly flagThreshold: number;
  readonly leadTime: CampaignLeadTime | null;
  /** Members raised by evidence flow in this run (named in the explanation). */
  readonly raised: number;
  readonly corroboration: string;
}

const CLASS = ['strong', 'medium', 'weak'] as const;
const NOUN: Record<string, [string, string]> = {
  domain: ['name', 'names'],
  account: ['account', 'accounts'],
  url: ['URL', 'URLs'],
  snapshot: ['page', 'pages'],
  cert: ['certificate', 'certificates'],
  payment: ['payment instrument', 'payment instruments'],
  wallet: ['wallet', 'wallets'],
  'wallet-cluster': ['wallet cluster', 'wallet clusters'],
  email: ['mailbox', 'mailboxes'],
  device: ['device', 'devices'],
  ip: ['IP address', 'IP addresses'],
  ns: ['name server', 'name servers'],
  kit: ['kit', 'kits'],
  'telegram-bot': ['Telegram bot', 'Telegram bots'],
  asn: ['ASN', 'ASNs'],
};
export const nounFor = (type: string, n: number): string => {
  const w = NOUN[type] ?? ['entity', 'entities'];
  return `${n} ${n === 1 ? w[0] : w[1]}`;
};

/** Risk of a campaign: the noisy-OR of its five highest member scores (so two 60s make 84). */
export function campaignRisk(scores: readonly number[]): number {
  const top = [...scores].sort((a, b) => b - a).slice(0, 5);
  let miss = 1;
  for (const s of top) miss *= 1 - Math.min(99.9, Math.max(0, s)) / 100;
  return Math.round(100 * (1 - miss));
}

export function campaignView(input: ViewInput): CampaignWrite {
  const { links } = input;
  const members = input.members;
  const listed = members.filter((m) => !m.pivotOnly);
  const counts: Record<string, number> = {};
  for (const m of listed) counts[m.type] = (counts[m.type] ?? 0) + 1;

  // Pivots: the shared values inside the campaign, by how many members they tie and how strongly.
  const pivots: CampaignPivot[] = [];
  const deg = new Map<number, { members: Set<number>; cls: number; weight: number }>();
  for (const l of links)
    for (const [v, w] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const) {
      if (!members[v]!.value || members[w]!.value) continue;
      const d = deg.get(v) ?? { members: new Set<number>(), cls: 2, weight: 0 };
      d.members.add(w);
      d.cls = Math.min(d.cls, l.cls);
      d.weight = Math.max(d.weight, l.strength);
      deg.set(v, d);
    }
  for (const [v, d] of deg) {
    const m = members[v]!;
    pivots.push({
      // A template's node is per campaign and per run (`template:g3/<shape>`); people read the shape.
      key: m.pivotOnly ? m.key.replace(/^template:[^/]*\//, 'template:') : m.key,
      kind: m.type,
      strength: CLASS[d.cls as 0 | 1 | 2],
      weight: Math.round(d.weight * 100) / 100,
      members: d.members.size,
    });
  }
  pivots.sort(
    (x, y) =>
      CLASS.indexOf(x.strength) - CLASS.indexOf(y.strength) ||
      y.members - x.members ||
      (x.key < y.key ? -1 : 1),
  );
  const topPivots: CampaignTopPivot[] = pivots
    .slice(0, 5)
    .map(({ key, kind, strength, members: n }) => ({ key, kind, strength, members: n }));

  const entities = listed.filter((m) => !m.value);
  const scores = entities.map((m) => m.score);
  const risk = campaignRisk(scores);
  const flaggedMembers = entities.filter((m) => m.flagged);
  let firstSeen = members[0]?.firstSeen ?? input.updatedAt;
  let lastSeen = members[0]?.lastSeen ?? input.updatedAt;
  for (const m of listed) {
    if (m.firstSeen < firstSeen) firstSeen = m.firstSeen;
    if (m.lastSeen > lastSeen) lastSeen = m.lastSeen;
  }

  // Growth: members by the day they were first seen, cumulative.
  const perDay = new Map<string, number>();
  for (const m of listed) {
    const day = m.firstSeen.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const growth: CampaignGrowthPoint[] = [];
  let total = 0;
  for (const day of [...perDay.keys()].sort()) {
    total += perDay.get(day)!;
    growth.push({ day, members: total });
  }

  const lead = [...entities]
    .filter((m) => m.type === 'domain')
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))[0];
  const anchor = lead ?? [...entities].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))[0];
  const others = entities.length - 1;
  const name = anchor ? `${anchor.display}${others > 0 ? ` +${others}` : ''}` : input.id;

  const memberList: CampaignMember[] = listed.map((m) => ({
    key: m.key,
    type: m.type,
    display: m.display,
    score: m.score,
    flagged: m.flagged,
  }));
  return {
    id: input.id,
    name,
    state: 'active',
    risk,
    flagged: risk >= input.flagThreshold,
    firstSeen,
    lastSeen,
    updatedAt: input.updatedAt,
    memberCount: listed.length,
    counts,
    topPivots,
    explanation: explain(input, counts, pivots, flaggedMembers.length),
    members: memberList,
    pivots,
    growth,
    leadTime: input.leadTime,
  };
}

function explain(
  input: ViewInput,
  counts: Readonly<Record<string, number>>,
  pivots: readonly CampaignPivot[],
  flagged: number,
): string {
  const order = ['domain', 'account', 'url', 'snapshot'];
  const what = order
    .filter((t) => counts[t])
    .map((t) => nounFor(t, counts[t]!))
    .join(', ');
  const strong = pivots.filter((p) => p.strength === 'strong' && p.members >= 2);
  const medium = pivots.filter((p) => p.strength === 'medium' && p.members >= 2);
  const tied: string[] = [];
  const byKind = new Map<string, CampaignPivot[]>();
  for (const p of strong) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  for (const [kind, list] of [...byKind].sort((a, b) => b[1].length - a[1].length).slice(0, 4)) {
    const top = list[0]!;
    tied.push(
      list.length === 1
        ? `one ${nounFor(kind, 1).slice(2)} (${short(top.key)}, ${top.members} members)`
        : `${nounFor(kind, list.length)} (the busiest, ${short(top.key)}, ties ${top.members})`,
    );
  }
  const parts = [`${what} tied by ${tied.length > 0 ? tied.join(', ') : 'shared values'}`];
  if (medium.length > 0) parts.push(`and ${medium.length} medium pivot(s) counted in conjunction`);
  let text = `${parts.join(' ')}. ${flagged} member(s) flagged; ${input.corroboration}.`;
  if (input.raised > 0)
    text += ` ${input.raised} member(s) are flagged because of the campaign (signal campaign.member).`;
  if (input.leadTime?.hours !== null && input.leadTime?.hours !== undefined)
    text += ` First flagged ${Math.abs(input.leadTime.hours).toFixed(1)} h ${input.leadTime.hours >= 0 ? 'before' : 'after'} it went live.`;
  return text;
}

const short = (key: string): string => {
  const i = key.indexOf(':');
  const v = key.slice(i + 1);
  return v.length > 40 ? `${v.slice(0, 39)}…` : v;
};
