/**
 * `precursor demo` (what `npm start` runs): generates a small seeded world, serves the API and the
 * dashboard, serves the world's pages from a loopback scenario web server, and replays the world's
 * traffic time-compressed into the real pipeline while the server runs (docs/demo.md).
 * @module
 */
import type { Command } from 'commander';
import { issueApiKey } from '../../server/api-keys.js';
import { startServer } from '../../server/serve.js';
import type { RouteDef } from '../../server/route.js';
import { demoRoutes } from '../../server/routes/demo-routes.js';
import { openDemo, type DemoRun } from '../../app/demo/demo-session.js';
import type { DemoStatus } from '../../app/demo/live-demo.js';
import { PrecursorError } from '../../domain/index.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, globalFlags, parseIntFlag, untilInterrupted, writeJson } from '../runtime.js';

interface DemoFlags {
  seed: string;
  speed?: string;
  port?: number;
  host?: string;
  data?: string;
  fresh?: boolean;
  serve?: boolean;
  json?: boolean;
}

/** The seed `npm start` shows: both operators prepare early in the week, so the story unfolds within a minute or two. */
export const DEFAULT_DEMO_SEED = '1';
/** One simulated hour per second: the small world's week in under three minutes. */
export const DEFAULT_DEMO_SPEED = 3600;

export const demoCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('demo')
      .description(
        'replay a simulated week of certificates, cloud tenants and payments into the live pipeline and serve the dashboard (what `npm start` runs)',
      )
      .option('--seed <n>', 'world seed', DEFAULT_DEMO_SEED)
      .option(
        '--speed <x>',
        `simulated seconds per second (default ${DEFAULT_DEMO_SPEED}; "max" as fast as possible)`,
      )
      .option(
        '--port <port>',
        'listen port (default from config: 8080; 0 picks a free one)',
        parseIntFlag('--port', 0, 65535),
      )
      .option('--host <host>', 'listen address (default from config: 127.0.0.1)')
      .option('--data <dir>', 'demo data directory (default $PRECURSOR_HOME/demo, i.e. ./.precursor/demo)')
      .option('--fresh', 'start the replay over (default: resume an interrupted one, restart a finished one)')
      .option('--no-serve', 'replay the whole world without a server, print the summary and exit')
      .option('--json', 'with --no-serve: print the summary as JSON');
    cmd.action(action(io, setExit, (opts: DemoFlags) => runDemo(cmd, opts, io)));
  },
} satisfies CliCommand;

function parseSpeed(raw: string | undefined, serve: boolean): number {
  if (raw === undefined) return serve ? DEFAULT_DEMO_SPEED : Number.POSITIVE_INFINITY;
  if (raw === 'max') return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new PrecursorError('VALIDATION_FAILED', `--speed must be a positive number or "max", not '${raw}'`);
  return n;
}

async function runDemo(cmd: Command, opts: DemoFlags, io: CliIo): Promise<number> {
  const started = Date.now();
  const serve = opts.serve !== false;
  const speed = parseSpeed(opts.speed, serve);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(opts.seed))
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `--seed must be 1-64 letters, digits, '-' or '_', not '${opts.seed}'`,
    );
  const say = (s: string) => io.stdout.write(`${s}\n`);
  const quiet = opts.json === true;
  const run: DemoRun = await openDemo({
    seed: opts.seed,
    speed,
    global: globalFlags(cmd),
    ...(opts.data ? { data: opts.data } : {}),
    fresh: opts.fresh === true,
    io,
    say: quiet ? () => {} : say,
  });
  try {
    if (!serve) {
      await untilInterrupted((signal) => run.demo.run(signal, { untilFinished: true }));
      const status = await run.finish();
      if (opts.json) writeJson(io, status);
      else printSummary(say, status);
      return run.demo.finished ? EXIT.OK : EXIT.INTERRUPTED;
    }
    const key = await issueApiKey(run.app.pipeline.store, {
      role: 'admin',
      label: 'demo',
      actor: 'cli:demo',
    });
    const server = await startServer(run.app, {
      ...(opts.host ? { host: opts.host } : {}),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      tenant: run.demo.tenant,
      now: () => new Date(run.demo.now()),
      clockRate: () => run.demo.rate(),
      extraRoutes: demoRoutes(() => run.status()) as unknown as RouteDef<never, never, never>[],
    });
    say('');
    say(`Dashboard:  ${server.url}/#key=${key.key}`);
    say(`API docs:   ${server.url}/docs   (demo summary: GET ${server.url}/v1/demo)`);
    say(`Admin key:  ${key.key}   (shown once; Ctrl-C stops the demo, a re-run resumes it)`);
    say(
      `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s; replaying at ${Number.isFinite(speed) ? `${speed}×` : 'full speed'}.`,
    );
    say('');
    try {
      await untilInterrupted(async (signal) => {
        let reported = false;
        await run.demo.run(signal, {
          onFinished: async () => {
            if (reported) return;
            reported = true;
            printSummary(say, await run.finish());
          },
        });
      });
    } finally {
      await server.close();
    }
    return EXIT.OK;
  } finally {
    await run.close();
  }
}

function printSummary(say: (s: string) => void, s: DemoStatus): void {
  const c = s.score;
  say('');
  say(
    `Demo summary (seed ${s.seed}, simulated ${s.world.start.slice(0, 10)} → ${s.simulatedTime.slice(0, 16)}Z):`,
  );
  say(
    `  operator infrastructure flagged before go-live: ${c.infrastructure.flaggedBeforeGoLive} of ${c.infrastructure.total} (${Math.round(c.infrastructure.share * 100)}%)`,
  );
  for (const o of c.operators)
    say(
      `    ${o.id}: ${o.flaggedBeforeGoLive}/${o.infrastructure.total} before go-live, first flag ${o.firstFlaggedAt ?? 'never'}${o.leadHours !== null ? ` (${o.leadHours} h of lead)` : ''}`,
    );
  say(`  hours of lead (median over operators): ${c.leadHours ?? 'n/a'}`);
  say(
    `  false flags: ${c.falseFlags.names} of ${c.falseFlags.honestNamesSeen} honest names, ${c.falseFlags.accounts} of ${c.falseFlags.honestAccountsSeen} honest accounts`,
  );
  say(
    `  flagged campaigns: ${c.campaigns.flagged} (${c.campaigns.operator} holding operator infrastructure, ${c.campaigns.honestOnly} honest only)`,
  );
  for (const b of c.campaigns.best)
    say(
      `    ${b.operator}: ${b.campaign ? `${b.campaign} "${b.name}" holds ${b.members} of its accounts and names` : 'in no flagged campaign'}`,
    );
  say(
    `  cases opened: ${c.cases.opened} (${c.cases.open} open; ${c.cases.operator} about operator infrastructure, ${c.cases.honestOnly} about honest ones only)`,
  );
  say(`  pages crawled: ${s.crawl.pages} (${s.crawl.live} live, ${s.crawl.retried} re-queued until live)`);
}
