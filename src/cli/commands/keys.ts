/**
 * `precursor keys create|list|revoke`: API keys with roles; a new key is printed once.
 * @module
 */
import { Option } from 'commander';
import { issueApiKey, ROLES, revokeApiKey } from '../../server/api-keys.js';
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
      .option(
        '--partner <name>',
        'the partner organisation the key reads for: it sees only the TAXII collections granted to it (`precursor collections grant`)',
      )
      .option('--json', 'print {id, key, role, label} as JSON');
    create.action(
      action(io, setExit, async (opts: { role: ApiRole; label: string; partner?: string; json?: boolean }) =>
        withApp(create, io, async (app) => {
          const k = await issueApiKey(app.pipeline.store, {
            role: opts.role,
            label: opts.label,
            actor: actor(),
            partner: opts.partner ?? null,
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
            for (const { hash: _h, ...k } of await app.pipeline.store.keys.list()) {
              if (opts.json) writeJson(io, k);
              else
                io.stdout.write(
                  `${k.id}  ${k.role.padEnd(8)} ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.label}${k.partner ? `  partner ${k.partner}` : ''}\n`,
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
          await revokeApiKey(app.pipeline.store, id, actor());
          io.stdout.write(`revoked ${id}\n`);
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
