import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { entitiesCommand } from './entities.js';
import { ingestCommand } from './ingest.js';
import { ingestEventsCommand } from './ingest-events.js';
import { simulateCommand } from './simulate.js';

async function cli(args: string[], cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  let code: number = EXIT.OK;
  const io = { stdout, stderr, stdin: new PassThrough(), env: { PRECURSOR_LOG_LEVEL: 'silent' }, cwd };
  const program = new Command('precursor')
    .option('--config <file>')
    .option('--home <dir>')
    .option('--database-url <url>')
    .exitOverride();
  for (const c of [ingestCommand, ingestEventsCommand, simulateCommand, entitiesCommand] as CliCommand[])
    c.register(program, io, (n) => (code = n));
  await program.parseAsync(args, { from: 'user' });
  return { code, out, err };
}

describe('precursor simulate tenants / ingest events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-tenant-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('simulates deterministically, ingests with dead letters, and lists flagged accounts', async () => {
    const a = await cli(['simulate', 'tenants', '--seed', '7', '--accounts', '400', '--out', 'sim-a'], dir);
    const b = await cli(['simulate', 'tenants', '--seed', '7', '--accounts', '400', '--out', 'sim-b'], dir);
    assert.equal(a.code, EXIT.OK, a.err);
    assert.equal(b.code, EXIT.OK, b.err);
    const events = readFileSync(join(dir, 'sim-a', 'events.jsonl'), 'utf8');
    assert.equal(events, readFileSync(join(dir, 'sim-b', 'events.jsonl'), 'utf8'), 'same seed, same bytes');
    assert.ok(existsSync(join(dir, 'sim-a', 'truth.json')));
    const truth = JSON.parse(readFileSync(join(dir, 'sim-a', 'truth.json'), 'utf8')) as {
      operators: Array<{ accounts: string[] }>;
      malformed: number;
    };

    const home = join(dir, 'home');
    const r = await cli(
      ['--home', home, 'ingest', 'events', join(dir, 'sim-a', 'events.jsonl'), '--json'],
      dir,
    );
    assert.equal(r.code, truth.malformed > 0 ? EXIT.PARTIAL : EXIT.OK, r.err);
    const summary = JSON.parse(r.out) as { files: Array<{ rejected: number }>; tenant: { events: number } };
    assert.equal(summary.files[0]?.rejected, truth.malformed);
    assert.ok(summary.tenant.events > 1000);

    const flagged = await cli(['--home', home, 'entities', '--type', 'account', '--flagged', '--json'], dir);
    assert.equal(flagged.code, EXIT.OK, flagged.err);
    const operatorAccounts = new Set(truth.operators.flatMap((o) => o.accounts));
    const keys = flagged.out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        const v = JSON.parse(l) as unknown;
        const items = Array.isArray(v) ? v : ((v as { items?: unknown[] }).items ?? [v]);
        return items.map(
          (i) =>
            (i as { entity?: { key: string }; key?: string }).entity?.key ??
            (i as { key?: string }).key ??
            '',
        );
      });
    assert.ok(
      keys.some((k) => operatorAccounts.has(k)),
      `some operator account is flagged: ${keys.slice(0, 5).join(', ')}`,
    );
  });
});
