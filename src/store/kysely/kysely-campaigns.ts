/**
 * The campaigns aggregate over Kysely. The read model (counts, pivots, growth, lead time) is stored as
 * JSON beside the campaign, written by the correlate stage in one go, so a list or detail read is one
 * or three indexed queries whatever the campaign's size.
 * @module
 */
import type { EntityKey, EntityType } from '../../domain/index.js';
import type {
  CampaignDetail,
  CampaignEventWrite,
  CampaignFilter,
  CampaignLeadTime,
  CampaignState,
  CampaignStore,
  CampaignSummary,
  CampaignWrite,
} from '../campaigns.js';
import type { CampaignsTable } from '../schema.js';
import { CHUNK, chunks } from './chunks.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

/** A detail read returns at most this many timeline entries (the newest). */
const TIMELINE_LIMIT = 500;

function toSummary(r: CampaignsTable): CampaignSummary {
  return {
    id: r.id,
    name: r.name,
    state: r.state as CampaignState,
    risk: num(r.risk),
    flagged: num(r.flagged) === 1,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    updatedAt: r.updated_at,
    memberCount: num(r.member_count),
    counts: parseJson(r.counts, {}),
    topPivots: parseJson(r.top_pivots, []),
    leadTimeHours: r.lead_time_hours === null ? null : Number(r.lead_time_hours),
    explanation: r.explanation,
  };
}

function toRow(c: CampaignWrite): CampaignsTable {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    risk: Math.round(c.risk),
    flagged: c.flagged ? 1 : 0,
    first_seen: c.firstSeen,
    last_seen: c.lastSeen,
    updated_at: c.updatedAt,
    member_count: c.memberCount,
    counts: JSON.stringify(c.counts),
    top_pivots: JSON.stringify(c.topPivots),
    pivots: JSON.stringify(c.pivots),
    growth: JSON.stringify(c.growth),
    lead_time: c.leadTime ? JSON.stringify(c.leadTime) : null,
    lead_time_hours: c.leadTime?.hours ?? null,
    explanation: c.explanation,
  };
}

export class KyselyCampaigns implements CampaignStore {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async get(id: string): Promise<CampaignDetail | undefined> {
    const db = this.#scope.db;
    const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const members = await db
      .selectFrom('campaign_members')
      .selectAll()
      .where('campaign_id', '=', id)
      .orderBy('flagged', 'desc')
      .orderBy('score', 'desc')
      .orderBy('entity_key')
      .execute();
    const events = await db
      .selectFrom('campaign_events')
      .select(['at', 'kind', 'detail'])
      .where('campaign_id', '=', id)
      .orderBy('id', 'desc')
      .limit(TIMELINE_LIMIT)
      .execute();
    return {
      ...toSummary(row),
      members: members.map((m) => ({
        key: m.entity_key as EntityKey,
        type: m.type as EntityType,
        display: m.display,
        score: num(m.score),
        flagged: num(m.flagged) === 1,
      })),
      pivots: parseJson(row.pivots, []),
      timeline: events.reverse().map((e) => ({ at: e.at, kind: e.kind, detail: e.detail })),
      growth: parseJson(row.growth, []),
      leadTime: row.lead_time === null ? null : parseJson<CampaignLeadTime | null>(row.lead_time, null),
    };
  }

  async list(filter: CampaignFilter = {}): Promise<CampaignSummary[]> {
    const db = this.#scope.db;
    let q = db
      .selectFrom('campaigns')
      .selectAll()
      .orderBy('risk', 'desc')
      .orderBy('id')
      .limit(Math.min(filter.limit ?? 100, 10_000));
    const state = filter.state ?? 'active';
    if (state !== 'all') q = q.where('state', '=', state);
    if (filter.flagged !== undefined) q = q.where('flagged', '=', filter.flagged ? 1 : 0);
    if (filter.minRisk !== undefined) q = q.where('risk', '>=', filter.minRisk);
    if (filter.after !== undefined) {
      const at = await db
        .selectFrom('campaigns')
        .select('risk')
        .where('id', '=', filter.after)
        .executeTakeFirst();
      // An id that is gone (never, ids are kept; or mistyped) pages from the start of its risk band.
      const risk = at ? num(at.risk) : 101;
      const after = filter.after;
      q = q.where((eb) =>
        eb.or([eb('risk', '<', risk), eb.and([eb('risk', '=', risk), eb('id', '>', after)])]),
      );
    }
    return (await q.execute()).map(toSummary);
  }

