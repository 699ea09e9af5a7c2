/** `precursor ingest transactions`, in-process: summary, wallet entities, dead letters, exit codes. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { EXIT } from '../exit-codes.js';

const home = mkdtempSync(join(tmpdir(), 'precursor-cli-tx-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('precursor ingest transactions', () => {
  it('ingests a CSV export, keeps bad rows as dead letters and exits PARTIAL', async () => {
    const file = join(home, 'tx.csv');
    writeFileSync(
      file,
      [
        'chain,tx_hash,time,asset,from,to,fee',
        `tron,${'b'.repeat(64)},2026-11-02T10:18:00Z,USDT,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t:5,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed:5,`,
        `ethereum,0x${'c'.repeat(64)},2026-11-02T10:17:00Z,ETH,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed:1,0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359:1,`,
      ].join('\n'),
    );
    const r = await cli(['--home', home, 'ingest', 'transactions', file, '--json']);
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const summary = JSON.parse(r.out) as { inserted: number; rejected: number };
    assert.equal(summary.inserted, 1);
    assert.equal(summary.rejected, 1);
    const e = await cli(['--home', home, 'entities', '--type', 'wallet', '--json']);
    const keys = e.out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { key: string }).key)
      .sort();
    assert.deepEqual(keys, [
      'wallet:ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      'wallet:ethereum:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359',
    ]);
    const dl = await cli(['--home', home, 'dead-letters', '--json']);
    assert.match(dl.out, /to\[0\]\.address/);
    const again = await cli(['--home', home, 'ingest', 'transactions', file, '--from-start', '--json']);
    assert.equal((JSON.parse(again.out) as { duplicates: number }).duplicates, 1, 'a re-run is a no-op');
  });

  it('rejects an unknown format', async () => {
    const r = await cli(['--home', home, 'ingest', 'transactions', 'x.jsonl', '--format', 'xml']);
    assert.equal(r.code, EXIT.USAGE);
  });
});
