/**
 * Cases, their events, suppressions and policy versions over Kysely.
 * @module
 */
import type { CaseState, EntityKey } from '../../domain/index.js';
import type {
  CaseDecision,
  CaseDetail,
  CaseEventKind,
  CaseEventRecord,
  CaseFilter,
  CaseStore,
  PolicyVersion,
  StoredCase,
  Suppression,
} from '../cases.js';
import type { CaseEventsTable, CasesTable, SuppressionsTable } from '../schema.js';
import { chunks } from './chunks.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

const EMPTY_DETAIL: CaseDetail = {
  members: [],
  rules: [],
  evidence: { links: [], snapshots: [] },
  policy: { name: '', revision: '', hash: '' },
};

export class KyselyCases implements CaseStore {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async get(id: string): Promise<StoredCase | undefined> {
    const row = await this.#scope.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromCase(row) : undefined;
  }

  async bySubject(subject: string): Promise<StoredCase | undefined> {
    const row = await this.#scope.db
      .selectFrom('cases')
      .selectAll()
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row ? fromCase(row) : undefined;
  }

  async list(filter: CaseFilter = {}): Promise<StoredCase[]> {
    const db = this.#scope.db;
    let q = db
      .selectFrom('cases')
      .selectAll()
      .orderBy('priority')
      .orderBy('opened_at')
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.states !== undefined && filter.states.length > 0) q = q.where('state', 'in', filter.states);
    if (filter.queue !== undefined) q = q.where('queue', '=', filter.queue);
    if (filter.supersededBy !== undefined) q = q.where('superseded_by', '=', filter.supersededBy);
    if (filter.subjects !== undefined) {
      if (filter.subjects.length === 0) return [];
      q = q.where('subject', 'in', filter.subjects);
    }
    if (filter.after !== undefined) {
      const a = await db
        .selectFrom('cases')
        .select(['priority', 'opened_at', 'id'])
        .where('id', '=', filter.after)
        .executeTakeFirst();
      if (a) {
        const p = num(a.priority);
        q = q.where((eb) =>
          eb.or([
            eb('priority', '>', p),
            eb.and([eb('priority', '=', p), eb('opened_at', '>', a.opened_at)]),
            eb.and([eb('priority', '=', p), eb('opened_at', '=', a.opened_at), eb('id', '>', a.id)]),
          ]),
        );
      }
    }
    return (await q.execute()).map(fromCase);
  }

  async insert(c: StoredCase): Promise<void> {
    await this.#scope.db.insertInto('cases').values(toCase(c)).execute();
  }

  async update(c: StoredCase, expectedVersion: number): Promise<boolean> {
    const { id: _id, subject: _s, ...rest } = toCase(c);
    const res = await this.#scope.db
      .updateTable('cases')
      .set(rest)
      .where('id', '=', c.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async appendEvent(e: CaseEventRecord): Promise<void> {
    await this.#scope.db
      .insertInto('case_events')
      .values({
        case_id: e.caseId,
        at: e.at,
        actor: e.actor,
        kind: e.kind,
        from_state: e.from,
        to_state: e.to,
        note: e.note,
        detail: JSON.stringify(e.detail),
      })
      .execute();
  }

  async history(caseId: string): Promise<CaseEventRecord[]> {
    const rows = await this.#scope.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
    return rows.map(fromEvent);
  }

  async events(filter: {
    kind: CaseEventKind;
    afterId?: number;
    limit?: number;
  }): Promise<CaseEventRecord[]> {
    let q = this.#scope.db
      .selectFrom('case_events')
      .selectAll()
      .where('kind', '=', filter.kind)
      .orderBy('id')
      .limit(filter.limit ?? 1000);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(fromEvent);
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.#scope.db
      .selectFrom('cases')
      .select((eb) => ['state', eb.fn.countAll().as('n')])
      .groupBy('state')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.state, num(r.n)]));
  }

  async suppress(rows: readonly Suppression[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#scope.atomic(async (tx) => {
      for (const part of chunks(rows, 200)) {
        await tx.db
          .insertInto('suppressions')
          .values(part.map(toSuppression))
          .onConflict((oc) =>
            oc.columns(['key', 'case_id']).doUpdateSet((eb) => ({
              at: eb.ref('excluded.at'),
              actor: eb.ref('excluded.actor'),
              factor: eb.ref('excluded.factor'),
              reason: eb.ref('excluded.reason'),
              lifted_at: null,
            })),
          )
          .execute();
      }
    });
  }

  async liftSuppressions(caseId: string, at: string): Promise<number> {
    const res = await this.#scope.db
      .updateTable('suppressions')
      .set({ lifted_at: at })
      .where('case_id', '=', caseId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async suppressions(keys?: readonly string[]): Promise<Suppression[]> {
    if (keys !== undefined && keys.length === 0) return [];
    const run = async (part?: readonly string[]) => {
      let q = this.#scope.db
        .selectFrom('suppressions')
        .selectAll()
        .where('lifted_at', 'is', null)
        .orderBy('key')
        .orderBy('case_id');
      if (part !== undefined) q = q.where('key', 'in', part);
      return (await q.execute()).map(fromSuppression);
    };
    if (keys === undefined) return run();
    const out: Suppression[] = [];
    for (const part of chunks(keys, 500)) out.push(...(await run(part)));
    return out;
  }

  async recordPolicy(v: PolicyVersion): Promise<PolicyVersion> {
    const row = await this.#scope.db
      .insertInto('policy_versions')
      .values({
        name: v.name,
        revision: v.revision,
        hash: v.hash,
        kind: v.kind,
        text: v.text,
        applied_at: v.appliedAt,
        actor: v.actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...v, id: num(row.id) };
  }

  async activePolicy(kind: PolicyVersion['kind']): Promise<PolicyVersion | undefined> {
    const r = await this.#scope.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r
      ? {
          id: num(r.id),
          name: r.name,
          revision: r.revision,
          hash: r.hash,
          kind: r.kind as PolicyVersion['kind'],
          text: r.text,
          appliedAt: r.applied_at,
          actor: r.actor,
        }
      : undefined;
  }
}

function toCase(c: StoredCase): CasesTable {
  return {
    id: c.id,
    subject: c.subject,
    campaign_id: c.campaignId,
    state: c.state,
    outcome: c.outcome,
    priority: c.priority,
    queue: c.queue,
    score: c.score,
    opened_at: c.openedAt,
    updated_at: c.updatedAt,
    respond_by: c.respondBy,
    resolve_by: c.resolveBy,
    responded_at: c.respondedAt,
    resolved_at: c.resolvedAt,
    assignee: c.assignee,
    summary: c.summary,
    member_count: c.memberCount,
    reopened: c.reopened,
    version: c.version,
    decision: c.decision === null ? null : JSON.stringify(c.decision),
    detail: JSON.stringify(c.detail),
    policy_hash: c.detail.policy.hash,
    superseded_by: c.supersededBy,
  };
}

function fromCase(r: CasesTable): StoredCase {
  return {
    id: r.id,
    subject: r.subject,
    campaignId: r.campaign_id,
    state: r.state as CaseState,
    outcome: r.outcome,
    priority: num(r.priority),
    queue: r.queue,
    score: num(r.score),
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    respondBy: r.respond_by,
    resolveBy: r.resolve_by,
    respondedAt: r.responded_at,
    resolvedAt: r.resolved_at,
    assignee: r.assignee,
    summary: r.summary,
    memberCount: num(r.member_count),
    reopened: num(r.reopened),
    version: num(r.version),
    decision: r.decision === null ? null : parseJson<CaseDecision | null>(r.decision, null),
    supersededBy: r.superseded_by ?? null,
    detail: parseJson<CaseDetail>(r.detail, EMPTY_DETAIL),
  };
}

function fromEvent(r: Omit<CaseEventsTable, 'id'> & { id: number | string }): CaseEventRecord {
  return {
    id: num(r.id),
    caseId: r.case_id,
    at: r.at,
    actor: r.actor,
    kind: r.kind as CaseEventKind,
    from: r.from_state as CaseState | null,
    to: r.to_state as CaseState | null,
    note: r.note,
    detail: parseJson<Record<string, unknown>>(r.detail, {}),
  };
}

function toSuppression(s: Suppression): SuppressionsTable {
  return {
    key: s.key,
    kind: s.kind,
    case_id: s.caseId,
    at: s.at,
    actor: s.actor,
    factor: s.factor,
    reason: s.reason,
    lifted_at: s.liftedAt,
  };
}

function fromSuppression(r: SuppressionsTable): Suppression {
  return {
    key: r.key as EntityKey | string,
    kind: r.kind as Suppression['kind'],
    caseId: r.case_id,
    at: r.at,
    actor: r.actor,
    factor: num(r.factor),
    reason: r.reason,
    liftedAt: r.lifted_at,
  };
}
