/**
 * Generation time and peak memory of `precursor simulate world`, run as a user runs it (a child
 * process of the CLI), for each scale and a few seeds; also checks that two runs of one seed write
 * byte-identical files (by SHA-256 of every file).
 *
 *   node --import tsx bench/simulate-world.ts [--scales small,month] [--seeds 1,2]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { scales: { type: 'string', default: 'small,month' }, seeds: { type: 'string', default: '1,2' } },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function digest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p.slice(dir.length)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

function run(
  scale: string,
  seed: string,
  out: string,
): {
  seconds: number;
  generate: number;
  rssMiB: number | null;
  counts: Record<string, number>;
} {
  const args = [
    '--import',
    'tsx',
    main,
    'simulate',
    'world',
    '--seed',
    seed,
    '--scale',
    scale,
    '--out',
    out,
    '--json',
  ];
  const t0 = performance.now();
  const r = time
    ? spawnSync(time, ['-f', 'maxrss_kb=%M', process.execPath, ...args], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      })
    : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`simulate world failed: ${r.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr ?? '');
  return {
    seconds,
    rssMiB: rss ? Math.round(Number(rss[1]) / 1024) : null,
    ...(() => {
      const o = JSON.parse(r.stdout) as { counts: Record<string, number>; seconds: number };
      return { counts: o.counts, generate: o.seconds };
    })(),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-world-'));
try {
  for (const scale of (values.scales as string).split(',')) {
    for (const seed of (values.seeds as string).split(',')) {
      const a = run(scale, seed, join(dir, `${scale}-${seed}-a`));
      const b = run(scale, seed, join(dir, `${scale}-${seed}-b`));
      const same = digest(join(dir, `${scale}-${seed}-a`)) === digest(join(dir, `${scale}-${seed}-b`));
      const c = a.counts;
      console.log(
        `${scale} seed ${seed}: generate + write ${a.generate.toFixed(2)} s / ${b.generate.toFixed(2)} s; ${a.seconds.toFixed(2)} s wall with CLI start; peak RSS ${a.rssMiB ?? '?'} MiB; ` +
          `${c.tenantEvents} tenant events, ${c.certstreamMessages} certstream messages, ${c.transactions} transactions, ${c.names} names; byte-identical: ${same}`,
      );
      rmSync(join(dir, `${scale}-${seed}-a`), { recursive: true, force: true });
      rmSync(join(dir, `${scale}-${seed}-b`), { recursive: true, force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
