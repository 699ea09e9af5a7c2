import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isPrecursorError } from '../domain/index.js';
import { evaluatePolicy, loadPolicy } from './policy.js';
import { checkPolicyTargets } from './policy-admin.js';
import type { PolicySubject } from './policy-vars.js';

const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
const policy = loadPolicy(DEFAULT, 'policies/default.yaml');

const campaign = (over: Partial<PolicySubject> = {}): PolicySubject => ({
  kind: 'campaign',
  id: 'C-1',
  type: 'campaign',
  risk: 60,
  flagged: true,
  members: { domain: 3, account: 0 },
  flaggedMembers: { domain: 2 },
  signals: { 'domain.homoglyph': 2 },
  firstSeen: '2026-11-01T00:00:00Z',
  lastSeen: '2026-11-02T00:00:00Z',
  newMembersLastDay: 0,
  at: '2026-11-02T00:00:00Z',
  ...over,
});

const lone = (risk: number, signals: Record<string, number> = {}): PolicySubject =>
  campaign({
    kind: 'entity',
    id: 'domain:example.com',
    type: 'domain',
    risk,
    members: { domain: 1 },
    flaggedMembers: risk >= 50 ? { domain: 1 } : {},
    flagged: risk >= 50,
    signals,
  });

const rejects = (text: string, pattern: RegExp) =>
  assert.throws(
    () => loadPolicy(text, 'p.yaml'),
    (e: unknown) => isPrecursorError(e) && e.code === 'CONFIG_INVALID' && pattern.test(e.message),
  );

const file = (rules: string, extra = '') => `version: 1\nname: t\nqueues:\n  q: {}\n${extra}rules:\n${rules}`;

describe('policy: the default file', () => {
  it('opens a high case in the campaigns queue for a campaign at the risk boundary', () => {
    const e = evaluatePolicy(policy, campaign());
    assert.equal(e.outcome, 'open-case');
    assert.equal(e.decidedBy, 'campaign');
    assert.equal(e.priority, 'high');
    assert.equal(e.queue, 'campaigns');
  });

  it('lets a small campaign just under the boundary pass', () => {
    assert.equal(evaluatePolicy(policy, campaign({ risk: 59.9 })).outcome, 'allow');
    assert.equal(evaluatePolicy(policy, campaign({ flaggedMembers: { domain: 1 } })).outcome, 'allow');
  });

  it('holds a campaign with accounts and a gated page, and not one without accounts', () => {
    const kit = { 'page.gate.turnstile': 1, 'domain.homoglyph': 3 };
    const held = evaluatePolicy(
      policy,
      campaign({ risk: 70, members: { account: 2, domain: 3 }, flaggedMembers: { domain: 3 }, signals: kit }),
    );
    assert.equal(held.outcome, 'hold-and-review');
    assert.equal(held.priority, 'critical');
    const noAccounts = evaluatePolicy(
      policy,
      campaign({ risk: 70, flaggedMembers: { domain: 3 }, signals: kit }),
    );
    assert.equal(noAccounts.outcome, 'open-case');
    const lowRisk = campaign({
      risk: 69.9,
      members: { account: 2 },
      flaggedMembers: { domain: 3 },
      signals: kit,
    });
    assert.equal(evaluatePolicy(policy, lowRisk).outcome, 'open-case');
  });

  it('opens lone entities only when strong', () => {
    assert.equal(evaluatePolicy(policy, lone(89.9)).outcome, 'allow');
    const strong = evaluatePolicy(policy, lone(90));
    assert.deepEqual([strong.outcome, strong.queue, strong.priority], ['open-case', 'lone', 'medium']);
    const page = evaluatePolicy(
      policy,
      lone(60, { 'page.capture.password-field': 1, 'page.gate.turnstile': 1 }),
    );
    assert.deepEqual([page.outcome, page.decidedBy], ['open-case', 'lone-credential-page']);
    assert.equal(evaluatePolicy(policy, lone(60, { 'page.capture.password-field': 1 })).outcome, 'allow');
  });

  it('suppresses a subject decided benign until new evidence arrives', () => {
    const previous = {
      malicious: 0,
      benign: 1,
      escalated: 0,
      last: 'benign' as const,
      newSignals: 0,
      openCase: false,
    };
    const quiet = evaluatePolicy(policy, campaign({ risk: 95, previous }));
    assert.deepEqual([quiet.outcome, quiet.suppressed, quiet.decidedBy], ['allow', true, 'decided-benign']);
    const again = evaluatePolicy(policy, campaign({ risk: 95, previous: { ...previous, newSignals: 2 } }));
    assert.deepEqual([again.outcome, again.suppressed], ['open-case', false]);
  });

  it('traces every rule, matched or not, with the values it read', () => {
    const e = evaluatePolicy(policy, campaign());
    assert.deepEqual(
      e.trace.map((t) => t.rule),
      policy.rules.map((r) => r.id),
    );
    const c = e.trace.find((t) => t.rule === 'campaign')!;
    assert.equal(c.matched, true);
    assert.deepEqual(c.values, { 'subject.kind': 'campaign', 'total.flagged': 2, risk: 60 });
    const off = e.trace.find((t) => t.rule === 'campaign-fast-growth')!;
    assert.deepEqual([off.enabled, off.matched], [false, false]);
    assert.equal(e.trace.find((t) => t.rule === 'lone-strong')!.matched, false);
  });

  it('names the policy and its content hash on every evaluation', () => {
    const e = evaluatePolicy(policy, campaign());
    assert.equal(e.policy.name, 'default');
    assert.match(e.policy.hash, /^[0-9a-f]{64}$/);
  });
});

