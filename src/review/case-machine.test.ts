import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrecursorError } from '../domain/index.js';
import {
  applyCaseEvent,
  CASE_STATES,
  type CaseEvent,
  type CaseRecord,
  type CaseState,
  openCase,
  type SlaTable,
  slaStatus,
} from './case-machine.js';

const H = 3_600_000;
const SLA: SlaTable = {
  critical: { respondMs: 1 * H, resolveMs: 4 * H },
  high: { respondMs: 4 * H, resolveMs: 24 * H },
  medium: { respondMs: 24 * H, resolveMs: 72 * H },
  low: { respondMs: 72 * H, resolveMs: 168 * H },
};
const T0 = '2026-11-01T00:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * H).toISOString();

const fresh = () =>
  openCase(
    { id: 'K-1', subject: { kind: 'campaign', id: 'C-1' }, priority: 'high', queue: 'campaigns', at: T0 },
    SLA,
  );
const apply = (c: CaseRecord, e: CaseEvent) => applyCaseEvent(c, e, SLA).after;
const claim = (actor = 'ana'): CaseEvent => ({ type: 'claim', actor, at: at(1) });
const decide = (as: 'malicious' | 'benign' | 'escalated', actor = 'ana'): CaseEvent => ({
  type: 'decide',
  as,
  actor,
  at: at(2),
  note: 'looked',
});

/** A case in each state, reached by legal moves. */
function inState(s: CaseState): CaseRecord {
  const c = fresh();
  if (s === 'open') return c;
  if (s === 'superseded') return apply(c, { type: 'supersede', at: at(1), by: 'K-2', reason: 'merged' });
  const claimed = apply(c, claim());
  if (s === 'in-review') return claimed;
  const as = s === 'confirmed-malicious' ? 'malicious' : (s as 'benign' | 'escalated');
  return apply(claimed, decide(as));
}

// Every action in every state: the resulting state, or CASE_ILLEGAL_TRANSITION.
const EVENTS: Record<string, CaseEvent> = {
  'claim by ana': claim('ana'),
  'claim by bob': claim('bob'),
  release: { type: 'release', actor: 'ana', at: at(1) },
  'decide malicious': decide('malicious'),
  'decide benign': decide('benign'),
  'decide escalated': decide('escalated'),
  'decide by bob': decide('malicious', 'bob'),
  reopen: { type: 'reopen', actor: 'bob', at: at(3), note: 'wrong call' },
  evidence: { type: 'evidence', at: at(3) },
  note: { type: 'note', actor: 'bob', at: at(3), text: 'seen' },
  supersede: { type: 'supersede', at: at(3), by: 'K-9', reason: 'merged into C-9' },
};
const C = 'CONFLICT';
const TABLE: Record<CaseState, Record<string, CaseState | typeof C>> = {
  open: {
    'claim by ana': 'in-review',
    'claim by bob': 'in-review',
    release: C,
    'decide malicious': C,
    'decide benign': C,
    'decide escalated': C,
    'decide by bob': C,
    reopen: C,
    evidence: 'open',
    note: 'open',
    supersede: 'superseded',
  },
  'in-review': {
    'claim by ana': 'in-review',
    'claim by bob': C,
    release: 'open',
    'decide malicious': 'confirmed-malicious',
    'decide benign': 'benign',
    'decide escalated': 'escalated',
    'decide by bob': C,
    reopen: C,
    evidence: 'in-review',
    note: 'in-review',
    supersede: C,
  },
  'confirmed-malicious': {
    'claim by ana': C,
    'claim by bob': C,
    release: C,
    'decide malicious': C,
    'decide benign': C,
    'decide escalated': C,
    'decide by bob': C,
    reopen: 'open',
    evidence: 'open',
    note: 'confirmed-malicious',
    supersede: C,
  },
  benign: {
    'claim by ana': C,
    'claim by bob': C,
    release: C,
    'decide malicious': C,
    'decide benign': C,
    'decide escalated': C,
    'decide by bob': C,
    reopen: 'open',
    evidence: 'open',
    note: 'benign',
    supersede: C,
  },
  escalated: {
    'claim by ana': 'in-review',
    'claim by bob': 'in-review',
    release: C,
    'decide malicious': C,
    'decide benign': C,
    'decide escalated': C,
    'decide by bob': C,
    reopen: C,
    evidence: 'escalated',
    note: 'escalated',
    supersede: C,
  },
  superseded: {
    'claim by ana': C,
    'claim by bob': C,
    release: C,
    'decide malicious': C,
    'decide benign': C,
    'decide escalated': C,
    'decide by bob': C,
    reopen: 'open',
    evidence: 'open',
    note: 'superseded',
    supersede: C,
  },
};

