import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { EXIT } from '../exit-codes.js';

describe('precursor simulate tenants / ingest events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-tenant-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('simulates deterministically, ingests with dead letters, and lists flagged accounts', async () => {
    const a = await cli([
      'simulate',
      'tenants',
      '--seed',
      '7',
      '--accounts',
      '400',
      '--out',
      join(dir, 'sim-a'),
    ]);
    const b = await cli([
      'simulate',
      'tenants',
      '--seed',
      '7',
      '--accounts',
      '400',
      '--out',
      join(dir, 'sim-b'),
    ]);
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
    const r = await cli(['--home', home, 'ingest', 'events', join(dir, 'sim-a', 'events.jsonl'), '--json']);
    assert.equal(r.code, truth.malformed > 0 ? EXIT.PARTIAL : EXIT.OK, r.err);
    const summary = JSON.parse(r.out) as { files: Array<{ rejected: number }>; tenant: { events: number } };
    assert.equal(summary.files[0]?.rejected, truth.malformed);
    assert.ok(summary.tenant.events > 1000);

    const flagged = await cli(['--home', home, 'entities', '--type', 'account', '--flagged', '--json']);
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
