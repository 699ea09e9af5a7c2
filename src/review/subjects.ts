/**
 * From what the store knows to what the policy sees: a lone entity (its assessment) or a campaign
 * (its members' assessments) becomes a `PolicySubject` and the evidence its case would show.
 * @module
 */
import type { Assessment, Entity, EntityKey, EntityType } from '../domain/index.js';
import type { Aggregates, CampaignDetail, CaseMember, StoredCase } from '../store/store.js';
import type { CaseEvidence } from './case-open.js';
import type { PolicySubject } from './policy-vars.js';

const LINKS_SHOWN = 50;

type StoredLink = Awaited<ReturnType<Aggregates['entities']['links']>>[number];

/** A link as a case's evidence shows it. */
const linkShown = (l: StoredLink) => ({
  from: l.from,
  to: l.to,
  pivot: l.pivot,
  strength: l.strength,
  firstSeen: l.firstSeen,
  lastSeen: l.lastSeen,
});

export function memberOf(entity: Entity, a: Assessment | undefined): CaseMember {
  return {
    key: entity.key,
    type: entity.type,
    display: entity.display,
    score: a?.score ?? 0,
    flagged: a?.flagged ?? false,
    signals: (a?.contributions ?? []).map((c) => ({ id: c.id, weight: c.weight, detail: c.detail })),
  };
}

/** What the last decisions on the subject's case were, and how much is new since. */
export async function previousOf(
  tx: Aggregates,
  existing: StoredCase | undefined,
  members: readonly CaseMember[],
): Promise<PolicySubject['previous']> {
  if (existing === undefined) return undefined;
  const decided = (await tx.cases.history(existing.id)).filter((e) => e.kind === 'decide');
  const count = (as: string) => decided.filter((e) => e.detail.as === as).length;
  const judged = new Set<string>();
  for (const m of existing.detail.members) for (const s of m.signals) judged.add(`${m.key} ${s.id}`);
  let newSignals = 0;
  for (const m of members)
    for (const s of m.signals)
      if (!s.id.startsWith('review.') && !judged.has(`${m.key} ${s.id}`)) newSignals++;
  return {
    malicious: count('malicious'),
    benign: count('benign'),
    escalated: count('escalated'),
    ...(existing.decision ? { last: existing.decision.as, lastAt: existing.decision.at } : {}),
    newSignals,
    openCase: existing.state === 'open' || existing.state === 'in-review' || existing.state === 'escalated',
  };
}

/** A lone entity as a policy subject, with the evidence its case would carry. */
export async function entitySubject(
  tx: Aggregates,
  entity: Entity,
  a: Assessment | undefined,
  existing: StoredCase | undefined,
  at: string,
): Promise<{ subject: PolicySubject; evidence: CaseEvidence }> {
  const member = memberOf(entity, a);
  const type = entity.type as EntityType;
  const signals: Record<string, number> = {};
  for (const s of member.signals) signals[s.id] = 1;
  const previous = await previousOf(tx, existing, [member]);
  const subject: PolicySubject = {
    kind: 'entity',
    id: entity.key,
    type,
    risk: member.score,
    flagged: member.flagged,
    members: { [type]: 1 },
    flaggedMembers: member.flagged ? { [type]: 1 } : {},
    signals,
    firstSeen: entity.firstSeen,
    lastSeen: entity.lastSeen,
    ...(member.flagged && a ? { firstFlagged: a.assessedAt } : {}),
    newMembersLastDay: 0,
    ...(previous === undefined ? {} : { previous }),
    at,
  };
  const links = (await tx.entities.links(entity.key)).slice(0, LINKS_SHOWN).map(linkShown);
  const top = member.signals[0];
  return {
    subject,
    evidence: {
      subject: entity.key,
      campaignId: null,
      score: member.score,
      summary: `${entity.display}: ${top ? top.detail : 'no signals'}`,
      members: [member],
      links,
      snapshots: [],
    },
  };
}

const DAY = 86_400_000;

/**
 * Lone domains that share a unit (`lone-unit.ts`: `x.lat`, `www.x.lat`) as one policy subject, named by
 * the unit: counts, flags and signals over its names, the strongest name's risk.
 */
