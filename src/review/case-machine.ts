/**
 * The case state machine (pure): what a human can do to a case, in which state, and what it does to the
 * case's assignee and SLA deadlines. Every illegal transition is a CASE_ILLEGAL_TRANSITION naming the case, its state and
 * the states the action is allowed from, so the API answers 409 and the CLI exits 1 with the same words.
 *
 *   open ──claim──► in-review ──decide──► confirmed-malicious | benign | escalated
 *     ▲               │  ▲                        │            │         │
 *     └───release─────┘  └──────claim─────────────┼────────────┼─────────┘
 *     ▲                                           │            │
 *     └──────────── evidence | reopen ────────────┴────────────┘
 *     │  ▲
 *  supersede (the review stage: the subject went away)
 *     ▼  │ evidence | reopen
 *   superseded
 *
 * `supersede` is the machine's own move, never an analyst's: only from `open`, so a case a person holds
 * (in-review) or has decided keeps its person and its decision.
 * Time is the event's time, never the wall clock, so a replayed history gives the same deadlines.
 * @module
 */
import { CASE_STATES, type CaseState, type Decision, PrecursorError } from '../domain/index.js';
import type { Priority } from './policy-schema.js';
import { priorityRank } from './policy-schema.js';

export { CASE_STATES, type CaseState, DECISIONS, type Decision } from '../domain/index.js';

const STATE_OF: Record<Decision, CaseState> = {
  malicious: 'confirmed-malicious',
  benign: 'benign',
  escalated: 'escalated',
};

/** Respond / resolve deadlines per priority, in milliseconds (a policy's `sla`). */
export type SlaTable = Readonly<Record<Priority, { readonly respondMs: number; readonly resolveMs: number }>>;

export interface CaseRecord {
  readonly id: string;
  readonly subject: { readonly kind: 'campaign' | 'entity'; readonly id: string };
  readonly state: CaseState;
  readonly priority: Priority;
  readonly queue: string;
  readonly assignee?: string;
  readonly openedAt: string;
  readonly updatedAt: string;
  /** SLA: first response (a claim) due by; resolution (a decision) due by. */
  readonly respondBy: string;
  readonly resolveBy: string;
  readonly respondedAt?: string;
  readonly resolvedAt?: string;
  readonly decision?: {
    readonly as: Decision;
    readonly actor: string;
    readonly at: string;
    readonly note: string;
  };
  /** A superseded case: the case that now holds its subject's evidence (absent when none does). */
  readonly supersededBy?: string;
  /** How many times new evidence reopened a decided or superseded case. */
  readonly reopened: number;
  /** Events applied; the store uses it to refuse a concurrent write (optimistic concurrency). */
  readonly version: number;
}

export type CaseEvent =
  | { readonly type: 'claim'; readonly actor: string; readonly at: string }
  | { readonly type: 'release'; readonly actor: string; readonly at: string }
  | {
      readonly type: 'decide';
      readonly as: Decision;
      readonly actor: string;
      readonly at: string;
      readonly note: string;
    }
  /** An analyst takes a decided case back (a wrong decision): it returns to the queue with fresh deadlines. */
  | { readonly type: 'reopen'; readonly actor: string; readonly at: string; readonly note: string }
  /** New evidence from the pipeline; may raise the priority the policy now gives. */
  | { readonly type: 'evidence'; readonly at: string; readonly priority?: Priority }
  | { readonly type: 'note'; readonly actor: string; readonly at: string; readonly text: string }
  /**
   * The review stage closes a case whose subject went away; `by` is the case that now holds the
   * evidence, null when no case does (a dissolved campaign whose members no case holds).
   */
  | { readonly type: 'supersede'; readonly at: string; readonly by: string | null; readonly reason: string };

