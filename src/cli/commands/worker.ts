/**
 * `precursor worker`: one scale-out worker (docs/scale-out.md) until SIGINT/SIGTERM, which drain the
 * batch in hand and the running stage pass before exit 0.
 * @module
 */
import { startWorker } from '../../app/scale-out/worker.js';
import { startWorkerHttp } from '../../app/scale-out/worker-http.js';
import { PrecursorError } from '../../domain/index.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp } from '../runtime.js';

export const workerCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('worker')
      .description(
        'consume the work stream and run the stages (scale-out mode: PRECURSOR_STREAM_URL and a PostgreSQL store) until SIGINT/SIGTERM',
      )
      .option('--host <host>', 'listen address of /metrics and /healthz (default 127.0.0.1)')
      .option(
        '--port <port>',
        'serve /metrics and /healthz on this port (0: any free port; default: no endpoint)',
        parseIntFlag('--port', 0, 65535),
      );
    cmd.action(
      action(io, setExit, async (opts: { host?: string; port?: number }) =>
        withApp(cmd, io, async (app) => {
          if (!app.stream)
            throw new PrecursorError(
              'CONFIG_INVALID',
              'precursor worker needs the scale-out mode: set PRECURSOR_STREAM_URL (stream.url) to nats://… and PRECURSOR_DATABASE_URL to postgres://…',
            );
          const ac = new AbortController();
          let stopping = '';
          const stop = (signal: NodeJS.Signals) => {
            if (stopping) return;
            stopping = signal;
            io.stdout.write(
              `precursor: ${signal}: draining (the batch in hand is stored and acknowledged)\n`,
            );
            ac.abort();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          try {
            const worker = await startWorker(app, app.stream, {
              signal: ac.signal,
              say: (s) => io.stdout.write(`${s}\n`),
            });
            const http =
              opts.port === undefined
                ? undefined
                : await startWorkerHttp(worker, opts.host ?? '127.0.0.1', opts.port);
            io.stdout.write(
              `precursor worker: stream ${app.stream.prefix} (${app.stream.partitions} partitions, batch ${app.stream.batch})${http ? `; metrics on ${http.url}/metrics` : ''}\n`,
            );
            await worker.done;
            await http?.close();
            io.stdout.write('precursor: worker stopped\n');
            return EXIT.OK;
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        }),
      ),
    );
  },
} satisfies CliCommand;
