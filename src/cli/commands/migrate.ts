/**
 * `precursor migrate`: apply pending schema migrations (every command also does this on start).
 * @module
 */
import { loadConfig } from '../../config/load-config.js';
import { openStore } from '../../store/open-store.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, globalFlags, writeJson } from '../runtime.js';

export const migrateCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('migrate')
      .description('apply pending schema migrations to the configured store')
      .option('--json', 'print the result as JSON');
    cmd.action(
      action(io, setExit, async (opts: { json?: boolean }) => {
        const g = globalFlags(cmd);
        const env = {
          ...io.env,
          ...(g.home ? { PRECURSOR_HOME: g.home } : {}),
          ...(g.databaseUrl ? { PRECURSOR_DATABASE_URL: g.databaseUrl } : {}),
        };
        const config = loadConfig({ file: g.config, env, cwd: io.cwd });
        const store = await openStore({
          home: config.home,
          databaseUrl: config.database.url,
          schema: config.database.schema,
          migrate: false,
        });
        try {
          const applied = await store.migrate();
          if (opts.json) writeJson(io, { store: store.capabilities.dialect, applied });
          else
            io.stdout.write(
              applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n',
            );
          return EXIT.OK;
        } finally {
          await store.close();
        }
      }),
    );
  },
} satisfies CliCommand;