describe('policy: evaluation', () => {
  it('gives the strongest outcome on the ladder, then the most urgent priority', () => {
    const p = loadPolicy(
      file(`  - { id: a, when: "risk > 1.0", outcome: open-case, priority: low, queue: q }
  - { id: b, when: "risk > 1.0", outcome: open-case, priority: critical, queue: q }
  - { id: c, when: "risk > 1.0", outcome: block, priority: low, queue: q }
  - { id: d, when: "risk > 1.0", outcome: hold-and-review, priority: critical, queue: q }
  - { id: e, when: "risk > 1.0", outcome: allow }
`),
    );
    assert.deepEqual(
      [evaluatePolicy(p, campaign()).outcome, evaluatePolicy(p, campaign()).decidedBy],
      ['block', 'c'],
    );
    const noBlock = loadPolicy(
      file(`  - { id: a, when: "risk > 1.0", outcome: open-case, priority: low, queue: q }
  - { id: b, when: "risk > 1.0", outcome: open-case, priority: critical, queue: q }
  - { id: c, when: "risk > 1.0", outcome: open-case, priority: critical, queue: q }
`),
    );
    assert.equal(evaluatePolicy(noBlock, campaign()).decidedBy, 'b');
  });

  it('records a failing rule as RULE_FAILED and lets the others decide', () => {
    const p = loadPolicy(
      file(`  - { id: broken, when: 'signalMembers["absent.signal"] > 0', outcome: block, priority: high, queue: q }
  - { id: ok, when: "risk >= 60.0", outcome: open-case, priority: high, queue: q }
  - { id: tell, when: "risk >= 60.0", outcome: notify, target: soc }
`),
    );
    const e = evaluatePolicy(p, campaign());
    assert.equal(e.outcome, 'open-case');
    assert.equal(e.failures, 1);
    const broken = e.trace[0]!;
    assert.equal(broken.matched, false);
    assert.equal(broken.error?.code, 'RULE_FAILED');
    assert.match(broken.error?.reason ?? '', /absent\.signal/);
    assert.deepEqual(e.notify, [{ rule: 'tell', target: 'soc' }]);
  });

  it('allows when nothing matches, with no deciding rule', () => {
    const p = loadPolicy(
      file(`  - { id: a, when: "risk > 99.0", outcome: block, priority: high, queue: q }\n`),
    );
    const e = evaluatePolicy(p, campaign());
    assert.deepEqual([e.outcome, e.decidedBy, e.queue], ['allow', undefined, undefined]);
  });

  it('sees member counts by type, rates, lead time, age and previous decisions', () => {
    const p = loadPolicy(
      file(`  - id: all
    when: >
      members.account == 2 && members["telegram-bot"] == 0 && flaggedMembers.domain == 1 &&
      total.members == 5 && rates.flagged == 0.2 && rates.newPerDay == 3.0 &&
      lead.known && lead.live && lead.hours == 12.0 && age.hours == 48.0 &&
      previous.escalated == 1 && previous.decided && previous.hoursSince == 24.0 &&
      signalMembers["tenant.payment.crypto"] == 2 && size(signals) == 1
    outcome: open-case
    priority: high
    queue: q
`),
    );
    const e = evaluatePolicy(
      p,
      campaign({
        members: { account: 2, domain: 3 },
        flaggedMembers: { domain: 1 },
        newMembersLastDay: 3,
        signals: { 'tenant.payment.crypto': 2 },
        firstSeen: '2026-11-01T00:00:00Z',
        firstFlagged: '2026-11-01T12:00:00Z',
        goLive: '2026-11-02T00:00:00Z',
        at: '2026-11-03T00:00:00Z',
        previous: {
          malicious: 0,
          benign: 0,
          escalated: 1,
          last: 'escalated',
          lastAt: '2026-11-02T00:00:00Z',
          newSignals: 0,
          openCase: true,
        },
      }),
    );
    assert.equal(e.trace[0]!.error, undefined);
    assert.equal(e.outcome, 'open-case');
  });
});

