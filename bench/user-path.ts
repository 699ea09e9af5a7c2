/**
 * Speed as users see it (issue 17): whole `precursor` commands run as child processes on real-shaped
 * input, each beside its peer or floor in the same run, with whole-process wall time, CPU time and peak
 * RSS (from `/usr/bin/time`), and the ratio.
 *
 *   npm run build && node --import tsx bench/user-path.ts [--rows score,events,certstream]
 *       [--seed 7] [--work DIR] [--runs 1]
 *
 * Rows:
 * - `score`: `precursor score FILE` on ~300,000 unique host names, ~22% look-alikes
 *   (bench/corpora/score-names.ts) beside eth-phishing-detect with the ten benchmark brands' fourteen
 *   domains (bench/peers/eth-score.mjs), both writing one JSON line per name; target ≥ 3× the peer's
 *   rate. Start-up is the same command on a one-name file (target ≤ 300 ms). The command runs again
 *   with `--threads 2`, whose output must be the same bytes.
 * - `events`: `precursor ingest events FILE` (ingest, tenant stage, detectors and — as shipped —
 *   correlation into a fresh SQLite home; run again with correlation switched off by a config file) on the tenant events of `precursor simulate world --seed N --scale month`, beside a bare Node
 *   `JSON.parse` line loop over the same file (bench/peers/json-lines.mjs); target ≤ 8× the floor.
 * - `certstream`: `precursor ingest certstream FILE` replay of that world's certstream messages, beside
 *   the same floor; target ≤ 5× (and ≥ 20,000 messages/s).
 *
 * The world is generated once per seed into the work directory (default: the OS temp dir) and reused.
 * With `--runs N` each command runs N times and the best wall time counts (the machine is shared).
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/detect/domain/package-paths.js';
import { BENCH_DOMAINS, buildScoreCorpus } from './corpora/score-names.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: 'score,events,certstream' },
    seed: { type: 'string', default: '7' },
    work: { type: 'string', default: join(tmpdir(), 'precursor-user-path') },
    runs: { type: 'string', default: '1' },
  },
});
const root = packageRoot();
// What `precursor` runs: the package's bin.
const cli = join(
  root,
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { precursor: string } }).bin
    .precursor,
);
const TIME = '/usr/bin/time';
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
if (!existsSync(TIME)) throw new Error(`${TIME} is needed for peak RSS (Debian package \`time\`)`);
// The flags the bin's `#!/usr/bin/env -S node …` line gives node, as when a user runs `precursor`.
const binFlags = (readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '')
  .replace(/^#!.*?\bnode\b/, '')
  .trim()
  .split(/\s+/)
  .filter((f) => f.startsWith('--'));
const work = resolve(values.work);
mkdirSync(work, { recursive: true });
const rows = new Set(values.rows.split(','));
const runs = Math.max(1, Number(values.runs));
const seed = Number(values.seed);

interface Measure {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMiB: number;
  readonly stderr: string;
}

/** Runs `node ARGS` under /usr/bin/time, stdout to `outFile`; best wall time of `runs`. */
async function measure(
  label: string,
  args: readonly string[],
  outFile: string,
  before?: () => void,
): Promise<Measure> {
  let best: Measure | undefined;
  for (let i = 0; i < runs; i++) {
    before?.();
    const timeFile = join(work, 'time.txt');
    const out = openSync(outFile, 'w');
    const errFile = join(work, 'stderr.txt');
    const err = openSync(errFile, 'w');
    const child = spawn(TIME, ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...args], {
      cwd: root,
      stdio: ['ignore', out, err],
      env: { ...process.env, PRECURSOR_HOME: undefined },
    });
    const code: number = await new Promise((ok) => child.on('close', (c) => ok(c ?? -1)));
    closeSync(out);
    closeSync(err);
    const stderr = readFileSync(errFile, 'utf8');
    const [wall, user, sys, rssKiB] = readFileSync(timeFile, 'utf8')
      .trim()
      .split('\n')
      .at(-1)!
      .split(' ')
      .map(Number);
    if (code !== 0 && code !== 3) throw new Error(`${label} exited ${code}: ${stderr.slice(-2000)}`);
    const m = { wall: wall!, cpu: user! + sys!, rssMiB: rssKiB! / 1024, stderr };
    if (best === undefined || m.wall < best.wall) best = m;
  }
  return best!;
}

