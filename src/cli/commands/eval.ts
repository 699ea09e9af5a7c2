/**
 * `precursor eval names|pages` (and `tenants`, `world` in their own modules): measures Precursor on the user's own labelled data. Prints recall,
 * false-positive rate and precision, per class and per signal, with the worst misses and false flags and
 * their explanations; `--json` prints the same report as one JSON document.
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { isPrecursorError } from '../../domain/index.js';
import {
  createDomainEngine,
  defaultBrandsDir,
  type LabelledName,
  loadBrandProfiles,
  type NameEvaluation,
  evaluateNames,
  parseNameList,
} from '../../detect/domain/index.js';
import { join, resolve } from 'node:path';
import { createPageAnalyzer } from '../../detect/page/analyze-page.js';
import { loadBrandCatalog } from '../../detect/page/brand-catalog.js';
import { evaluatePages, type PageEvaluation } from '../../detect/page/evaluate-pages.js';
import { loadKitRules } from '../../detect/page/kit-rules.js';
import { resolvePageConfig } from '../../detect/page/page-config.js';
import { packageRoot } from '../../detect/domain/package-paths.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { registerEvalTenants } from './eval-tenants.js';
import { registerEvalWorld } from './eval-world.js';

interface EvalNamesOptions {
  readonly positives?: string[];
  readonly negatives?: string[];
  readonly brands?: string;
  readonly threshold?: string;
  readonly worst: string;
  readonly json?: boolean;
}

interface EvalPagesOptions {
  readonly brands?: string;
  readonly kits?: string;
  readonly worst: string;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const evalCommand: CliCommand = {
  register(program: Command, io: CliIo, setExit: (code: number) => void): void {
    const ev = program
      .command('eval')
      .description('measure detection on your own labelled data (recall, false-positive rate, precision)');
    ev.command('names')
      .description('score labelled host names: positives should be flagged, negatives should not')
      .option(
        '--positives <file>',
        'names that should be flagged (one per line, optional class after a tab, comma or space; repeatable)',
        collect,
      )
      .option('--negatives <file>', 'names that should not be flagged (same format; repeatable)', collect)
      .option('--brands <dirOrFile>', 'brand profiles (YAML file or directory)')
      .option('--threshold <n>', 'flag threshold 0-100 (default 50)')
      .option('--worst <n>', 'how many misses and false flags to explain', '20')
      .option('--json', 'print the report as JSON')
      .action((opts: EvalNamesOptions) => {
        setExit(runEvalNames(opts, io));
      });
    ev.command('pages')
      .description("analyse saved pages under DIR/<label>/<site>/ (label 'phishing' or 'benign') and report")
      .argument('<dir>', 'directory of labelled page folders')
      .option('--brands <dir>', 'brand profiles directory (default: the shipped brands)')
      .option('--kits <dir>', 'kit rules directory (default: the shipped kits)')
      .option('--worst <n>', 'how many misses and false flags to explain', '20')
      .option('--json', 'print the report as JSON')
      .action(async (dir: string, opts: EvalPagesOptions) => {
        setExit(await runEvalPages(dir, opts, io));
      });
    registerEvalTenants(ev, io, setExit);
    registerEvalWorld(ev, io, setExit);
  },
};

function parseWorst(value: string, io: CliIo, cmd: string): number | undefined {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0) return n;
  io.stderr.write(`precursor eval ${cmd}: --worst must be a non-negative integer, got '${value}'\n`);
  return undefined;
}

export function runEvalNames(opts: EvalNamesOptions, io: CliIo): number {
  const positives = opts.positives ?? [];
  const negatives = opts.negatives ?? [];
  if (positives.length + negatives.length === 0) {
    io.stderr.write('precursor eval names: give --positives FILE and/or --negatives FILE\n');
    return EXIT.USAGE;
  }
  const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 100)) {
    io.stderr.write(
      `precursor eval names: --threshold must be a number from 0 to 100, got '${opts.threshold}'\n`,
    );
    return EXIT.USAGE;
  }
  const worst = parseWorst(opts.worst, io, 'names');
  if (worst === undefined) return EXIT.USAGE;
  const texts: { file: string; text: string; positive: boolean }[] = [];
  for (const [files, positive] of [
    [positives, true],
    [negatives, false],
  ] as const) {
    for (const file of files) {
      try {
        texts.push({ file, text: readFileSync(file, 'utf8'), positive });
      } catch (e) {
        io.stderr.write(`precursor eval names: cannot read ${file}: ${(e as Error).message}\n`);
        return EXIT.FAILURE;
      }
    }
  }
  let report: NameEvaluation;
  try {
    const engine = createDomainEngine({
      profiles: loadBrandProfiles(opts.brands ?? defaultBrandsDir()),
      config: threshold === undefined ? {} : { thresholds: { flag: threshold } },
    });
    function* all(): Generator<LabelledName> {
      for (const t of texts) yield* parseNameList(t.text, t.positive, corpusClass(t.file));
    }
    report = evaluateNames(engine, all(), { worst });
  } catch (e) {
    io.stderr.write(`precursor eval names: ${isPrecursorError(e) ? e.message : String(e)}\n`);
    return EXIT.FAILURE;
  }
  io.stdout.write(opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatNames(report));
  return EXIT.OK;
}

/** `bench/corpora/names/benign-hosts.heldout.txt` → `benign-hosts`. */
const corpusClass = (file: string): string =>
  basename(file).replace(/(\.(dev|heldout))?\.(txt|csv|list)$/, '');