describe('policy: loading rejects bad files with the rule named', () => {
  it('rejects an unknown key in a rule', () => {
    rejects(file(`  - { id: r1, when: "true", outcome: allow, priorty: high }\n`), /rule "r1".*priorty/);
  });
  it('rejects an unknown top-level key and a wrong version', () => {
    rejects(`version: 1\nname: t\nrulez: []\nrules:\n  - { id: a, when: "true", outcome: allow }\n`, /rulez/);
    rejects(`version: 2\nname: t\nrules:\n  - { id: a, when: "true", outcome: allow }\n`, /version/);
  });
  it('rejects an unknown variable, a syntax error and a non-boolean condition', () => {
    rejects(file(`  - { id: r2, when: "riskk > 1.0", outcome: allow }\n`), /rule "r2".*riskk/);
    rejects(file(`  - { id: r3, when: "risk >", outcome: allow }\n`), /rule "r3".*parse/);
    rejects(file(`  - { id: r4, when: "risk + 1.0", outcome: allow }\n`), /rule "r4".*not bool/);
    rejects(file(`  - { id: r10, when: "previous.benig == 0", outcome: allow }\n`), /rule "r10".*benig/);
    rejects(file(`  - { id: r11, when: "members.acount >= 1", outcome: allow }\n`), /rule "r11".*acount/);
    rejects(file(`  - { id: r12, when: 'subject.kind == 1', outcome: allow }\n`), /rule "r12"/);
  });
  it('rejects an outcome without its priority/queue/target, an undeclared queue and a duplicate id', () => {
    rejects(file(`  - { id: r5, when: "true", outcome: open-case }\n`), /rule "r5".*priority and a queue/);
    rejects(
      file(`  - { id: r6, when: "true", outcome: block, priority: high, queue: nope }\n`),
      /rule "r6".*nope/,
    );
    rejects(file(`  - { id: r7, when: "true", outcome: notify }\n`), /rule "r7".*target/);
    rejects(file(`  - { id: r8, when: "true", outcome: allow, queue: q }\n`), /rule "r8".*no priority/);
    rejects(
      file(`  - { id: r13, when: "true", outcome: open-case, priority: high, queue: q, target: x }\n`),
      /r13.*no target/,
    );
    rejects(
      file(`  - { id: r9, when: "true", outcome: allow }\n  - { id: r9, when: "true", outcome: allow }\n`),
      /r9.*duplicate/,
    );
  });
  it('rejects YAML that does not parse, and a bad SLA duration', () => {
    rejects('version: 1\nname: [t\n', /not valid YAML/);
    rejects(
      file(
        `  - { id: a, when: "true", outcome: allow }\n`,
        'sla:\n  high: { respond: 4 hours, resolve: 1d }\n',
      ),
      /sla/,
    );
  });
  it('reads the SLA, with defaults for priorities the file leaves out', () => {
    const p = loadPolicy(
      file(`  - { id: a, when: "true", outcome: allow }\n`, 'sla:\n  high: { respond: 30m, resolve: 2d }\n'),
    );
    assert.deepEqual(p.sla.high, { respondMs: 1_800_000, resolveMs: 172_800_000 });
    assert.deepEqual(p.sla.critical, { respondMs: 3_600_000, resolveMs: 14_400_000 });
  });
});

describe('policy targets', () => {
  const notify = (enabled: boolean) =>
    loadPolicy(
      file(
        `  - id: tell\n    when: risk >= 90.0\n    outcome: notify\n    target: soc\n    enabled: ${enabled}\n`,
      ),
      'p.yaml',
    );
  it('refuses an enabled rule naming a webhook the configuration lacks, naming rule and target', () => {
    assert.throws(
      () => checkPolicyTargets(notify(true), ['ops'], 'p.yaml'),
      (e: unknown) =>
        isPrecursorError(e) && e.code === 'CONFIG_INVALID' && /rule "tell": target 'soc'/.test(e.message),
    );
    checkPolicyTargets(notify(true), ['ops', 'soc'], 'p.yaml');
    checkPolicyTargets(notify(false), [], 'p.yaml');
    checkPolicyTargets(policy, [], 'policies/default.yaml');
  });
});
