import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { commandWord } from './command-word.js';

describe('bin: the command word', () => {
  it('is the first word after the global flags and their values', () => {
    assert.equal(commandWord(['score', 'x.txt']), 'score');
    assert.equal(commandWord(['--home', 'score', 'ingest', 'list']), 'ingest');
    assert.equal(commandWord(['--home=/tmp/h', 'score']), 'score');
    assert.equal(commandWord(['--config', 'c.yaml', '--database-url', 'postgres://x', 'score']), 'score');
  });
  it('is unknown for anything else, which then takes the full program', () => {
    assert.equal(commandWord([]), undefined);
    assert.equal(commandWord(['--help']), undefined);
    assert.equal(commandWord(['--version']), undefined);
    assert.equal(commandWord(['--unknown', 'score']), undefined);
  });
});

describe('bin: `ingest` loaded on its own', () => {
  // The launcher loads only the ingest commands for `precursor ingest …`; what a user sees must be what
  // the full program shows.
  const ROOT = new URL('../..', import.meta.url).pathname;
  const run = (entry: string, args: readonly string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PRECURSOR_LOG_LEVEL: 'silent' },
    });
  for (const args of [
    ['ingest', '--help'],
    ['ingest', 'certstream', '--help'],
    ['ingest', 'events', '--help'],
    ['ingest', 'nosuch'],
  ]) {
    it(`prints what the full program prints for \`${args.join(' ')}\``, () => {
      const bin = run('src/cli/bin.ts', args);
      const main = run('src/cli/main.ts', args);
      assert.equal(bin.status, main.status);
      assert.equal(bin.stdout, main.stdout);
      assert.equal(bin.stderr, main.stderr);
      assert.ok(bin.stdout.length + bin.stderr.length > 0);
    });
  }
});