interface Row {
  command: string;
  input: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
  met: boolean;
}
const table: Row[] = [];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (m: Measure): string => `${fmt(m.rssMiB)} MiB`;
const line = (what: string, m: Measure, n: number, unit: string): string =>
  `${what}: ${m.wall.toFixed(2)} s wall (${m.cpu.toFixed(2)} s CPU), ${fmt(n / m.wall)} ${unit}/s, peak RSS ${mib(m)}`;

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: root,
  encoding: 'utf8',
}).stdout.trim();
console.log(
  `user-path bench, ${new Date().toISOString()}, commit ${commit || 'unknown'}, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, best of ${runs}`,
);

if (rows.has('score')) {
  const corpus = buildScoreCorpus(root);
  const names = join(work, 'score-names.txt');
  writeFileSync(names, `${corpus.names.join('\n')}\n`);
  const one = join(work, 'one-name.txt');
  writeFileSync(one, 'login-rnicrosoft.top\n');
  const n = corpus.names.length;
  console.log(
    `\nscore: ${fmt(n)} unique names, ${fmt(corpus.lookalikes)} look-alikes (${((100 * corpus.lookalikes) / n).toFixed(1)}%): ${Object.entries(
      corpus.parts,
    )
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
  );
  const peerArgs = (file: string) => [join(root, 'bench', 'peers', 'eth-score.mjs'), file, ...BENCH_DOMAINS];
  const startOurs = await measure(
    'precursor score (one name)',
    [...binFlags, cli, 'score', one],
    join(work, 'one.out'),
  );
  const startPeer = await measure('eth (one name)', peerArgs(one), join(work, 'one-peer.out'));
  console.log(
    `start-up (one name): precursor ${(startOurs.wall * 1000).toFixed(0)} ms, ${mib(startOurs)}; eth-phishing-detect ${(startPeer.wall * 1000).toFixed(0)} ms, ${mib(startPeer)}`,
  );
  const ours = await measure('precursor score', [...binFlags, cli, 'score', names], join(work, 'score.out'));
  const peer = await measure('eth-phishing-detect', peerArgs(names), join(work, 'score-peer.out'));
  console.log(line('precursor score', ours, n, 'names'));
  console.log(line('eth-phishing-detect', peer, n, 'names'));
  const ratio = peer.wall / ours.wall;
  console.log(`ratio: ${ratio.toFixed(2)}× the peer's rate (CPU: ${(peer.cpu / ours.cpu).toFixed(2)}×)`);
  table.push({
    command: '`precursor score FILE`',
    input: `${fmt(n)} unique names, ${((100 * corpus.lookalikes) / n).toFixed(0)}% look-alikes`,
    ours: `${fmt(n / ours.wall)} names/s (${ours.cpu.toFixed(1)} s CPU), ${mib(ours)}`,
    peer: `eth-phishing-detect (${BENCH_DOMAINS.length} domains) ${fmt(n / peer.wall)} names/s (${peer.cpu.toFixed(1)} s CPU), ${mib(peer)}`,
    ratio: `${ratio.toFixed(2)}× (CPU ${(peer.cpu / ours.cpu).toFixed(2)}×)`,
    target: '≥ 3×',
    met: ratio >= 3,
  });
  // The same with two scoring threads (the default leaves a core to V8: one thread on two cores);
  // its output must be the default run's byte for byte.
  const threaded = await measure(
    'precursor score --threads 2',
    [...binFlags, cli, 'score', '--threads', '2', names],
    join(work, 'score-threads.out'),
  );
  const same = readFileSync(join(work, 'score.out')).equals(readFileSync(join(work, 'score-threads.out')));
  if (!same) throw new Error('precursor score --threads 2 wrote other bytes than one thread');
  console.log(line('precursor score --threads 2', threaded, n, 'names'));
  const threadedRatio = peer.wall / threaded.wall;
  console.log(
    `ratio: ${threadedRatio.toFixed(2)}× the peer's rate (CPU: ${(peer.cpu / threaded.cpu).toFixed(2)}×), output identical`,
  );
  table.push({
    command: '`precursor score --threads 2 FILE`',
    input: 'same',
    ours: `${fmt(n / threaded.wall)} names/s (${threaded.cpu.toFixed(1)} s CPU), ${mib(threaded)}`,
    peer: 'same',
    ratio: `${threadedRatio.toFixed(2)}× (CPU ${(peer.cpu / threaded.cpu).toFixed(2)}×)`,
    target: '≥ 3×',
    met: threadedRatio >= 3,
  });
  table.push({
    command: '`precursor score` start-up',
    input: 'one name',
    ours: `${(startOurs.wall * 1000).toFixed(0)} ms, ${mib(startOurs)}`,
    peer: `eth-phishing-detect ${(startPeer.wall * 1000).toFixed(0)} ms`,
    ratio: '—',
    target: '≤ 300 ms',
    met: startOurs.wall <= 0.3,
  });
}

function ensureWorld(): string {
  const dir = join(work, `world-${seed}`);
  if (!existsSync(join(dir, 'certstream.jsonl'))) {
    console.log(`\ngenerating the world (seed ${seed}, month) into ${dir} …`);
    const r = spawnSync(
      process.execPath,
      [cli, 'simulate', 'world', '--seed', String(seed), '--scale', 'month', '--out', dir],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('simulate world failed');
  }
  return dir;
}

async function ingestRow(kind: 'events' | 'certstream', file: string, target: number): Promise<void> {
  const floor = await measure(
    'floor',
    [join(root, 'bench', 'peers', 'json-lines.mjs'), file],
    join(work, 'floor.out'),
  );
  const records = Number(readFileSync(join(work, 'floor.out'), 'utf8').split(' ')[0]);
  console.log(`\ningest ${kind}: ${fmt(records)} records`);
  console.log(line('JSON.parse floor', floor, records, 'records'));
  // As shipped (correlation on), and with correlation switched off by a config file.
  const noCorrelation = join(work, 'no-correlation.yaml');
  writeFileSync(noCorrelation, 'correlate:\n  enabled: false\n');
  // The review stage (the shipped policy) runs in both: it has no switch.
  for (const variant of ['as shipped: correlation and review policy on', 'correlation off'] as const) {
    const home = join(work, 'home');
    const config = variant === 'correlation off' ? ['--config', noCorrelation] : [];
    const ours = await measure(
      `precursor ingest ${kind}`,
      [...binFlags, cli, ...config, '--home', home, 'ingest', kind, file, '--json'],
      join(work, `${kind}.out`),
      () => {
        rmSync(home, { recursive: true, force: true });
        mkdirSync(home);
      },
    );
    const summary = readFileSync(join(work, `${kind}.out`), 'utf8').trim();
    console.log(`${variant}: summary ${summary.slice(0, 300)}…`);
    console.log(line(`precursor ingest ${kind}, ${variant}`, ours, records, 'records'));
    const ratio = ours.wall / floor.wall;
    const cpuRatio = ours.cpu / floor.cpu;
    console.log(
      `ratio: ${ratio.toFixed(2)}× the floor's time (CPU: ${cpuRatio.toFixed(2)}×), load ${(loadavg()[0] ?? 0).toFixed(1)}`,
    );
    table.push({
      command: `\`precursor ingest ${kind} FILE\`, ${variant}`,
      input: `${fmt(records)} ${kind === 'events' ? 'tenant events' : 'certstream messages'} (simulate world --seed ${seed} --scale month)`,
      ours: `${fmt(records / ours.wall)}/s (${ours.cpu.toFixed(1)} s CPU), ${mib(ours)}`,
      peer: `JSON.parse loop ${fmt(records / floor.wall)}/s (${floor.cpu.toFixed(1)} s CPU), ${mib(floor)}`,
      ratio: `${ratio.toFixed(1)}× (CPU ${cpuRatio.toFixed(1)}×), load ${(loadavg()[0] ?? 0).toFixed(0)}`,
      target: `≤ ${target}×`,
      met: ratio <= target,
    });
  }
}

if (rows.has('events') || rows.has('certstream')) {
  const world = ensureWorld();
  if (rows.has('events')) await ingestRow('events', join(world, 'tenant-events.jsonl'), 8);
  if (rows.has('certstream')) await ingestRow('certstream', join(world, 'certstream.jsonl'), 5);
}

console.log(
  '\n| command | input | ours (whole process, peak RSS) | floor or peer, same run | ratio | target | met |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of table)
  console.log(
    `| ${r.command} | ${r.input} | ${r.ours} | ${r.peer} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`,
  );
