/**
 * Commands that only read work on a store they may not write: they never migrate, create or write
 * (a SELECT-only PostgreSQL role, a SQLite file left byte for byte as it was), and a store whose
 * schema is behind says "run precursor migrate" instead of being migrated by a read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { EXIT } from '../../src/cli/exit-codes.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { cli } from '../support/cli.js';
import { PG_URL, postgresFactory, sqliteFactory, type TestStore } from '../support/stores.js';

const READS: string[][] = [
  ['entities', '--json'],
  ['entity', 'read-only-one.example.com', '--json'],
  ['dead-letters', '--json'],
  ['keys', 'list', '--json'],
];

async function seed(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-ro-'));
  const file = join(dir, 'names.txt');
  writeFileSync(file, 'read-only-one.example.com\nnot a name!\n');
  const r = await cli(['ingest', 'list', file], env);
  assert.equal(r.code, EXIT.PARTIAL, r.err);
  assert.equal((await cli(['keys', 'create', '--role', 'reader'], env)).code, EXIT.OK);
}

describe('read-only commands on SQLite', () => {
  it('leave the store file untouched', async () => {
    const t = await sqliteFactory.open();
    try {
      await seed(t.env);
      await t.store.close();
      const db = join(t.env.PRECURSOR_HOME as string, 'precursor.db');
      const before = [readFileSync(db), statSync(db).mtimeMs];
      for (const args of READS) {
        const r = await cli(args, t.env);
        assert.equal(r.code, EXIT.OK, `${args.join(' ')}: ${r.err}`);
        assert.ok(r.out.length > 0, args.join(' '));
      }
      assert.ok(readFileSync(db).equals(before[0] as Buffer), 'the same bytes');
      assert.equal(statSync(db).mtimeMs, before[1]);
    } finally {
      await t.cleanup();
    }
  });

  it('do not migrate a store whose schema is behind: they say to run `precursor migrate`', async () => {
    const t = await sqliteFactory.open({ migrate: false });
    try {
      const store = t.store as KyselyStore;
      await store.migrate({ to: '0004-narrow-observations' });
      const pending = await store.pendingMigrations();
      assert.ok(pending.length > 0);
      for (const args of READS) {
        const r = await cli(args, t.env);
        assert.equal(r.code, EXIT.FAILURE, args.join(' '));
        assert.match(r.err, /^precursor: MIGRATION_FAILED: .*pending: .*run `precursor migrate`/m);
      }
      assert.deepEqual(await store.pendingMigrations(), pending, 'nothing was migrated');
      assert.equal((await cli(['migrate'], t.env)).code, EXIT.OK);
      assert.equal((await cli(['entities'], t.env)).code, EXIT.OK);
    } finally {
      await t.cleanup();
    }
  });

  it('say there is no store yet instead of creating one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'precursor-ro-empty-'));
    const r = await cli(['entities'], { PRECURSOR_HOME: home });
    assert.equal(r.code, EXIT.UNAVAILABLE);
    assert.match(r.err, /^precursor: STORE_UNAVAILABLE: there is no store at .*precursor\.db yet/m);
  });
});

describe('read-only commands on PostgreSQL with a SELECT-only role', async () => {
  const skip = await postgresFactory.skip();
  let t: TestStore;
  const role = `precursor_ro_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  before(async () => {
    if (skip) return;
    t = await postgresFactory.open();
    await seed(t.env);
    await admin.connect();
    const schema = t.env.PRECURSOR_DATABASE_SCHEMA as string;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT CONNECT ON DATABASE ${new URL(PG_URL).pathname.slice(1)} TO ${role}`);
    await admin.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
  });
  after(async () => {
    if (skip) return;
    await t.cleanup();
    await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin.end();
  });

  it('lists entities, one entity, dead letters and keys', { skip }, async () => {
    const url = new URL(PG_URL);
    url.username = role;
    const env = { ...t.env, PRECURSOR_DATABASE_URL: url.toString() };
    for (const args of READS) {
      const r = await cli(args, env);
      assert.equal(r.code, EXIT.OK, `${args.join(' ')}: ${r.err}`);
      assert.ok(r.out.length > 0, args.join(' '));
    }
    // The role really cannot write: a command that writes is refused by the database.
    const w = await cli(['keys', 'create', '--role', 'reader'], env);
    assert.notEqual(w.code, EXIT.OK);
  });
});