  async ofMember(key: EntityKey): Promise<CampaignSummary[]> {
    const rows = await this.#scope.db
      .selectFrom('campaign_members')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_members.campaign_id')
      .selectAll('campaigns')
      .where('campaign_members.entity_key', '=', key)
      .orderBy('campaigns.state')
      .orderBy('campaigns.risk', 'desc')
      .orderBy('campaigns.id')
      .execute();
    return rows.map(toSummary);
  }

  async memberSets(): Promise<Array<{ id: string; members: string[] }>> {
    const rows = await this.#scope.db
      .selectFrom('campaign_members')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_members.campaign_id')
      .select(['campaign_members.campaign_id as id', 'campaign_members.entity_key as key'])
      .where('campaigns.state', '=', 'active')
      .orderBy('campaign_members.campaign_id')
      .orderBy('campaign_members.entity_key')
      .execute();
    const out: Array<{ id: string; members: string[] }> = [];
    for (const r of rows) {
      const last = out[out.length - 1];
      if (last && last.id === r.id) last.members.push(r.key);
      else out.push({ id: r.id, members: [r.key] });
    }
    return out;
  }

  async save(campaigns: readonly CampaignWrite[]): Promise<void> {
    if (campaigns.length === 0) return;
    await this.#scope.atomic(async (tx) => {
      for (const batch of chunks(campaigns, 200)) {
        const rows = batch.map(toRow);
        await tx.db
          .insertInto('campaigns')
          .values(rows)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              state: eb.ref('excluded.state'),
              risk: eb.ref('excluded.risk'),
              flagged: eb.ref('excluded.flagged'),
              first_seen: eb.ref('excluded.first_seen'),
              last_seen: eb.ref('excluded.last_seen'),
              updated_at: eb.ref('excluded.updated_at'),
              member_count: eb.ref('excluded.member_count'),
              counts: eb.ref('excluded.counts'),
              top_pivots: eb.ref('excluded.top_pivots'),
              pivots: eb.ref('excluded.pivots'),
              growth: eb.ref('excluded.growth'),
              lead_time: eb.ref('excluded.lead_time'),
              lead_time_hours: eb.ref('excluded.lead_time_hours'),
              explanation: eb.ref('excluded.explanation'),
            })),
          )
          .execute();
        await tx.db
          .deleteFrom('campaign_members')
          .where(
            'campaign_id',
            'in',
            batch.map((c) => c.id),
          )
          .execute();
      }
      const members = campaigns.flatMap((c) =>
        c.members.map((m) => ({
          campaign_id: c.id,
          entity_key: m.key,
          type: m.type,
          display: m.display,
          score: Math.round(m.score),
          flagged: m.flagged ? 1 : 0,
        })),
      );
      for (const batch of chunks(members, CHUNK))
        await tx.db.insertInto('campaign_members').values(batch).execute();
    });
  }

  async dissolve(ids: readonly string[], at: string): Promise<void> {
    for (const batch of chunks(ids, CHUNK))
      await this.#scope.db
        .updateTable('campaigns')
        .set({ state: 'dissolved', updated_at: at })
        .where('id', 'in', batch)
        .execute();
  }

  async appendEvents(events: readonly CampaignEventWrite[]): Promise<void> {
    if (events.length === 0) return;
    await this.#scope.atomic(async (tx) => {
      for (const batch of chunks(events, CHUNK))
        await tx.db
          .insertInto('campaign_events')
          .values(batch.map((e) => ({ campaign_id: e.campaignId, at: e.at, kind: e.kind, detail: e.detail })))
          .execute();
    });
  }
}
