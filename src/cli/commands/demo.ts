/**
 * `precursor demo` (what `npm start` runs): loads the demo scenario into the embedded store, scores
 * it, creates an admin key and serves the dashboard. Re-running is safe: ingestion is idempotent.
 * @module
 */
import { loadDemoScenario } from './demo-scenario.js';

import { issueApiKey } from '../../server/api-keys.js';
import { startServer, untilSignal } from '../../server/serve.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp } from '../runtime.js';

export const demoCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('demo')
      .description('load the demo scenario, score it and serve the dashboard (what `npm start` runs)')
      .option('--port <port>', 'listen port (default from config: 8080)', parseIntFlag('--port', 0, 65535))
      .option('--no-serve', 'load and score only, then exit');
    cmd.action(
      action(io, setExit, async (opts: { port?: number; serve?: boolean }) =>
        withApp(cmd, io, async (app) => {
          const say = (s: string) => io.stdout.write(`${s}\n`);
          say(
            `Precursor demo — store: ${app.pipeline.store.capabilities.dialect} (${app.config.database.url ? 'PostgreSQL' : `${app.config.home}/precursor.db`})`,
          );
          const d = await loadDemoScenario(app);
          say(
            `names:    ${d.names.lines} lines, ${d.names.inserted} new, ${d.names.rejected} dead-lettered (see: precursor dead-letters)`,
          );
          say(
            `tenants:  ${d.tenants.events} cloud events, ${d.tenants.rejected} malformed, ${d.tenants.accountsFlagged} accounts flagged (${d.tenants.operators} simulated operators)`,
          );
          say(`pages:    ${d.pages.crawled} lab pages crawled, ${d.pages.flagged} snapshots flagged`);
          const stats = await app.pipeline.store.stats();
          say(
            `store:    ${stats.observations} observations, ${stats.entities} entities, ${stats.links} links, ${stats.flagged} flagged`,
          );
          const top = await app.pipeline.store.entities.list({ flagged: true, order: 'score', limit: 8 });
          for (const t of top)
            say(
              `  ${String(t.assessment?.score ?? '').padStart(5)}  ${t.entity.display.slice(0, 60)}  — ${t.assessment?.contributions[0]?.detail ?? ''}`,
            );
          if (opts.serve === false) return EXIT.OK;
          const key = await issueApiKey(app.pipeline.store, {
            role: 'admin',
            label: 'demo',
            actor: 'cli:demo',
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
