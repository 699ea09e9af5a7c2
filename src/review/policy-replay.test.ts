import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from './policy.js';
import { replayPolicy } from './policy-replay.js';
import type { PolicySubject } from './policy-vars.js';

const policy = loadPolicy(`version: 1
name: t
queues: { c: {}, l: {} }
rules:
  - { id: quiet, when: 'previous.last == "benign" && previous.newSignals == 0', outcome: suppress }
  - { id: hold, when: 'subject.kind == "campaign" && members.account >= 1 && risk >= 80.0', outcome: hold-and-review, priority: critical, queue: c }
  - { id: camp, when: 'subject.kind == "campaign" && risk >= 60.0', outcome: open-case, priority: high, queue: c }
  - { id: lone, when: 'subject.kind == "entity" && risk >= 90.0', outcome: open-case, priority: medium, queue: l }
  - { id: tell, when: 'risk >= 95.0', outcome: notify, target: soc }
  - { id: odd, when: 'signalMembers["missing"] > 0', outcome: block, priority: high, queue: c }
`);

const s = (id: string, over: Partial<PolicySubject>): PolicySubject => ({
  kind: 'campaign',
  id,
  type: 'campaign',
  risk: 0,
  flagged: true,
  members: { domain: 2 },
  flaggedMembers: { domain: 2 },
  signals: {},
  firstSeen: '2026-11-01T00:00:00Z',
  lastSeen: '2026-11-01T00:00:00Z',
  newMembersLastDay: 0,
  at: '2026-11-02T00:00:00Z',
  ...over,
});
const decided = (last: 'benign' | 'malicious', newSignals = 0) => ({
  malicious: last === 'malicious' ? 1 : 0,
  benign: last === 'benign' ? 1 : 0,
  escalated: 0,
  last,
  newSignals,
  openCase: false,
});

describe('policy dry run', () => {
  it('counts outcomes, cases by queue and priority, rule hits and contradicted decisions', () => {
    const r = replayPolicy(policy, [
      s('C-1', { risk: 85, members: { account: 2 } }),
      s('C-2', { risk: 70 }),
      s('C-3', { risk: 96 }),
      s('C-4', { risk: 96, previous: decided('benign') }),
      s('C-5', { risk: 70, previous: decided('benign', 3) }),
      s('C-6', { risk: 10, previous: decided('malicious') }),
      s('domain:a.example', { kind: 'entity', type: 'domain', risk: 91, members: { domain: 1 } }),
      s('domain:b.example', { kind: 'entity', type: 'domain', risk: 50, members: { domain: 1 } }),
    ]);
    assert.equal(r.subjects, 8);
    assert.deepEqual(r.outcomes, { allow: 2, 'open-case': 4, 'hold-and-review': 1, block: 0, suppressed: 1 });
    assert.deepEqual(r.cases, { c: { critical: 1, high: 3 }, l: { medium: 1 } });
    assert.equal(r.notifications, 1, 'the suppressed subject notifies nobody');
    assert.deepEqual(r.rules.camp, { hits: 5, decisive: 3, failures: 0 });
    assert.deepEqual(r.rules.hold, { hits: 1, decisive: 1, failures: 0 });
    assert.deepEqual(r.rules.quiet, { hits: 1, decisive: 1, failures: 0 });
    assert.deepEqual(r.rules.odd, { hits: 0, decisive: 0, failures: 8 });
    assert.deepEqual(r.contradictions, [
      { subject: 'C-5', decided: 'benign', outcome: 'open-case', rule: 'camp' },
      { subject: 'C-6', decided: 'malicious', outcome: 'allow' },
    ]);
    assert.equal(r.policy.name, 't');
  });
});
