/**
 * `precursor keys create|list|revoke`: API keys with roles; a new key is printed once.
 * @module
 */
import { Option } from 'commander';
import { PrecursorError } from '../../domain/index.js';
import { createApiKey, ROLES } from '../../server/api-keys.js';
import type { ApiRole } from '../../store/store.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';
import { userInfo } from 'node:os';

const actor = () => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

export const keysCommand = {
  register(program, io, setExit) {
    const keys = program.command('keys').description('manage API keys');
    const create = keys
      .command('create')
      .description('create a key and print it once (only its hash is stored)')
      .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory())
      .option('--label <label>', 'who or what uses it', 'cli')
      .option('--json', 'print {id, key, role, label} as JSON');
    create.action(
      action(io, setExit, async (opts: { role: ApiRole; label: string; json?: boolean }) =>
        withApp(create, io, async (app) => {
          const k = await createApiKey(app.pipeline.store, opts.role, opts.label);
          await app.pipeline.store.appendAudit({
            at: new Date().toISOString(),
            actor: actor(),
            action: 'key.create',
            subject: `key:${k.id}`,
            detail: { role: k.role, label: k.label },
          });
          if (opts.json) writeJson(io, k);
          else io.stdout.write(`${k.key}\n`);
          if (!opts.json && io.stderr.isTTY)
            io.stderr.write(`key ${k.id} (${k.role}) created; it will not be shown again\n`);
          return EXIT.OK;
        }),
      ),
    );
    const list = keys
      .command('list')
      .description('list keys (never the secrets)')
      .option('--json', 'one JSON object per line');
    list.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(
          list,
          io,
          async (app) => {
            for (const { hash: _h, ...k } of await app.pipeline.store.apiKeys()) {
              if (opts.json) writeJson(io, k);
              else
                io.stdout.write(
                  `${k.id}  ${k.role.padEnd(8)} ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.label}\n`,
                );
            }
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
    const revoke = keys
      .command('revoke')
      .description('revoke a key by id')
      .argument('<id>', 'key id (from keys list)');
    revoke.action(
      action(io, setExit, async (id: string) =>
        withApp(revoke, io, async (app) => {
          const at = new Date().toISOString();
          if (!(await app.pipeline.store.revokeApiKey(id, at)))
            throw new PrecursorError('NOT_FOUND', `no active key ${id}`);
          await app.pipeline.store.appendAudit({
            at,
            actor: actor(),
            action: 'key.revoke',
            subject: `key:${id}`,
            detail: {},
          });
          io.stdout.write(`revoked ${id}\n`);
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
