import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionsFor, anchorAction } from './actions.js';
import { evaluatePolicy, loadPolicy } from './policy.js';
import type { PolicySubject } from './policy-vars.js';

const policy = loadPolicy(`version: 1
name: t
queues: { c: {} }
rules:
  - { id: quiet, when: 'previous.last == "benign"', outcome: suppress }
  - { id: hold, when: 'members.account >= 1 && risk >= 80.0', outcome: hold-and-review, priority: critical, queue: c, target: provider }
  - { id: camp, when: 'risk >= 60.0', outcome: open-case, priority: high, queue: c }
  - { id: tell, when: 'risk >= 90.0', outcome: notify, target: soc }
`);
const subject = (over: Partial<PolicySubject>): PolicySubject => ({
  kind: 'campaign',
  id: 'C-1',
  type: 'campaign',
  risk: 85,
  flagged: true,
  members: { account: 2 },
  flaggedMembers: { account: 2 },
  signals: {},
  firstSeen: '2026-11-01T00:00:00Z',
  lastSeen: '2026-11-01T00:00:00Z',
  newMembersLastDay: 0,
  at: '2026-11-02T00:00:00Z',
  ...over,
});
const at = '2026-11-02T00:00:00.000Z';

describe('actions from an evaluation', () => {
  it('asks the deciding rule’s webhook to hold, and tells the notify targets', () => {
    const e = evaluatePolicy(policy, subject({ risk: 95 }));
    assert.equal(e.target, 'provider');
    const acts = actionsFor(e, { at, caseId: 'K-1', details: { accounts: ['account:a/1', 'account:a/2'] } });
    assert.deepEqual(
      acts.map((a) => [a.kind, a.target, a.payload.rule]),
      [
        ['hold-and-review', 'provider', 'hold'],
        ['notify', 'soc', 'tell'],
      ],
    );
    assert.deepEqual(acts[0]!.payload.accounts, ['account:a/1', 'account:a/2']);
    assert.equal(acts[0]!.payload.caseId, 'K-1');
    assert.match(acts[0]!.id, /^act_[0-9a-f]{32}$/);
  });

  it('gives the same request the same id, and a changed request a new one', () => {
    const e = evaluatePolicy(policy, subject({}));
    const a = actionsFor(e, { at, caseId: 'K-1', details: { accounts: ['account:a/1'] } })[0]!;
    const again = actionsFor(evaluatePolicy(policy, subject({})), {
      at: '2026-11-03T00:00:00.000Z',
      caseId: 'K-1',
      details: { accounts: ['account:a/1'] },
    })[0]!;
    assert.equal(a.id, again.id);
    const more = actionsFor(e, {
      at,
      caseId: 'K-1',
      details: { accounts: ['account:a/1', 'account:a/9'] },
    })[0]!;
    assert.notEqual(a.id, more.id);
  });

  it('asks nothing for a case without a target, or a suppressed subject', () => {
    assert.deepEqual(actionsFor(evaluatePolicy(policy, subject({ risk: 70 })), { at }), []);
    const quiet = subject({
      risk: 99,
      previous: { malicious: 0, benign: 1, escalated: 0, last: 'benign', newSignals: 0, openCase: false },
    });
    assert.deepEqual(actionsFor(evaluatePolicy(policy, quiet), { at }), []);
  });

  it('wraps an audit anchor for a webhook', () => {
    const a = anchorAction({ count: 100, head: 'a'.repeat(64) }, 'anchor', at);
    assert.deepEqual([a.kind, a.payload], ['audit.anchor', { count: 100, head: 'a'.repeat(64) }]);
  });
});