const pct = (x: number | null, digits = 2): string => (x === null ? '-' : `${(x * 100).toFixed(digits)}%`);

function formatNames(r: NameEvaluation): string {
  const o = r.overall;
  const lines = [
    `threshold ${r.threshold}: ${o.positives} positives, ${o.negatives} negatives, ${r.rejected.length} rejected`,
    `recall ${pct(o.recall)} (${o.truePositives}/${o.positives})   false-positive rate ${pct(o.falsePositiveRate, 3)} (${o.falsePositives}/${o.negatives})   precision ${pct(o.precision)}`,
    '',
    'per class:',
    ...r.classes.map(
      (c) =>
        `  ${c.class.padEnd(28)} ${c.positives > 0 ? `recall ${pct(c.recall).padStart(7)} of ${c.positives}` : `flagged ${pct(c.falsePositiveRate, 3).padStart(7)} of ${c.negatives}`}`,
    ),
    '',
    'per signal (fired on positives / negatives; strongest signal of true / false flags):',
    ...r.signals.map(
      (s) =>
        `  ${s.id.padEnd(30)} ${String(s.positives).padStart(7)} / ${String(s.negatives).padEnd(7)} leads ${s.leadingTruePositives} / ${s.leadingFalsePositives}`,
    ),
  ];
  const explainList = (title: string, items: NameEvaluation['worstMisses']): void => {
    if (items.length === 0) return;
    lines.push('', title);
    for (const m of items) {
      lines.push(
        `  ${m.score.toFixed(1).padStart(5)}  ${m.name}  [${m.class}]${m.brand ? ` brand ${m.brand}` : ''}`,
      );
      for (const s of m.signals.slice(0, 3))
        lines.push(`         ${s.points.toFixed(1).padStart(5)} ${s.id}: ${s.detail}`);
    }
  };
  explainList('worst misses (positives not flagged, lowest score first):', r.worstMisses);
  explainList('worst false flags (negatives flagged, highest score first):', r.worstFalseFlags);
  return `${lines.join('\n')}\n`;
}

export async function runEvalPages(dir: string, opts: EvalPagesOptions, io: CliIo): Promise<number> {
  const worst = parseWorst(opts.worst, io, 'pages');
  if (worst === undefined) return EXIT.USAGE;
  let report: PageEvaluation;
  try {
    const brandsDir = opts.brands ? resolve(io.cwd, opts.brands) : defaultBrandsDir();
    const brands = await loadBrandCatalog(brandsDir);
    const kits = await loadKitRules(opts.kits ? resolve(io.cwd, opts.kits) : join(packageRoot(), 'kits'));
    for (const p of [...brands.problems, ...kits.problems])
      io.stderr.write(`precursor eval pages: skipped ${p}\n`);
    const analyzer = createPageAnalyzer({
      brands: brands.catalog,
      kitRules: kits.rules,
      config: resolvePageConfig(undefined),
    });
    // The page's own name is judged too, as the pipeline does: its domain signals join the page's.
    const engine = createDomainEngine({ profiles: loadBrandProfiles(brandsDir) });
    const nameSignals = (host: string) => {
      const r = engine.score(host);
      return r.ok ? r.signals : [];
    };
    report = await evaluatePages(resolve(io.cwd, dir), { analyzer, nameSignals, worst });
  } catch (e) {
    io.stderr.write(`precursor eval pages: ${isPrecursorError(e) ? e.message : String(e)}\n`);
    return EXIT.FAILURE;
  }
  io.stdout.write(opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatPages(report));
  return EXIT.OK;
}

function formatPages(r: PageEvaluation): string {
  const o = r.overall;
  const lines = [
    `${o.positives} phishing pages, ${o.negatives} honest pages, ${r.rejected.length} unreadable`,
    `recall ${pct(o.recall)} (${o.truePositives}/${o.positives})   false-positive rate ${pct(o.falsePositiveRate)} (${o.falsePositives}/${o.negatives})   precision ${pct(o.precision)}`,
  ];
  // Per class only when the corpus has classes (a label alone is the overall figure again).
  if (r.classes.some((c) => c.class.includes('/'))) {
    lines.push('', 'per class:');
    for (const c of r.classes)
      lines.push(
        `  ${c.class.padEnd(36)} ${c.positives > 0 ? `recall ${pct(c.recall)} (${c.truePositives}/${c.positives})` : `flagged ${pct(c.falsePositiveRate)} (${c.falsePositives}/${c.negatives})`}`,
      );
  }
  lines.push(
    '',
    'per signal (fired on phishing / honest pages):',
    ...r.signals.map((s) => `  ${s.id.padEnd(36)} ${String(s.positives).padStart(5)} / ${s.negatives}`),
  );
  for (const [title, items] of [
    ['misses:', r.worstMisses],
    ['false flags:', r.worstFalseFlags],
  ] as const) {
    if (items.length === 0) continue;
    lines.push('', title);
    for (const p of items) {
      lines.push(`  ${p.score.toFixed(1).padStart(5)}  ${p.page}  [${p.class}]`);
      for (const s of p.signals.slice(0, 4)) lines.push(`         ${s.id}: ${s.detail}`);
    }
  }
  for (const x of r.rejected) lines.push(`unreadable: ${x.page}: ${x.reason}`);
  return `${lines.join('\n')}\n`;
}
