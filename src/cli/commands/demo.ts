/**
 * `precursor demo` (what `npm start` runs): loads the demo scenario into the embedded store, scores
 * it, creates an admin key and serves the dashboard. Re-running is safe: ingestion is idempotent.
 * @module
 */
import { packagePath } from '../../app/package-info.js';
import { createListSource } from '../../ingest/sources/list/list-source.js';
import { createApiKey } from '../../server/api-keys.js';
import { startServer, untilSignal } from '../../server/serve.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp } from '../runtime.js';

export const demoCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('demo')
      .description('load the demo scenario, score it and serve the dashboard (what `npm start` runs)')
      .option('--port <port>', 'listen port (default from config: 8080)', parseIntFlag('--port', 0))
      .option('--no-serve', 'load and score only, then exit');
    cmd.action(
      action(io, setExit, async (opts: { port?: number; serve?: boolean }) =>
        withApp(cmd, io, async (app) => {
          const say = (s: string) => io.stdout.write(`${s}\n`);
          say(
            `Precursor demo — store: ${app.pipeline.store.capabilities.dialect} (${app.config.database.url ? 'PostgreSQL' : `${app.config.home}/precursor.db`})`,
          );
          const names = createListSource({
            path: packagePath('data', 'demo', 'names.txt'),
            sourceId: 'demo:names',
            observedAt: '2026-11-01T09:00:00.000Z',
          });
          const { ingest, detect } = await app.pipeline.ingest(names, { ignoreCheckpoint: true });
          say(
            `names: ${ingest.records} lines, ${ingest.inserted} new, ${ingest.duplicates} already known, ${ingest.rejected} dead-lettered`,
          );
          const stats = await app.pipeline.store.stats();
          say(
            `store: ${stats.observations} observations, ${stats.entities} entities, ${stats.flagged} flagged, ${stats.deadLetters} dead letters${detect ? '' : ''}`,
          );
          const top = await app.pipeline.store.entities({ flagged: true, order: 'score', limit: 8 });
          for (const t of top)
            say(
              `  ${String(t.assessment?.score ?? '').padStart(5)}  ${t.entity.display}  — ${t.assessment?.contributions[0]?.detail ?? ''}`,
            );
          if (opts.serve === false) return EXIT.OK;
          const key = await createApiKey(app.pipeline.store, 'admin', 'demo');
          await app.pipeline.store.appendAudit({
            at: new Date().toISOString(),
            actor: 'cli:demo',
            action: 'key.create',
            subject: `key:${key.id}`,
            detail: { role: 'admin', label: 'demo' },
          });
          const server = await startServer(app, opts.port !== undefined ? { port: opts.port } : {});
          say('');
          say(`Dashboard:  ${server.url}/#key=${key.key}`);
          say(`API docs:   ${server.url}/docs`);
          say(`Admin key:  ${key.key}   (shown once; Ctrl-C stops the server)`);
          await untilSignal();
          await server.close();
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
