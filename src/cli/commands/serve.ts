/**
 * `precursor serve`: the HTTP API, metrics, docs and dashboard.
 * @module
 */
import { startServer, untilSignal } from '../../server/serve.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp } from '../runtime.js';

export const serveCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('serve')
      .description('serve the API (every route but health needs a key), /metrics, /docs and the dashboard')
      .option('--host <host>', 'listen address (default from config: 127.0.0.1)')
      .option('--port <port>', 'listen port (default from config: 8080)', parseIntFlag('--port', 0, 65535));
    cmd.action(
      action(io, setExit, async (opts: { host?: string; port?: number }) =>
        withApp(cmd, io, async (app) => {
          // Requests wait for incremental correlation only; full reclusters run beside them.
          app.pipeline.fullInBackground();
          const server = await startServer(app, {
            ...(opts.host ? { host: opts.host } : {}),
            ...(opts.port !== undefined ? { port: opts.port } : {}),
          });
          io.stdout.write(`Precursor listening on ${server.url} (docs: ${server.url}/docs)\n`);
          await untilSignal();
          await server.close();
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
