/**
 * The review service: every workflow an analyst drives on a case — list, read, claim, release, reopen,
 * decide — in one place, each write in one `store.transaction`. The CLI and the API are thin callers of
 * this class, so no interface carries its own copy of a workflow.
 *
 * `decide` writes, atomically: the case's transition (the state machine's), its history event, the
 * hash-chained audit entry, the outbox actions for the provider and the notified webhooks, and the
 * feedback (suppressions, review signals and re-assessments, published or revoked intel).
 * @module
 */
import type { ScoreThresholds } from '../detect/score.js';
import { CASE_STATES, type CaseState, type Decision, PrecursorError, type Tlp } from '../domain/index.js';
import type { Aggregates, OutboxRow, StoredCase } from '../store/store.js';
import { actionId } from './actions.js';
import { type AuditAnchoring, anchorIfDue } from './audit-anchoring.js';
import { applyCaseEvent, type CaseEvent } from './case-machine.js';
import {
  type CaseDetailView,
  type CaseListItem,
  caseDetail,
  caseListItem,
  toRecord,
  withRecord,
} from './case-views.js';
import { applyFeedback, type FeedbackReport } from './feedback.js';
import type { IntelPublisher } from './intel-port.js';
import type { ActionKind } from './outbox.js';
import { livePolicy } from './policy-source.js';

export interface ReviewServiceOptions {
  readonly thresholds: ScoreThresholds;
  /** The configured policy file (used until one is applied). */
  readonly policyFile?: string | undefined;
  /** Webhook for hold/block/release actions; none: no provider actions are written. */
  readonly provider?: string | undefined;
  readonly notify?: readonly string[];
  readonly defaultTlp: Tlp;
  readonly intel?: IntelPublisher | undefined;
  readonly anchoring?: AuditAnchoring | undefined;
  readonly now?: () => Date;
}

export interface CaseQuery {
  /** Only cases in this state (`superseded` lists the superseded ones). */
  readonly state?: CaseState | undefined;
  /** Without a state: list superseded cases too (hidden by default: their subject is another case's). */
  readonly includeSuperseded?: boolean | undefined;
  readonly queue?: string | undefined;
  readonly limit?: number | undefined;
  readonly after?: string | undefined;
}

export interface DecisionRequest {
  readonly as: Decision;
  readonly note: string;
  readonly tlp?: Tlp | undefined;
}

export interface DecisionResult {
  readonly case: CaseDetailView;
  readonly actions: readonly string[];
  readonly feedback: FeedbackReport;
  readonly audit: { readonly seq: number | null; readonly hash: string | null };
}

const notFound = (id: string) =>
  new PrecursorError('CASE_NOT_FOUND', `no case ${id}`, { details: { case: id } });

export class ReviewService {
  readonly #store: Aggregates;
  readonly #o: ReviewServiceOptions;

  constructor(store: Aggregates, options: ReviewServiceOptions) {
    this.#store = store;
    this.#o = options;
  }

  #now(): string {
    return (this.#o.now?.() ?? new Date()).toISOString();
  }