export interface Transition {
  readonly before: CaseRecord;
  readonly after: CaseRecord;
  readonly from: CaseState;
  readonly to: CaseState;
  /** The event reopened a decided case. */
  readonly reopened: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

function deadlines(priority: Priority, from: string, sla: SlaTable) {
  const t = Date.parse(from);
  return { respondBy: iso(t + sla[priority].respondMs), resolveBy: iso(t + sla[priority].resolveMs) };
}

/** A new case, as the policy opens it. */
export function openCase(
  input: {
    id: string;
    subject: CaseRecord['subject'];
    priority: Priority;
    queue: string;
    at: string;
  },
  sla: SlaTable,
): CaseRecord {
  if (Number.isNaN(Date.parse(input.at)))
    throw new PrecursorError('VALIDATION_FAILED', `case ${input.id}: not a time: ${input.at}`);
  return {
    id: input.id,
    subject: input.subject,
    state: 'open',
    priority: input.priority,
    queue: input.queue,
    openedAt: input.at,
    updatedAt: input.at,
    ...deadlines(input.priority, input.at, sla),
    reopened: 0,
    version: 1,
  };
}

/** From which states each action is legal (for error messages and docs). */
export const ALLOWED_FROM: Readonly<Record<CaseEvent['type'], readonly CaseState[]>> = {
  claim: ['open', 'in-review', 'escalated'],
  release: ['in-review'],
  decide: ['in-review'],
  reopen: ['confirmed-malicious', 'benign', 'superseded'],
  evidence: CASE_STATES,
  note: CASE_STATES,
  supersede: ['open'],
};

function conflict(c: CaseRecord, event: CaseEvent, reason: string): PrecursorError {
  return new PrecursorError(
    'CASE_ILLEGAL_TRANSITION',
    `case ${c.id}: cannot ${event.type} a case that is ${c.state}: ${reason}`,
    {
      details: { case: c.id, state: c.state, action: event.type, allowedFrom: ALLOWED_FROM[event.type] },
    },
  );
}

/** Apply one event; throws CASE_ILLEGAL_TRANSITION for an illegal transition, never changes `c`. */
export function applyCaseEvent(c: CaseRecord, event: CaseEvent, sla: SlaTable): Transition {
  if (Number.isNaN(Date.parse(event.at)))
    throw new PrecursorError('VALIDATION_FAILED', `case ${c.id}: not a time: ${event.at}`);
  if (!ALLOWED_FROM[event.type].includes(c.state)) throw conflict(c, event, illegalReason(event));
  const base = { ...c, updatedAt: event.at, version: c.version + 1 };
  let after: CaseRecord;
  let reopened = false;
  switch (event.type) {
    case 'claim': {
      // Claiming an in-review case is only a repeat by its own assignee; taking it over is a release first.
      if (c.state === 'in-review' && c.assignee !== event.actor)
        throw conflict(c, event, `already claimed by ${c.assignee}`);
      if (c.state === 'in-review')
        return { before: c, after: c, from: c.state, to: c.state, reopened: false };
      after = {
        ...base,
        state: 'in-review',
        assignee: event.actor,
        respondedAt: c.respondedAt ?? event.at,
      };
      break;
    }
    case 'release': {
      const { assignee: _, ...rest } = base;
      after = { ...rest, state: 'open' };
      break;
    }
    case 'decide': {
      if (c.assignee !== event.actor)
        throw conflict(c, event, `claimed by ${c.assignee}, not ${event.actor}`);
      const resolved = event.as === 'escalated' ? {} : { resolvedAt: event.at };
      after = {
        ...base,
        state: STATE_OF[event.as],
        decision: { as: event.as, actor: event.actor, at: event.at, note: event.note },
        ...resolved,
      };
      if (event.as === 'escalated') {
        // Escalated goes back to the queue for someone senior: nobody holds it.
        const { assignee: _, ...rest } = after;
        after = rest;
      }
      break;
    }
    case 'reopen': {
      const { assignee: _a, respondedAt: _r, resolvedAt: _s, supersededBy: _b, ...rest } = base;
      after = {
        ...rest,
        state: 'open',
        ...deadlines(c.priority, event.at, sla),
        reopened: c.reopened + 1,
      };
      reopened = true;
      break;
    }
    case 'evidence': {
      const raise =
        event.priority !== undefined && priorityRank(event.priority) < priorityRank(c.priority)
          ? event.priority
          : undefined;
      if (c.state === 'confirmed-malicious' || c.state === 'benign' || c.state === 'superseded') {
        // Reopen: a fresh case for the same subject, with fresh deadlines from now (a superseded
        // case's subject is back: the case that superseded it no longer holds it alone).
        const { assignee: _a, respondedAt: _r, resolvedAt: _s, supersededBy: _b, ...rest } = base;
        const priority = raise ?? c.priority;
        after = {
          ...rest,
          state: 'open',
          priority,
          ...deadlines(priority, event.at, sla),
          reopened: c.reopened + 1,
        };
        reopened = true;
      } else if (raise !== undefined) {
        // More urgent now: the deadlines run from when the case opened, at the new priority's pace.
        after = { ...base, priority: raise, ...deadlines(raise, c.openedAt, sla) };
      } else {
        after = base;
      }
      break;
    }
    case 'note':
      after = base;
      break;
    case 'supersede':
      if (event.by === c.id) throw conflict(c, event, 'a case cannot supersede itself');
      after = { ...base, state: 'superseded', ...(event.by === null ? {} : { supersededBy: event.by }) };
      break;
  }
  return { before: c, after, from: c.state, to: after.state, reopened };
}

function illegalReason(event: CaseEvent): string {
  switch (event.type) {
    case 'claim':
      return 'only an open or escalated case can be claimed';
    case 'release':
      return 'only a case in review can be released';
    case 'decide':
      return 'claim the case first; a decided case is reopened (by new evidence or an analyst) before it is decided again';
    case 'reopen':
      return 'only a decided case (confirmed-malicious or benign) or a superseded one can be reopened';
    case 'supersede':
      return 'only an open case is superseded: a case a person holds or decided keeps it';
    default:
      return 'not allowed';
  }
}

export type SlaStatus = 'pending' | 'met' | 'breached' | 'overdue';

/** Where a case stands against its deadlines at event time `now`. */
export function slaStatus(c: CaseRecord, now: string): { respond: SlaStatus; resolve: SlaStatus } {
  const judge = (done: string | undefined, due: string): SlaStatus =>
    done !== undefined
      ? Date.parse(done) <= Date.parse(due)
        ? 'met'
        : 'breached'
      : Date.parse(now) > Date.parse(due)
        ? 'overdue'
        : 'pending';
  return { respond: judge(c.respondedAt, c.respondBy), resolve: judge(c.resolvedAt, c.resolveBy) };
}
