/**
 * Policy evaluation speed: the shipped default policy (CEL conditions compiled once at load) over N
 * synthetic subjects — campaigns and lone entities of varied shape, generated here for the purpose (so
 * the figure is labelled synthetic). Reports rule evaluations per second (subjects × rules, each with its
 * full trace) with the subject's context built per subject, as the review stage does, and beside it the
 * floor: the same rules written as plain JavaScript closures, without traces.
 *
 *   node --import tsx bench/policy.ts [--count 200000] [--policy policies/default.yaml]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateContext, loadPolicy } from '../src/review/policy.js';
import { type PolicySubject, policyContext } from '../src/review/policy-vars.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    policy: { type: 'string', default: 'policies/default.yaml' },
  },
});
const N = Number(values.count);
const policy = loadPolicy(readFileSync(values.policy, 'utf8'), values.policy);
const enabled = policy.rules.filter((r) => r.enabled).length;

// A small deterministic generator so runs are comparable.
let seed = 42;
const rnd = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const SIGNALS = [
  'domain.homoglyph',
  'domain.combosquat',
  'domain.lure-vocabulary',
  'page.gate.turnstile',
  'page.capture.password-field',
  'page.exfil.telegram',
  'tenant.velocity.payment-fingerprint',
  'tenant.payment.crypto',
  'tenant.deploy.burst',
];
function subject(i: number): PolicySubject {
  const isCampaign = rnd() < 0.3;
  const domains = isCampaign ? 1 + Math.floor(rnd() * 40) : 1;
  const accounts = isCampaign ? Math.floor(rnd() * 6) : 0;
  const signals: Record<string, number> = {};
  for (const s of SIGNALS) if (rnd() < 0.25) signals[s] = 1 + Math.floor(rnd() * 3);
  const decided = rnd() < 0.05;
  return {
    kind: isCampaign ? 'campaign' : 'entity',
    id: isCampaign ? `C-${i}` : `domain:n${i}.example`,
    type: isCampaign ? 'campaign' : 'domain',
    risk: Math.round(rnd() * 1000) / 10,
    flagged: rnd() < 0.4,
    members: { domain: domains, account: accounts },
    flaggedMembers: { domain: Math.floor(domains * rnd()), account: Math.floor(accounts * rnd()) },
    signals,
    firstSeen: '2026-11-01T00:00:00Z',
    lastSeen: '2026-11-02T00:00:00Z',
    newMembersLastDay: Math.floor(rnd() * 10),
    at: '2026-11-03T00:00:00Z',
    ...(decided
      ? {
          previous: {
            malicious: 0,
            benign: 1,
            escalated: 0,
            last: 'benign' as const,
            newSignals: 0,
            openCase: false,
          },
        }
      : {}),
  };
}
const subjects = Array.from({ length: Math.min(N, 50_000) }, (_, i) => subject(i));

const outcomes: Record<string, number> = {};
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const s = subjects[i % subjects.length]!;
  const e = evaluateContext(policy, s, policyContext(s));
  outcomes[e.suppressed ? 'suppressed' : e.outcome] =
    (outcomes[e.suppressed ? 'suppressed' : e.outcome] ?? 0) + 1;
}
const celSec = (performance.now() - t0) / 1000;

// The floor: the default policy's enabled rules as plain closures over the subject (no CEL, no trace).
const any = (s: PolicySubject, ...prefixes: string[]) =>
  Object.keys(s.signals).some((k) => prefixes.some((p) => k.startsWith(p)));
const flaggedTotal = (s: PolicySubject) => Object.values(s.flaggedMembers).reduce((a, b) => a + (b ?? 0), 0);
const membersTotal = (s: PolicySubject) => Object.values(s.members).reduce((a, b) => a + (b ?? 0), 0);
const floorRules: ((s: PolicySubject) => boolean)[] = [
  (s) => s.previous?.last === 'benign' && s.previous.newSignals === 0,
  (s) =>
    s.kind === 'campaign' &&
    (s.members.account ?? 0) >= 1 &&
    flaggedTotal(s) >= 3 &&
    s.risk >= 70 &&
    any(s, 'page.gate.', 'page.capture.', 'page.exfil.'),
  (s) => s.kind === 'campaign' && s.previous?.last === 'malicious' && s.previous.newSignals > 0,
  (s) => s.kind === 'campaign' && flaggedTotal(s) >= 2 && s.risk >= 60,
  (s) => s.kind === 'campaign' && flaggedTotal(s) >= 1 && membersTotal(s) >= 5 && s.risk >= 50,
  (s) =>
    s.kind === 'entity' &&
    s.flagged &&
    any(s, 'page.capture.', 'page.exfil.') &&
    any(s, 'page.gate.', 'page.brand.'),
  (s) => s.kind === 'entity' && s.risk >= 90,
];
let hits = 0;
t0 = performance.now();
for (let i = 0; i < N; i++) {
  const s = subjects[i % subjects.length]!;
  for (const r of floorRules) if (r(s)) hits++;
}
const floorSec = (performance.now() - t0) / 1000;

const evals = N * enabled;
console.log(
  JSON.stringify(
    {
      policy: `${policy.name}@${policy.revision}`,
      subjects: N,
      rulesPerSubject: enabled,
      cel: {
        seconds: Number(celSec.toFixed(3)),
        ruleEvaluationsPerSecond: Math.round(evals / celSec),
        subjectsPerSecond: Math.round(N / celSec),
      },
      floorPlainJs: {
        seconds: Number(floorSec.toFixed(3)),
        ruleEvaluationsPerSecond: Math.round(evals / floorSec),
      },
      ratioFloorOverCel: Number((celSec / floorSec).toFixed(1)),
      outcomes,
      floorHits: hits,
      data: 'synthetic subjects generated by this script',
    },
    null,
    2,
  ),
);
