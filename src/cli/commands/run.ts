/**
 * `precursor run`: the production entry of the embedded mode — the server plus the configured feeds,
 * queues and stages in one long-running process (docs/run.md). `precursor serve` stays API-only.
 * @module
 */
import { startRunProcess } from '../../app/run/run-process.js';
import { untilSignal } from '../../server/serve.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp } from '../runtime.js';

export const runCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('run')
      .description(
        'run the server with the configured feeds, crawl and enrichment queues and stages until SIGINT/SIGTERM (config section run:)',
      )
      .option('--host <host>', 'listen address (default from config: 127.0.0.1)')
      .option('--port <port>', 'listen port (default from config: 8080)', parseIntFlag('--port', 0, 65535));
    cmd.action(
      action(io, setExit, async (opts: { host?: string; port?: number }) =>
        withApp(cmd, io, async (app) => {
          // Requests wait for incremental correlation only; full reclusters run beside them.
          app.pipeline.fullInBackground();
          const handle = await startRunProcess(app, {
            cwd: io.cwd,
            ...(opts.host ? { host: opts.host } : {}),
            ...(opts.port !== undefined ? { port: opts.port } : {}),
            say: (s) => io.stdout.write(`${s}\n`),
          });
          const signal = await untilSignal();
          io.stdout.write(
            `precursor: ${signal}: stopping (feeds commit what they read; a restart resumes)\n`,
          );
          await handle.stop();
          io.stdout.write('precursor: stopped\n');
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
