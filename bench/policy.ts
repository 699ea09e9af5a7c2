/**
 * Two figures of the review issue, in one run.
 *
 * 1. Policy evaluation speed: the shipped default policy (CEL conditions compiled once at load) over N
 * synthetic subjects — campaigns and lone entities of varied shape, generated here for the purpose (so
 * the figure is labelled synthetic). Reports rule evaluations per second (subjects × rules, each with its
 * full trace) with the subject's context built per subject, as the review stage does, and beside it the
 * floor: the same rules written as plain JavaScript closures, without traces.
 *
 * 2. Time from an observation arriving to its case being open, through the real path in the embedded
 *    mode: a `precursor serve` child process on a fresh SQLite home (optionally preloaded with a
 *    simulated world through `precursor ingest …`, so correlation has a graph to work through), one
 *    strong lookalike name at a time POSTed to `/v1/ingest/names` (detect, correlate and the review stage
 *    run on the request's path), then `GET /v1/cases` polled every 10 ms until a case for the name is
 *    open. p50/p95/p99 and max over `--observations` names; target p99 < 1 s.
 *
 *   node --import tsx bench/policy.ts [--count 200000] [--policy policies/default.yaml]
 *        [--observations 40] [--preload-seed 21] [--port 18400] [--no-latency]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openApp } from '../src/app/open-app.js';
import { evaluateContext, loadPolicy } from '../src/review/policy.js';
import { reviewSubjects } from '../src/review/review-stage.js';
import { type PolicySubject, policyContext } from '../src/review/policy-vars.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    policy: { type: 'string', default: 'policies/default.yaml' },
    observations: { type: 'string', default: '40' },
    'preload-seed': { type: 'string' },
    port: { type: 'string', default: '18400' },
    'no-latency': { type: 'boolean', default: false },
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
const latency = values['no-latency'] ? null : await caseLatency();
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
      observationToOpenCase: latency,
    },
    null,
    2,
  ),
);

/** Observation → open case through a running `precursor serve` (see the header). */
async function caseLatency() {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-bench-policy-'));
  const home = join(dir, 'home');
  const cli = (args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--home', home, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent' },
    });
  const preload = values['preload-seed'];
  let preloaded: Record<string, unknown> = { world: 'none (empty store)' };
  if (preload !== undefined) {
    const t = performance.now();
    const world = join(dir, 'world');
    cli(['simulate', 'world', '--seed', preload, '--scale', 'small', '--out', world]);
    cli(['ingest', 'events', join(world, 'tenant-events.jsonl')]);
    cli(['ingest', 'certstream', join(world, 'certstream.jsonl')]);
    cli(['ingest', 'transactions', join(world, 'transactions.jsonl')]);
    const cases = cli(['cases', '--json', '--limit', '0'])
      .split('\n')
      .filter((l) => l.trim()).length;
    const entities = cli(['entities', '--json', '--limit', '0'])
      .split('\n')
      .filter((l) => l.trim()).length;
    preloaded = {
      world: `simulated small world, seed ${preload}`,
      entities,
      cases,
      seconds: Math.round((performance.now() - t) / 100) / 10,
      policyOverWorld: await overWorld(home),
    };
  }
  const key = (JSON.parse(cli(['keys', 'create', '--role', 'admin', '--json'])) as { key: string }).key;
  const port = Number(values.port);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      '--home',
      home,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PRECURSOR_LOG_LEVEL: 'warn' } },
  );
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  try {
    const ready = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) break;
      } catch {}
      if (Date.now() > ready) throw new Error('serve did not start within 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const n = Number(values.observations);
    const total: number[] = [];
    const post: number[] = [];
    let timedOut = 0;
    for (let i = 0; i < n; i++) {
      // A strong lookalike on a registrable domain of its own: the default policy's lone-strong rule.
      const name = `micros0ft-sign-${randomBytes(3).toString('hex')}.com`;
      const t0 = performance.now();
      const r = await fetch(`${base}/v1/ingest/names`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ source: 'bench', values: [name] }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await r.json()) as { flagged?: number };
      post.push(performance.now() - t0);
      if (!r.ok || body.flagged !== 1) throw new Error(`ingest ${name}: ${r.status} ${JSON.stringify(body)}`);
      const deadline = t0 + 30_000;
      for (;;) {
        const page = (await get('/v1/cases?state=open&queue=lone&limit=1000')) as {
          items: { subject: string }[];
        };
        if (page.items.some((c) => c.subject === `domain:${name}`)) {
          total.push(performance.now() - t0);
          break;
        }
        if (performance.now() > deadline) {
          timedOut++;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const q = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length === 0 ? null : Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
    };
    return {
      path: 'POST /v1/ingest/names to a running `precursor serve` (SQLite), poll GET /v1/cases',
      preloaded,
      observations: n,
      timedOut,
      ms: { p50: q(total, 0.5), p95: q(total, 0.95), p99: q(total, 0.99), max: q(total, 1) },
      ingestRequestMs: { p50: q(post, 0.5), p99: q(post, 0.99) },
      targetP99Ms: 1000,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same evaluation over the subjects a real-shaped store gives (campaigns and lone entities built
 * from the preloaded world's assessments, read once): rule evaluations per second, store reads excluded.
 */
async function overWorld(home: string) {
  const app = await openApp({
    overrides: { home },
    readOnly: true,
    env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent' },
  });
  try {
    const at = new Date().toISOString();
    const t = performance.now();
    const subjects: PolicySubject[] = [];
    for await (const x of reviewSubjects(app.pipeline.store, at)) subjects.push(x.subject);
    const readSeconds = (performance.now() - t) / 1000;
    const rounds = Math.max(1, Math.ceil(N / Math.max(1, subjects.length)));
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const s of subjects) evaluateContext(policy, s, policyContext(s));
    const sec = (performance.now() - t0) / 1000;
    return {
      subjects: subjects.length,
      evaluations: rounds * subjects.length * enabled,
      ruleEvaluationsPerSecond: Math.round((rounds * subjects.length * enabled) / sec),
      readSubjectsSeconds: Math.round(readSeconds * 100) / 100,
    };
  } finally {
    await app.close();
  }
}
