/**
 * `precursor eval tenants EVENTS… --truth FILE [--json]`: the pipeline as configured on labelled tenant
 * events, scored per account (recall, false-positive rate, precision, lead time, per operator and per
 * signal, worst misses and false flags explained). The store is a fresh embedded one in a temporary
 * directory (`--store DIR` keeps it for a look afterwards).
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ExplainedAccount, TenantEventsEvaluation } from '../../app/tenant-events-eval.js';
import { parseTenantLabels } from '../../app/tenant-labels.js';
import { PrecursorError } from '../../domain/index.js';
import type { CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { withEvalApp } from '../eval-app.js';
import { action, parseIntFlag, progress, writeJson } from '../runtime.js';

interface EvalTenantsFlags {
  readonly truth: string;
  readonly worst: number;
  readonly store?: string;
  readonly json?: boolean;
}

export function registerEvalTenants(ev: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = ev
    .command('tenants')
    .description(
      'run the pipeline on labelled tenant events and report account recall, false-positive rate, precision and lead time',
    )
    .argument('<events...>', 'JSONL files of tenant events (docs/tenant-events.md)')
    .requiredOption(
      '--truth <file>',
      "labels: JSON with operators[{id, accounts, firstDeploymentAt?}] or lines 'account,operator[,first deployment]'",
    )
    .option('--worst <n>', 'how many misses and false flags to explain', parseIntFlag('--worst', 0), 20)
    .option(
      '--store <dir>',
      'keep the embedded store here (default: a temporary directory, removed afterwards)',
    )
    .option('--json', 'print the report as one JSON document');
  cmd.action(
    action(io, setExit, async (files: string[], opts: EvalTenantsFlags) => {
      let labelsText: string;
      const truthPath = resolve(io.cwd, opts.truth);
      try {
        labelsText = readFileSync(truthPath, 'utf8');
      } catch (e) {
        throw new PrecursorError(
          'VALIDATION_FAILED',
          `cannot read --truth ${opts.truth}: ${(e as Error).message}`,
        );
      }
      const labels = parseTenantLabels(labelsText, opts.truth);
      const { evaluateTenantEvents } = await import('../../app/tenant-events-eval.js');
      return withEvalApp(cmd, io, opts.store, async (app) => {
        const bar = progress(io);
        try {
          const report = await evaluateTenantEvents(
            app,
            files.map((f) => resolve(io.cwd, f)),
            labels,
            { worst: opts.worst, onProgress: (step) => bar.update(`eval tenants: ${step} …`) },
          );
          bar.done();
          if (opts.json) writeJson(io, report);
          else io.stdout.write(formatTenants(report));
          return report.events.rejected > 0 ? EXIT.PARTIAL : EXIT.OK;
        } finally {
          bar.done();
        }
      });
    }),
  );
}

const pct = (x: number | null, digits = 1) => (x === null ? '-' : `${(x * 100).toFixed(digits)}%`);

const explained = (a: ExplainedAccount) =>
  `  ${a.account}${a.operator ? ` (${a.operator})` : ''}  score ${a.score}${
    a.explanation.length === 0 ? '  — no signals' : ''
  }\n${a.explanation.map((c) => `      +${c.points} ${c.id}: ${c.detail}`).join('\n')}`.trimEnd();

export function formatTenants(r: TenantEventsEvaluation): string {
  const o = r.overall;
  const lines = [
    `${r.events.read} events read, ${r.events.stored} stored, ${r.events.rejected} rejected; correlation ${r.correlation ? 'on' : 'off'}; flag threshold ${r.threshold}`,
    `accounts: ${o.operatorAccounts} labelled operator, ${o.honestAccounts} honest${o.unseen > 0 ? ` (${o.unseen} labelled accounts not in the events)` : ''}`,
    `recall ${pct(o.recall)} (${o.truePositives}/${o.operatorAccounts})   false-positive rate ${pct(o.falsePositiveRate, 3)} (${o.falsePositives}/${o.honestAccounts})   precision ${pct(o.precision)}`,
    `median lead time ${r.medianLeadHours === null ? '-' : `${r.medianLeadHours} h`} before first deployment`,
    '',
    'per operator:',
    ...r.operators.map(
      (op) =>
        `  ${op.id.padEnd(12)} ${`${op.flagged}/${op.accounts}`.padStart(7)} flagged${op.style ? `  ${op.style}` : ''}${
          op.leadHours === null ? '' : `  lead ${op.leadHours} h`
        }${op.unseen > 0 ? `  (${op.unseen} not in the events)` : ''}`,
    ),
    '',
    'per signal (accounts whose assessment carries it):',
    ...r.signals.map(
      (s) =>
        `  ${s.id.padEnd(36)} operators ${String(s.operatorAccounts).padStart(5)} (${pct(s.recall)})   honest ${String(s.honestAccounts).padStart(6)} (${pct(s.falsePositiveRate, 3)})   precision ${pct(s.precision)}`,
    ),
  ];
  if (r.misses.length > 0)
    lines.push('', 'worst misses (operator accounts not flagged):', ...r.misses.map(explained));
  if (r.falseFlags.length > 0)
    lines.push('', 'worst false flags (honest accounts flagged):', ...r.falseFlags.map(explained));
  lines.push(
    '',
    `seconds: ${Object.entries(r.seconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