export async function domainGroupSubject(
  tx: Aggregates,
  unit: EntityKey,
  items: readonly { entity: Entity; assessment: Assessment | undefined }[],
  existing: StoredCase | undefined,
  at: string,
): Promise<{ subject: PolicySubject; evidence: CaseEvidence }> {
  const only = items.length === 1 ? items[0]! : undefined;
  if (only !== undefined && only.entity.key === unit)
    return entitySubject(tx, only.entity, only.assessment, existing, at);
  const members = items.map((i) => memberOf(i.entity, i.assessment)).sort((a, b) => b.score - a.score);
  const signals: Record<string, number> = {};
  for (const m of members)
    for (const id of new Set(m.signals.map((x) => x.id))) signals[id] = (signals[id] ?? 0) + 1;
  const flagged = members.filter((m) => m.flagged).length;
  const firstFlagged = items
    .filter((i) => i.assessment?.flagged)
    .map((i) => i.assessment!.assessedAt)
    .sort()[0];
  const cutoff = new Date(Date.parse(at) - DAY).toISOString();
  const previous = await previousOf(tx, existing, members);
  const top = members[0]!;
  const subject: PolicySubject = {
    kind: 'entity',
    id: unit,
    type: 'domain',
    risk: top.score,
    flagged: flagged > 0,
    members: { domain: members.length },
    flaggedMembers: flagged > 0 ? { domain: flagged } : {},
    signals,
    firstSeen: items.map((i) => i.entity.firstSeen).sort()[0]!,
    lastSeen: items
      .map((i) => i.entity.lastSeen)
      .sort()
      .at(-1)!,
    ...(firstFlagged ? { firstFlagged } : {}),
    newMembersLastDay: items.filter((i) => i.entity.firstSeen >= cutoff).length,
    ...(previous === undefined ? {} : { previous }),
    at,
  };
  const links: unknown[] = [];
  for (const i of items) {
    if (links.length >= LINKS_SHOWN) break;
    for (const l of (await tx.entities.links(i.entity.key)).slice(0, LINKS_SHOWN - links.length))
      links.push(linkShown(l));
  }
  const detail = top.signals[0]?.detail ?? 'no signals';
  return {
    subject,
    evidence: {
      subject: unit,
      campaignId: null,
      score: top.score,
      summary:
        members.length === 1
          ? `${top.display}: ${detail}`
          : `${unit.slice('domain:'.length)}: ${members.length} names (${members
              .map((m) => m.display)
              .slice(0, 3)
              .join(', ')}${members.length > 3 ? ', …' : ''}); ${top.display}: ${detail}`,
      members,
      links,
      snapshots: [],
    },
  };
}

/** Members that joined in the day before `at`, from the campaign's cumulative growth by day. */
function newInLastDay(c: CampaignDetail, at: string): number {
  const cutoff = new Date(Date.parse(at) - DAY).toISOString().slice(0, 10);
  let before = 0;
  for (const g of c.growth) if (g.day < cutoff) before = g.members;
  return Math.max(0, c.memberCount - before);
}

/** A campaign as a policy subject: member counts, flagged counts and signals over its members. */
export async function campaignSubject(
  tx: Aggregates,
  c: CampaignDetail,
  existing: StoredCase | undefined,
  at: string,
): Promise<{ subject: PolicySubject; evidence: CaseEvidence; memberKeys: readonly string[] }> {
  const keys = c.members.map((m) => m.key);
  const signalsByKey = await tx.assessments.signalsOf(keys);
  const members: CaseMember[] = c.members.map((m) => ({
    key: m.key,
    type: m.type,
    display: m.display,
    score: m.score,
    flagged: m.flagged,
    signals: (signalsByKey.get(m.key) ?? [])
      .slice()
      .sort((a, b) => b.weight - a.weight)
      .map((s) => ({ id: s.id, weight: s.weight, detail: s.detail })),
  }));
  const counts: Partial<Record<EntityType, number>> = {};
  const flaggedCounts: Partial<Record<EntityType, number>> = {};
  const signals: Record<string, number> = {};
  for (const m of members) {
    const t = m.type as EntityType;
    counts[t] = (counts[t] ?? 0) + 1;
    if (m.flagged) flaggedCounts[t] = (flaggedCounts[t] ?? 0) + 1;
    for (const id of new Set(m.signals.map((s) => s.id))) signals[id] = (signals[id] ?? 0) + 1;
  }
  const previous = await previousOf(tx, existing, members);
  const lead = c.leadTime;
  const subject: PolicySubject = {
    kind: 'campaign',
    id: c.id,
    type: 'campaign',
    risk: c.risk,
    flagged: c.flagged,
    members: counts,
    flaggedMembers: flaggedCounts,
    signals,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    ...(lead?.firstFlaggedAt ? { firstFlagged: lead.firstFlaggedAt } : {}),
    ...(lead?.goLiveAt ? { goLive: lead.goLiveAt } : {}),
    newMembersLastDay: newInLastDay(c, at),
    ...(previous === undefined ? {} : { previous }),
    at,
  };
  return {
    subject,
    memberKeys: keys,
    evidence: {
      subject: `campaign:${c.id}`,
      campaignId: c.id,
      score: c.risk,
      summary: `${c.name}: ${c.explanation}`,
      members,
      links: c.pivots.slice(0, LINKS_SHOWN),
      snapshots: [],
    },
  };
}
