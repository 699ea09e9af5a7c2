/**
 * The review queue on a simulated world, as a user gets it: whole `precursor` commands as child
 * processes — `simulate world`, `ingest events`, `ingest certstream`, `ingest transactions` (detect,
 * correlate and the review stage run after each), then `cases --json` and `case ID --json` — scored
 * against the world's ground truth:
 *
 * - per operator, the share of its accounts and names that are members of open cases (target ≥ 70%);
 * - honest accounts in cases, as a share of all honest accounts (target ≤ 0.2%);
 * - the queue: open cases (target: tens, not hundreds), by queue and priority, lone vs campaign, and
 *   how many hold no operator entity at all.
 *
 * The worlds are generated for the purpose (labelled so); hold out seeds nobody tuned on.
 *
 *   node --import tsx bench/review-world.ts [--seed 21] [--scale small|month] [--policy FILE] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '21' },
    scale: { type: 'string', default: 'small' },
    policy: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'precursor-review-world-'));
const home = join(dir, 'home');
const world = join(dir, 'world');
const args: string[] = ['--home', home];
if (values.policy) {
  const cfg = join(dir, 'precursor.yaml');
  writeFileSync(cfg, `review:\n  policy: ${JSON.stringify(values.policy)}\n`);
  args.push('--config', cfg);
}
const run = (cmd: string[]): string =>
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, ...cmd], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent' },
  });
const timed = (label: string, cmd: string[]): string => {
  const t = performance.now();
  const out = run(cmd);
  process.stderr.write(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return out;
};

timed('simulate world', [
  'simulate',
  'world',
  '--seed',
  values.seed,
  '--scale',
  values.scale,
  '--out',
  world,
]);
timed('ingest events', ['ingest', 'events', join(world, 'tenant-events.jsonl')]);
timed('ingest certstream', ['ingest', 'certstream', join(world, 'certstream.jsonl')]);
timed('ingest transactions', ['ingest', 'transactions', join(world, 'transactions.jsonl')]);

interface Item {
  id: string;
  subject: string;
  state: string;
  queue: string;
  priority: number;
  outcome: string;
  memberCount: number;
}
const cases = timed('cases', ['cases', '--json', '--limit', '0'])
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Item);
const open = cases.filter((c) => c.state === 'open' || c.state === 'in-review' || c.state === 'escalated');
interface Truth {
  operators: { id: string; accounts: string[]; names: string[]; hosts?: string[] }[];
  counts: { honestAccounts?: number };
  honest: Record<string, unknown>;
}
const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as Truth;
const operatorKeys = new Set(
  truth.operators.flatMap((o) => [
    ...o.accounts,
    ...o.names.map((n) => `domain:${n}`),
    ...(o.hosts ?? []).map((h) => `domain:${h}`),
  ]),
);
const inCases = new Set<string>();
// Open cases holding no operator entity: what the queue asks of a human for nothing.
const honestOnly: string[] = [];
const t0 = performance.now();
for (const c of open) {
  const d = JSON.parse(run(['case', c.id, '--json'])) as { members: { key: string }[] };
  for (const m of d.members) inCases.add(m.key);
  if (!d.members.some((m) => operatorKeys.has(m.key))) honestOnly.push(c.subject);
}
process.stderr.write(`case details: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

const operatorAccounts = new Set(truth.operators.flatMap((o) => o.accounts));
const operators = truth.operators.map((o) => {
  const acc = o.accounts.filter((a) => inCases.has(a)).length;
  const names = o.names.filter((n) => inCases.has(`domain:${n}`)).length;
  const total = o.accounts.length + o.names.length;
  return {
    id: o.id,
    accounts: `${acc}/${o.accounts.length}`,
    names: `${names}/${o.names.length}`,
    coverage: total === 0 ? 1 : (acc + names) / total,
  };
});
const honestAccountsInCases = [...inCases].filter(
  (k) => k.startsWith('account:') && !operatorAccounts.has(k),
);
const simulated = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as {
  params: { honestTenants: number };
};
const honestTotal = simulated.params.honestTenants;
const byQueue: Record<string, number> = {};
for (const c of open) byQueue[`${c.queue} P${c.priority}`] = (byQueue[`${c.queue} P${c.priority}`] ?? 0) + 1;
const report = {
  seed: values.seed,
  scale: values.scale,
  policy: values.policy ?? 'policies/default.yaml',
  openCases: open.length,
  campaignCases: open.filter((c) => c.subject.startsWith('campaign:')).length,
  loneCases: open.filter((c) => !c.subject.startsWith('campaign:')).length,
  holds: open.filter((c) => c.outcome === 'hold-and-review').length,
  casesWithoutOperator: honestOnly.length,
  casesWithoutOperatorSample: honestOnly.slice(0, 10),
  byQueue,
  operators,
  minOperatorCoverage: Math.min(...operators.map((o) => o.coverage)),
  honestAccountsInCases: honestAccountsInCases.length,
  honestAccounts: honestTotal,
  honestAccountShare: honestAccountsInCases.length / honestTotal,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (values.keep) process.stderr.write(`kept ${dir}\n`);
else rmSync(dir, { recursive: true, force: true });