  async list(q: CaseQuery = {}): Promise<{ items: CaseListItem[]; next: string | null }> {
    const limit = q.limit ?? 100;
    const rows = await this.#store.cases.list({
      limit,
      ...(q.state !== undefined
        ? { states: [q.state] }
        : q.includeSuperseded
          ? {}
          : { states: CASE_STATES.filter((s) => s !== 'superseded') }),
      ...(q.queue === undefined ? {} : { queue: q.queue }),
      ...(q.after === undefined ? {} : { after: q.after }),
    });
    const last = rows[rows.length - 1];
    return { items: rows.map(caseListItem), next: rows.length === limit && last ? last.id : null };
  }

  async get(id: string): Promise<CaseDetailView> {
    return this.#detail(this.#store, await this.#load(this.#store, id));
  }

  claim(id: string, actor: string): Promise<CaseDetailView> {
    return this.#transition(id, 'case.claim', (at) => ({ type: 'claim', actor, at }));
  }

  release(id: string, actor: string): Promise<CaseDetailView> {
    return this.#transition(id, 'case.release', (at) => ({ type: 'release', actor, at }));
  }

  note(id: string, actor: string, text: string): Promise<CaseDetailView> {
    return this.#transition(id, 'case.note', (at) => ({ type: 'note', actor, at, text }), text);
  }

  /** An analyst takes back a decision: the case returns to the queue; the next decision reverses it. */
  reopen(id: string, actor: string, note: string): Promise<CaseDetailView> {
    return this.#transition(id, 'case.reopen', (at) => ({ type: 'reopen', actor, at, note }), note);
  }

  async decide(id: string, request: DecisionRequest, actor: string): Promise<DecisionResult> {
    if (request.note.trim() === '')
      throw new PrecursorError('VALIDATION_FAILED', 'a decision needs a note saying why', {
        details: { issues: [{ field: 'note', reason: 'empty' }] },
      });
    const { policy } = await livePolicy(this.#store, this.#o.policyFile);
    const tlp = request.tlp ?? this.#o.defaultTlp;
    const result = await this.#store.transaction(async (tx) => {
      const at = this.#now();
      const c = await this.#load(tx, id);
      const t = applyCaseEvent(
        toRecord(c),
        { type: 'decide', as: request.as, actor, at, note: request.note },
        policy.sla,
      );
      const next = withRecord(c, t.after, tlp);
      await this.#save(tx, c, next);
      await tx.cases.appendEvent({
        caseId: id,
        at,
        actor,
        kind: 'decide',
        from: t.from,
        to: t.to,
        note: request.note,
        detail: { as: request.as, tlp, previous: c.decision?.as ?? null },
      });
      const actions = this.#decisionActions(next, request.as, c, at);
      await tx.outbox.enqueue(actions);
      const feedback = await applyFeedback(tx, {
        case: next,
        as: request.as,
        previous: c.decision,
        actor,
        at,
        tlp,
        thresholds: this.#o.thresholds,
        intel: this.#o.intel,
      });
      const entry = await tx.audit.append({
        at,
        actor,
        action: 'case.decide',
        subject: `case:${id}`,
        detail: {
          before: { state: c.state, decision: c.decision },
          state: next.state,
          as: request.as,
          note: request.note,
          tlp,
          members: next.detail.members.map((m) => m.key),
          actions: actions.map((a) => a.id),
          policy: next.detail.policy.hash,
        },
      });
      return {
        case: await this.#detail(tx, next),
        actions: actions.map((a) => a.id),
        feedback,
        audit: { seq: entry.seq, hash: entry.hash },
      };
    });
    await this.#anchor();
    return result;
  }

  async #transition(
    id: string,
    action: string,
    event: (at: string) => CaseEvent,
    note: string | null = null,
  ): Promise<CaseDetailView> {
    const { policy } = await livePolicy(this.#store, this.#o.policyFile);
    const view = await this.#store.transaction(async (tx) => {
      const at = this.#now();
      const c = await this.#load(tx, id);
      const e = event(at);
      const t = applyCaseEvent(toRecord(c), e, policy.sla);
      if (t.after === t.before) return this.#detail(tx, c); // a repeated claim by the holder
      const next = withRecord(c, t.after);
      await this.#save(tx, c, next);
      const actor = 'actor' in e ? e.actor : 'system';
      await tx.cases.appendEvent({
        caseId: id,
        at,
        actor,
        kind: e.type,
        from: t.from,
        to: t.to,
        note,
        detail: {},
      });
      await tx.audit.append({
        at,
        actor,
        action,
        subject: `case:${id}`,
        detail: {
          before: { state: c.state, assignee: c.assignee },
          state: next.state,
          assignee: next.assignee,
          ...(note === null ? {} : { note }),
        },
      });
      return this.#detail(tx, next);
    });
    await this.#anchor();
    return view;
  }

  async #load(tx: Aggregates, id: string): Promise<StoredCase> {
    const c = await tx.cases.get(id);
    if (!c) throw notFound(id);
    return c;
  }

  async #save(tx: Aggregates, before: StoredCase, after: StoredCase): Promise<void> {
    if (!(await tx.cases.update(after, before.version)))
      throw new PrecursorError(
        'CASE_ILLEGAL_TRANSITION',
        `case ${before.id} changed while this action was being taken; read it again`,
        { details: { case: before.id, state: before.state, action: 'concurrent-write', allowedFrom: [] } },
      );
  }

  async #detail(tx: Aggregates, c: StoredCase): Promise<CaseDetailView> {
    const [history, actions, predecessors] = await Promise.all([
      tx.cases.history(c.id),
      tx.outbox.list({ caseId: c.id, limit: 1000 }),
      tx.cases.list({ supersededBy: c.id, limit: 1000 }),
    ]);
    const supersedes = predecessors
      .slice()
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id))
      .map((p) => p.id);
    return caseDetail(c, history, actions, supersedes);
  }

  /** Provider actions and notifications a decision asks for (none without configured webhooks). */
  #decisionActions(c: StoredCase, as: Decision, before: StoredCase, at: string): OutboxRow[] {
    const out: OutboxRow[] = [];
    const entities = c.detail.members.map((m) => m.key);
    const accounts = entities.filter((k) => k.startsWith('account:'));
    const base = {
      subject: c.subject,
      caseId: c.id,
      campaignId: c.campaignId,
      decision: as,
      decidedAt: at,
      decidedBy: c.decision?.actor ?? null,
      note: c.decision?.note ?? '',
      entities,
      accounts,
    };
    const add = (kind: ActionKind, target: string, reason: string) => {
      const payload = { ...base, reason };
      out.push({
        id: actionId(kind, target, c.subject, payload),
        kind,
        target,
        caseId: c.id,
        createdAt: at,
        payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        deliveredAt: null,
        lastError: null,
      });
    };
    const provider = this.#o.provider;
    const held = before.outcome === 'hold-and-review' || before.outcome === 'block';
    if (provider !== undefined) {
      if (as === 'malicious') add('block', provider, `case ${c.id} confirmed malicious`);
      else if (as === 'benign' && held)
        add('release', provider, `case ${c.id} decided benign: lift the hold`);
    }
    for (const target of this.#o.notify ?? []) add('notify', target, `case ${c.id} decided ${as}`);
    return out;
  }

  async #anchor(): Promise<void> {
    if (this.#o.anchoring) await anchorIfDue(this.#store, this.#o.anchoring, this.#now());
  }
}
