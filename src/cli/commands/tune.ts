/**
 * `precursor tune [--labels FILE] [--out FILE] [--apply | --from FILE --apply] [--json]`: learns signal
 * weights and the flag threshold from decided cases (and a labelled history), shows what would change,
 * and makes them live only with `--apply` (recorded, audited, stored assessments re-scored).
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { applyWeights, proposeWeights, type TuneReport, weightsText } from '../../review/tune-service.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, untilInterrupted, withApp, writeJson } from '../runtime.js';
import { cliActor } from './cases.js';

interface TuneOptions {
  labels?: string;
  out?: string;
  from?: string;
  apply?: boolean;
  lambda?: number;
  minSupport?: number;
  holdOut?: number;
  beta?: number;
  json?: boolean;
}

const numberFlag =
  (name: string, min: number, max: number, open = false) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (open && n === min))
      throw new InvalidArgumentError(
        `${name} must be a number ${open ? 'above' : 'from'} ${min} ${open ? 'up to' : 'to'} ${max}`,
      );
    return n;
  };

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function printReport(io: CliIo, r: TuneReport, out: string | undefined): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  const l = r.labels;
  w(
    `labels: ${l.entities} entities (${l.malicious} malicious, ${l.benign} benign) from ${l.cases} decided cases (${l.fromCases}) and the labels file (${l.fromFile}${l.unknown ? `, ${l.unknown} unknown skipped` : ''})`,
  );
  w(
    `fit: logistic regression, lambda ${r.file.lambda}, ${r.fit.iterations} Newton steps${r.fit.converged ? '' : ' (NOT converged)'}, intercept ${r.fit.intercept.toFixed(3)}; trained on ${r.file.evaluation.trainCases}, held out ${r.file.evaluation.heldOutCases} (the most recent)`,
  );
  w(
    `current: ${r.current.source === 'store' ? `weights revision ${r.current.revision}` : "the detectors' own weights"}; proposed: revision ${r.file.revision}`,
  );
  w(`threshold: ${r.threshold.before} → ${r.threshold.after}`);
  const b = r.heldOut.before;
  const a = r.heldOut.after;
  w(
    `held out (${b.cases}, ${b.malicious} malicious): precision ${pct(b.precision)} → ${pct(a.precision)}, recall ${pct(b.recall)} → ${pct(a.recall)}, flagged ${b.flagged} → ${a.flagged}; Brier ${r.heldOut.brier}`,
  );
  w('calibration (held out): predicted vs observed malicious rate');
  for (const c of r.heldOut.calibration)
    if (c.cases > 0)
      w(
        `  ${c.bin.padEnd(8)} ${String(c.cases).padStart(6)}  ${c.predicted.toFixed(3)}  ${c.observed.toFixed(3)}`,
      );
  w(`weights (${r.changes.length} change${r.changes.length === 1 ? '' : 's'}):`);
  for (const c of r.changes.slice(0, 40))
    w(
      `  ${c.id.padEnd(44)} ${String(c.before ?? '-').padStart(6)} → ${String(c.after).padStart(6)}  (odds ×${Math.exp(r.fit.coefficients[c.id] ?? 0).toFixed(2)})`,
    );
  if (r.changes.length > 40) w(`  … ${r.changes.length - 40} more (--json lists all)`);
  if (r.untouched.length > 0) w(`untouched (too few labels): ${r.untouched.join(', ')}`);
  const cg = r.cases.gained;
  const cl = r.cases.lost;
  w(
    `decided cases: gained ${cg.malicious.length} malicious, ${cg.benign.length} benign; lost ${cl.malicious.length} malicious, ${cl.benign.length} benign`,
  );
  for (const id of [...cg.benign, ...cl.malicious].slice(0, 10))
    w(`  ${cg.benign.includes(id) ? '+ benign   ' : '- malicious'} ${id}`);
  const s = r.store;
  w(
    `store: ${s.entities} assessed entities carry a re-weighted signal; flagged ${s.flaggedBefore} → ${s.flaggedAfter} (+${s.gained}, -${s.lost})`,
  );
  for (const k of s.gainedSample.slice(0, 5)) w(`  + ${k}`);
  for (const k of s.lostSample.slice(0, 5)) w(`  - ${k}`);
  w(
    out
      ? `wrote ${out}`
      : 'dry run: nothing changed (--out FILE writes the weights file, --apply makes it live)',
  );
}

export const tuneCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('tune')
      .description('learn signal weights and the flag threshold from decided cases (dry run unless --apply)')
      .option('--labels <file>', 'labelled history: JSON lines {"entity","label":"malicious"|"benign","at"?}')
      .option('--out <file>', 'write the proposed weights file (JSON, docs/tune.md)')
      .option('--from <file>', 'apply this weights file instead of fitting (with --apply)')
      .option('--apply', 'make the weights live: recorded, audited, stored assessments re-scored')
      .option(
        '--lambda <n>',
        'L2 penalty on the signal coefficients (default 1)',
        numberFlag('--lambda', 0, 1e6),
      )
      .option(
        '--min-support <n>',
        'labelled entities a signal needs to be re-weighted (default 3)',
        numberFlag('--min-support', 1, 1e9),
      )
      .option(
        '--hold-out <share>',
        'share of the most recent labels held out (default 0.25)',
        numberFlag('--hold-out', 0, 0.9),
      )
      .option(
        '--beta <n>',
        'threshold by F-beta; < 1 favours precision (default 0.5)',
        numberFlag('--beta', 0, 100, true),
      )
      .option('--json', 'the report as JSON');
    cmd.action(
      action(io, setExit, async (opts: TuneOptions) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const store = app.pipeline.store;
            const base = app.config.scoring;
            const actor = cliActor(io.env);
            if (opts.from !== undefined) {
              if (!opts.apply) {
                io.stderr.write('precursor: --from applies a reviewed weights file; add --apply\n');
                return EXIT.USAGE;
              }
              const path = resolve(io.cwd, opts.from);
              const r = await applyWeights(
                store,
                base,
                { text: readFileSync(path, 'utf8'), source: path },
                actor,
              );
              if (opts.json) writeJson(io, r);
              else
                io.stdout.write(
                  `applied weights revision ${r.revision} (${r.signals} signals, threshold ${r.threshold}) ${r.hash}; re-scored ${r.store.rescored}, flagged ${r.store.flaggedBefore} → ${r.store.flaggedAfter}; audit #${r.audit.seq}\n`,
                );
              return EXIT.OK;
            }
            const labels = opts.labels === undefined ? undefined : resolve(io.cwd, opts.labels);
            const { report, file } = await untilInterrupted((signal) =>
              proposeWeights(store, base, {
                signal,
                ...(labels ? { labels: { text: readFileSync(labels, 'utf8'), source: labels } } : {}),
                ...(opts.lambda !== undefined ? { lambda: opts.lambda } : {}),
                ...(opts.minSupport !== undefined ? { minSupport: opts.minSupport } : {}),
                ...(opts.holdOut !== undefined ? { holdOut: opts.holdOut } : {}),
                ...(opts.beta !== undefined ? { beta: opts.beta } : {}),
              }),
            );
            const out = opts.out === undefined ? undefined : resolve(io.cwd, opts.out);
            if (out) writeFileSync(out, weightsText(file));
            const applied = opts.apply ? await applyWeights(store, base, file, actor) : undefined;
            if (opts.json) writeJson(io, { ...report, ...(out ? { out } : {}), applied: applied ?? null });
            else {
              printReport(io, report, out);
              if (applied)
                io.stdout.write(
                  `applied weights revision ${applied.revision} ${applied.hash}; re-scored ${applied.store.rescored}; audit #${applied.audit.seq}\n`,
                );
            }
            return EXIT.OK;
          },
          opts.apply ? {} : { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;
