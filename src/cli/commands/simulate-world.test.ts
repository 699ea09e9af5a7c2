import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { EXIT } from '../exit-codes.js';

describe('precursor simulate world', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-world-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a small world that ingest events and ingest certstream accept line for line', async () => {
    const out = join(dir, 'w');
    const r = await cli(['simulate', 'world', '--seed', '5', '--scale', 'small', '--out', out, '--json']);
    assert.equal(r.code, EXIT.OK, r.err);
    const s = JSON.parse(r.out) as { counts: Record<string, number>; files: Record<string, string> };
    assert.equal(s.files.truth, join(out, 'truth.json'));
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as {
      counts: Record<string, number>;
    };
    assert.deepEqual(truth.counts, s.counts);

    const home = join(dir, 'home');
    const ev = await cli(['--home', home, 'ingest', 'events', join(out, 'tenant-events.jsonl'), '--json']);
    assert.equal(ev.code, EXIT.OK, ev.err);
    const e = JSON.parse(ev.out) as {
      files: { records: number; inserted: number; duplicates: number; rejected: number }[];
    };
    assert.equal(e.files[0]?.rejected, 0);
    assert.equal(e.files[0]?.records, s.counts.tenantEvents);
    assert.equal(e.files[0]?.duplicates, s.counts.duplicateEvents, 'only the re-deliveries are duplicates');

    const cs = await cli(['--home', home, 'ingest', 'certstream', join(out, 'certstream.jsonl'), '--json']);
    assert.equal(cs.code, EXIT.OK, cs.err);
    const c = JSON.parse(cs.out) as { records: number; inserted: number; rejected: number };
    assert.equal(c.rejected, 0);
    assert.equal(c.records, s.counts.certstreamMessages);
    assert.equal(c.inserted, s.counts.certstreamMessages);

    const dead = await cli(['--home', home, 'dead-letters', '--json']);
    assert.equal(dead.code, EXIT.OK, dead.err);
    assert.equal(dead.out.trim(), '', 'nothing dead-lettered');
  });

  it('rejects a bad scale and a bad start as usage errors', async () => {
    const a = await cli(['simulate', 'world', '--seed', '1', '--out', join(dir, 'x'), '--scale', 'huge']);
    assert.equal(a.code, EXIT.USAGE);
    const b = await cli([
      'simulate',
      'world',
      '--seed',
      '1',
      '--out',
      join(dir, 'x'),
      '--start',
      'yesterday',
    ]);
    assert.equal(b.code, EXIT.USAGE);
  });
});
