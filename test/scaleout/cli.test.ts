/** The scale-out commands' edges: the mode they need, unknown options, `status` in the embedded mode. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPrecursor } from '../support/cli-process.js';
import { dropPostgresSchema } from '../../src/store/postgres/postgres-store.js';
import { PG_URL, postgresFactory } from '../support/stores.js';

describe('precursor worker / status', async () => {
  const pgSkip = await postgresFactory.skip();
  const home = mkdtempSync(join(tmpdir(), 'precursor-so-cli-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const env = { PRECURSOR_HOME: home };

  it('worker without the scale-out mode is a configuration error', async () => {
    const r = await runPrecursor(['worker'], env);
    assert.equal(r.code, 2);
    assert.match(r.err, /CONFIG_INVALID: .*PRECURSOR_STREAM_URL/);
  });

  it('a stream URL without a PostgreSQL store is a configuration error', async () => {
    const r = await runPrecursor(['status'], { ...env, PRECURSOR_STREAM_URL: 'nats://127.0.0.1:4222' });
    assert.equal(r.code, 2);
    assert.match(r.err, /CONFIG_INVALID: .*needs a PostgreSQL store/);
  });

  it('detect in the scale-out mode is left to the workers', { skip: pgSkip }, async () => {
    const r = await runPrecursor(['detect'], {
      ...env,
      PRECURSOR_STREAM_URL: 'nats://127.0.0.1:4222',
      PRECURSOR_DATABASE_URL: PG_URL,
      PRECURSOR_DATABASE_SCHEMA: 'so_cli_detect',
    });
    assert.equal(r.code, 2, r.err);
    await dropPostgresSchema(PG_URL, 'so_cli_detect');
    assert.match(r.err, /VALIDATION_FAILED: .*workers run detect/);
  });

  it('unknown options are usage errors', async () => {
    assert.equal((await runPrecursor(['worker', '--bogus'], env)).code, 2);
    assert.equal((await runPrecursor(['status', '--bogus'], env)).code, 2);
  });

  it('status reports the embedded mode: stored, pending per stage', async () => {
    const ingest = await runPrecursor(
      ['ingest', 'list', '-', '--json'],
      env,
      'paypa1-login.com\nexample.org\n',
    );
    assert.equal(ingest.code, 0, ingest.err);
    const r = await runPrecursor(['status', '--json'], env);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.mode, 'embedded');
    assert.equal(s.observations, 2);
    assert.equal(s.pending, 0);
    assert.equal(s.stream, null);
    assert.deepEqual(
      s.stages.map((x: { stage: string }) => x.stage),
      ['tenant', 'detect', 'correlate', 'crawl'],
    );
    assert.equal(s.sources[0].stored, 2);
    assert.equal(s.sources[0].published, null);
  });
});
