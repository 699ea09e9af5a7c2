/**
 * `precursor report campaign ID [--out DIR]`: the evidence package and abuse reports of a campaign
 * (src/app/campaign-report.ts), written to a directory.
 * @module
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Option } from 'commander';
import { buildCampaignReport } from '../../app/campaign-report.js';
import { evidenceDir } from '../../app/detectors.js';
import { TLP_LEVELS, type Tlp } from '../../domain/tlp.js';
import { EvidenceStore } from '../../ingest/crawl/evidence-store.js';
import { cliActor } from '../cli-actor.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';

export const reportCommand = {
  register(program, io, setExit) {
    const cmd = program.command('report').description('evidence packages and abuse reports');
    const campaign = cmd
      .command('campaign')
      .description(
        'write a campaign report: report.html (self-contained), report.json, screenshots/, abuse/ (e-mail bodies and XARF per registrar and host)',
      )
      .argument('<id>', 'campaign id (C-…)')
      .option('--out <dir>', 'directory to write (default ./report-<id>)')
      .addOption(new Option('--tlp <level>', 'marking of the report').choices(TLP_LEVELS).default('amber'))
      .option('--personal-data', 'keep e-mail addresses in signal details (only with --tlp red)')
      .option('--json', 'print {dir, files, sites, abuseReports} as JSON');
    campaign.action(
      action(
        io,
        setExit,
        async (id: string, opts: { out?: string; tlp: Tlp; personalData?: boolean; json?: boolean }) =>
          withApp(campaign, io, async (app) => {
            const result = await buildCampaignReport(
              app.pipeline.store,
              app.config,
              new EvidenceStore(evidenceDir(app.config)),
              {
                campaignId: id,
                tlp: opts.tlp,
                ...(opts.personalData ? { includePersonalData: true } : {}),
                actor: cliActor(),
              },
            );
            const dir = resolve(io.cwd, opts.out ?? `report-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`);
            const paths: string[] = [];
            for (const f of result.files) {
              const path = join(dir, f.name);
              mkdirSync(dirname(path), { recursive: true });
              writeFileSync(`${path}.tmp`, f.content);
              renameSync(`${path}.tmp`, path);
              paths.push(path);
            }
            if (opts.json)
              writeJson(io, { dir, files: paths, sites: result.sites, abuseReports: result.abuseReports });
            else
              io.stdout.write(
                `${join(dir, 'report.html')}\n${result.sites} sites, ${result.abuseReports} abuse reports, ${paths.length} files in ${dir}\n`,
              );
            return EXIT.OK;
          }),
      ),
    );
  },
} satisfies CliCommand;
