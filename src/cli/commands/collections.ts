/**
 * `precursor collections list|grant|revoke`: which partner reads which TAXII collection, up to which
 * TLP. A partner's keys (`keys create --partner NAME`) see only the collections granted to it.
 * @module
 */
import { Option } from 'commander';
import { grantCollection, listCollections, ungrantCollection } from '../../app/collections-service.js';
import { TLP_LEVELS, type Tlp } from '../../domain/tlp.js';
import { cliActor } from '../cli-actor.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';

export const collectionsCommand = {
  register(program, io, setExit) {
    const cmd = program.command('collections').description('TAXII collections and partner grants');
    const list = cmd
      .command('list')
      .description('list collections with their object counts and grants')
      .option('--json', 'one JSON object per line');
    list.action(
      action(io, setExit, async (opts: { json?: boolean }) =>
        withApp(list, io, async (app) => {
          for (const c of await listCollections(app.pipeline.store)) {
            if (opts.json) {
              writeJson(io, c);
              continue;
            }
            io.stdout.write(
              `${c.alias.padEnd(22)} ${c.id}  ${c.canWrite ? 'read/write' : 'read-only '}  ${c.objects} objects  ${c.title}\n`,
            );
            for (const g of c.grants)
              io.stdout.write(`  grant ${g.partner} up to TLP:${g.tlp.toUpperCase()}\n`);
          }
          return EXIT.OK;
        }),
      ),
    );
    const grant = cmd
      .command('grant')
      .description("let a partner's keys read a collection, up to a TLP level (replaces an existing grant)")
      .argument('<collection>', 'collection alias or id (from collections list)')
      .argument('<partner>', 'partner name, as given to keys create --partner')
      .addOption(
        new Option('--tlp <level>', 'most restricted TLP the partner may read')
          .choices(TLP_LEVELS)
          .default('green'),
      )
      .option('--json', 'print the grant as JSON');
    grant.action(
      action(io, setExit, async (collection: string, partner: string, opts: { tlp: Tlp; json?: boolean }) =>
        withApp(grant, io, async (app) => {
          const g = await grantCollection(app.pipeline.store, {
            collection,
            partner,
            tlp: opts.tlp,
            actor: cliActor(),
          });
          if (opts.json) writeJson(io, g);
          else io.stdout.write(`granted ${collection} to ${partner} up to TLP:${g.tlp.toUpperCase()}\n`);
          return EXIT.OK;
        }),
      ),
    );
    const revoke = cmd
      .command('revoke')
      .description("withdraw a partner's grant on a collection")
      .argument('<collection>', 'collection alias or id')
      .argument('<partner>', 'partner name');
    revoke.action(
      action(io, setExit, async (collection: string, partner: string) =>
        withApp(revoke, io, async (app) => {
          await ungrantCollection(app.pipeline.store, { collection, partner, actor: cliActor() });
          io.stdout.write(`revoked ${partner}'s grant on ${collection}\n`);
          return EXIT.OK;
        }),
      ),
    );
  },
} satisfies CliCommand;