describe('case state machine', () => {
  it('has an expectation for every state and every action', () => {
    assert.deepEqual(Object.keys(TABLE).sort(), [...CASE_STATES].sort());
    for (const s of CASE_STATES) assert.deepEqual(Object.keys(TABLE[s]).sort(), Object.keys(EVENTS).sort());
  });

  for (const s of CASE_STATES) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = TABLE[s][name]!;
      it(`${s} + ${name} → ${expected}`, () => {
        const c = inState(s);
        assert.equal(c.state, s);
        if (expected === C) {
          assert.throws(
            () => applyCaseEvent(c, event, SLA),
            (e: unknown) =>
              isPrecursorError(e) &&
              e.code === 'CASE_ILLEGAL_TRANSITION' &&
              e.message.includes('K-1') &&
              e.details.state === s &&
              e.details.action === event.type,
          );
        } else {
          const t = applyCaseEvent(c, event, SLA);
          assert.equal(t.after.state, expected);
          assert.equal(t.from, s);
          assert.equal(t.before, c, 'the input case is not changed');
        }
      });
    }
  }

  it('claim assigns and records the first response; release clears the assignee', () => {
    const claimed = apply(fresh(), claim('ana'));
    assert.deepEqual([claimed.assignee, claimed.respondedAt], ['ana', at(1)]);
    const released = apply(claimed, { type: 'release', actor: 'ana', at: at(1.5) });
    assert.equal(released.assignee, undefined);
    const again = apply(released, { type: 'claim', actor: 'bob', at: at(2) });
    assert.deepEqual([again.assignee, again.respondedAt], ['bob', at(1)], 'first response time stays');
  });

  it('a decision records who, when and why; escalation returns the case to the queue unassigned', () => {
    const done = inState('benign');
    assert.deepEqual(done.decision, { as: 'benign', actor: 'ana', at: at(2), note: 'looked' });
    assert.equal(done.resolvedAt, at(2));
    const up = inState('escalated');
    assert.deepEqual([up.assignee, up.resolvedAt], [undefined, undefined]);
  });

  it('new evidence reopens a decided case with fresh deadlines and counts it', () => {
    const t = applyCaseEvent(inState('benign'), { type: 'evidence', at: at(10) }, SLA);
    assert.equal(t.reopened, true);
    assert.equal(t.after.state, 'open');
    assert.equal(t.after.reopened, 1);
    assert.deepEqual(
      [t.after.assignee, t.after.respondedAt, t.after.resolvedAt],
      [undefined, undefined, undefined],
    );
    assert.deepEqual([t.after.respondBy, t.after.resolveBy], [at(14), at(34)]);
    assert.equal(t.after.decision?.as, 'benign', 'the past decision stays visible');
  });

  it('supersede names the successor; evidence or an analyst reopens it with fresh deadlines', () => {
    const gone = apply(fresh(), { type: 'supersede', at: at(1), by: 'K-2', reason: 'merged into C-2' });
    assert.deepEqual([gone.state, gone.supersededBy], ['superseded', 'K-2']);
    const nowhere = apply(fresh(), { type: 'supersede', at: at(1), by: null, reason: 'dissolved' });
    assert.deepEqual([nowhere.state, nowhere.supersededBy], ['superseded', undefined]);
    const back = applyCaseEvent(gone, { type: 'evidence', at: at(10) }, SLA);
    assert.deepEqual([back.after.state, back.after.supersededBy, back.reopened], ['open', undefined, true]);
    assert.deepEqual([back.after.respondBy, back.after.reopened], [at(14), 1]);
    const byHand = apply(gone, { type: 'reopen', actor: 'bob', at: at(10), note: 'still mine' });
    assert.deepEqual([byHand.state, byHand.supersededBy], ['open', undefined]);
    assert.throws(
      () => applyCaseEvent(fresh(), { type: 'supersede', at: at(1), by: 'K-1', reason: 'x' }, SLA),
      /cannot supersede itself/,
    );
  });

  it('evidence that the policy rates more urgent raises the priority and tightens the deadlines', () => {
    const t = applyCaseEvent(fresh(), { type: 'evidence', at: at(0.5), priority: 'critical' }, SLA);
    assert.deepEqual([t.after.priority, t.after.respondBy, t.after.resolveBy], ['critical', at(1), at(4)]);
    const lower = applyCaseEvent(fresh(), { type: 'evidence', at: at(0.5), priority: 'low' }, SLA);
    assert.equal(lower.after.priority, 'high', 'evidence never lowers a priority');
  });

  it('counts versions for optimistic concurrency', () => {
    assert.equal(fresh().version, 1);
    assert.equal(inState('benign').version, 3);
  });

  it('sets SLA deadlines from the priority and judges them at event time', () => {
    const c = fresh();
    assert.deepEqual([c.respondBy, c.resolveBy], [at(4), at(24)]);
    assert.deepEqual(slaStatus(c, at(3)), { respond: 'pending', resolve: 'pending' });
    assert.deepEqual(slaStatus(c, at(5)), { respond: 'overdue', resolve: 'pending' });
    const late = apply(c, { type: 'claim', actor: 'ana', at: at(5) });
    assert.deepEqual(slaStatus(late, at(30)), { respond: 'breached', resolve: 'overdue' });
    const done = apply(apply(c, claim()), decide('malicious'));
    assert.deepEqual(slaStatus(done, at(100)), { respond: 'met', resolve: 'met' });
    const crit = openCase(
      {
        id: 'K-2',
        subject: { kind: 'entity', id: 'domain:a.b' },
        priority: 'critical',
        queue: 'lone',
        at: T0,
      },
      SLA,
    );
    assert.deepEqual([crit.respondBy, crit.resolveBy], [at(1), at(4)]);
  });

  it('rejects a time that is not a time', () => {
    assert.throws(
      () => applyCaseEvent(fresh(), { type: 'note', actor: 'a', at: 'yesterday', text: '' }, SLA),
      /not a time/,
    );
  });
});
