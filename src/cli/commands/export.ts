/**
 * `precursor export stix|misp|rpz|hosts|adblock|plain|csv|suricata`: published intel in the formats
 * defenders run, each export an audited action. Files are written whole (a temporary file renamed
 * into place), so a resolver or IDS reloading a zone or rule file never reads half of one.
 * @module
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Option } from 'commander';
import { type ExportFormat, type ExportResult, runExport } from '../../app/export-service.js';
import { PrecursorError } from '../../domain/index.js';
import { TLP_LEVELS, type Tlp } from '../../domain/tlp.js';
import { cliActor } from '../cli-actor.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';

interface ExportOpts {
  tlp: Tlp;
  since?: string;
  out?: string;
  personalData?: boolean;
  json?: boolean;
}

const FORMATS: readonly { format: ExportFormat; what: string; out: 'file' | 'dir' }[] = [
  { format: 'stix', what: 'one STIX 2.1 bundle (stdout unless --out)', out: 'file' },
  {
    format: 'misp',
    what: 'a MISP feed directory (manifest.json, one JSON per event, hashes.csv)',
    out: 'dir',
  },
  {
    format: 'rpz',
    what: 'a DNS response-policy zone (name CNAME . and wildcard; serial moves with content)',
    out: 'file',
  },
  { format: 'hosts', what: 'a hosts file (0.0.0.0 name)', out: 'file' },
  { format: 'adblock', what: 'an Adblock Plus list (||name^)', out: 'file' },
  { format: 'plain', what: 'one domain per line', out: 'file' },
  {
    format: 'csv',
    what: 'CSV: kind, value, validity, confidence, score, campaign, TLP, version, reasons',
    out: 'file',
  },
  {
    format: 'suricata',
    what: 'Suricata DNS and TLS SNI rules (with a dataset file beside --out for large lists)',
    out: 'file',
  },
];

function writeAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function writeResult(
  io: CliIo,
  result: ExportResult,
  out: string | undefined,
  kind: 'file' | 'dir',
): string[] {
  if (kind === 'dir') {
    if (!out)
      throw new PrecursorError(
        'VALIDATION_FAILED',
        `export ${result.format} writes a directory: give --out DIR`,
      );
    const dir = resolve(io.cwd, out);
    mkdirSync(dir, { recursive: true });
    return result.files.map((f) => {
      const path = join(dir, f.name);
      writeAtomically(path, f.content);
      return path;
    });
  }
  const [main, ...extra] = result.files;
  if (!main) return [];
  if (!out) {
    if (extra.length > 0)
      throw new PrecursorError(
        'VALIDATION_FAILED',
        `this export has ${extra.length + 1} files (${result.files.map((f) => f.name).join(', ')}): give --out FILE`,
      );
    io.stdout.write(main.content);
    return [];
  }
  const path = resolve(io.cwd, out);
  writeAtomically(path, main.content);
  const paths = [path];
  for (const f of extra) {
    const p = join(dirname(path), f.name);
    writeAtomically(p, f.content);
    paths.push(p);
  }
  return paths;
}

export const exportCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('export')
      .description(
        'export published intel (confirmed by review) in a sharing format; every export is audited',
      );
    for (const f of FORMATS) {
      const sub = cmd
        .command(f.format)
        .description(f.what)
        .addOption(
          new Option('--tlp <level>', 'the most restricted TLP the audience may receive')
            .choices(TLP_LEVELS)
            .default('green'),
        )
        .option(
          f.out === 'dir' ? '--out <dir>' : '--out <file>',
          f.out === 'dir' ? 'directory to write (required)' : 'file to write (default stdout)',
        )
        .option('--personal-data', 'include e-mail addresses and payment fingerprints (only with --tlp red)')
        .option('--json', 'print a summary {format, files, counts, rejected} as JSON on stdout (with --out)');
      if (f.format === 'stix' || f.format === 'misp')
        sub.option('--since <time>', 'only versions modified at or after this time (ISO 8601)');
      sub.action(
        action(io, setExit, async (opts: ExportOpts) =>
          withApp(sub, io, async (app) => {
            if (opts.json && !opts.out)
              throw new PrecursorError(
                'VALIDATION_FAILED',
                '--json prints a summary: give --out for the export itself',
              );
            const result = await runExport(app.pipeline.store, app.config, {
              format: f.format,
              tlp: opts.tlp,
              ...(opts.since ? { since: opts.since } : {}),
              ...(opts.personalData ? { includePersonalData: true } : {}),
              actor: cliActor(),
            });
            const paths = writeResult(io, result, opts.out, f.out);
            for (const r of result.rejected)
              io.stderr.write(`precursor: notice: left out ${r.ref}: ${r.reason}\n`);
            const summary = {
              format: result.format,
              files: paths,
              counts: result.counts,
              rejected: result.rejected,
            };
            if (opts.json) writeJson(io, summary);
            else if (opts.out)
              io.stderr.write(
                `exported ${result.counts.indicators} indicators (TLP:${opts.tlp.toUpperCase()}) to ${paths.join(', ')}\n`,
              );
            return result.rejected.length > 0 ? EXIT.PARTIAL : EXIT.OK;
          }),
        ),
      );
    }
  },
} satisfies CliCommand;
