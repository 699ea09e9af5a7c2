/**
 * One error style everywhere — `precursor: CODE: message`, codes from docs/errors.md — with no stack
 * trace for a foreseeable failure, exit 2 for usage, and a reader that goes away (`| head -1`) ending
 * the command quietly with success. Child processes where only a real pipe or port shows it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../support/cli.js';
import { finished, spawnPrecursor } from '../support/cli-process.js';

const ERROR_LINE = /^precursor: ([A-Z_]+): \S/;
const documented = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** Every line of stderr that reports an error is in the one style, with a documented code. */
function assertOneStyle(err: string): string[] {
  const codes: string[] = [];
  for (const line of err.split('\n').filter((l) => l.trim() !== '')) {
    if (line.startsWith('(run with --help')) continue;
    assert.doesNotMatch(line, /^\s+at /, `no stack trace: ${err}`);
    const m = ERROR_LINE.exec(line);
    assert.ok(m, `'${line}' is in the form precursor: CODE: message`);
    const code = m[1] as string;
    assert.ok(code in ERROR_CODES, `${code} is an error code`);
    assert.match(documented, new RegExp(`\`${code}\``), `${code} is documented in docs/errors.md`);
    codes.push(code);
  }
  assert.ok(codes.length > 0, `an error was reported: '${err}'`);
  return codes;
}

/** Reads the first chunk a child writes, then closes the pipe, as `| head -1` does. */
async function readOneAndClose(args: string[], stdin?: string) {
  const child = spawnPrecursor(args, {}, [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']);
  if (stdin !== undefined) {
    // The child may stop reading once its reader is gone; the rest of our input has nowhere to go.
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  }
  const stdout = child.stdout as NodeJS.ReadableStream & { destroy(): void };
  const first = await new Promise<string>((resolve) =>
    stdout.once('data', (d: Buffer) => resolve(d.toString())),
  );
  stdout.destroy();
  const done = await finished(child);
  return { first, ...done };
}

describe('errors and closed pipes, as a user meets them', () => {
  const home = mkdtempSync(join(tmpdir(), 'precursor-errors-'));
  const names = Array.from({ length: 3000 }, (_, i) => `login-host-${i}-secure-verify.example-${i % 7}.com`);

  before(async () => {
    // Enough entities and dead letters that their listings do not fit in a pipe's buffer.
    const list = join(home, 'names.txt');
    writeFileSync(list, `${names.join('\n')}\n${names.map((n) => `bad name ${n}!`).join('\n')}\n`);
    const r = await cli(['--home', home, 'ingest', 'list', list]);
    assert.equal(r.code, EXIT.PARTIAL, r.err);
  });

  it('`entities --json | head -1` ends quietly with exit 0 (no EPIPE stack trace)', {
    timeout: 60_000,
  }, async () => {
    const r = await readOneAndClose(['--home', home, 'entities', '--json', '--limit', '0']);
    assert.match(r.first, /^\{"key":"domain:/);
    assert.equal(r.err, '');
    assert.equal(r.code, EXIT.OK);
  });

  it('`dead-letters --json | head -1` ends quietly with exit 0', { timeout: 60_000 }, async () => {
    const r = await readOneAndClose(['--home', home, 'dead-letters', '--json', '--limit', '0']);
    assert.match(r.first, /^\{"id":/);
    assert.equal(r.err, '');
    assert.equal(r.code, EXIT.OK);
  });

  it('`score | head -1` ends quietly with exit 0 and does not blame its input', {
    timeout: 60_000,
  }, async () => {
    const r = await readOneAndClose(['score', '--json'], `${names.concat(names, names).join('\n')}\n`);
    assert.match(r.first, /^\{"domain":/);
    assert.doesNotMatch(r.err, /cannot read|EPIPE/);
    assert.equal(r.err, '');
    assert.equal(r.code, EXIT.OK);
  });

  it('a missing input file is SOURCE_FAILED naming the file, without a stack trace', async () => {
    const missing = join(home, 'nope.txt');
    for (const args of [
      ['ingest', 'list', missing],
      ['ingest', 'zone', '--old', missing, '--new', missing],
      ['ingest', 'events', missing],
      ['ingest', 'certstream', missing],
    ]) {
      const r = await cli(['--home', home, ...args]);
      assert.equal(r.code, EXIT.FAILURE, `${args.join(' ')}: ${r.err}`);
      assert.deepEqual(assertOneStyle(r.err), ['SOURCE_FAILED'], args.join(' '));
      assert.match(r.err, /nope\.txt: no such file or directory/);
    }
  });

  it('`serve --port 99999` is a usage error; a busy port is LISTEN_FAILED; neither has a stack trace', {
    timeout: 60_000,
  }, async () => {
    const bad = await cli(['--home', home, 'serve', '--port', '99999']);
    assert.equal(bad.code, EXIT.USAGE);
    assert.deepEqual(assertOneStyle(bad.err), ['VALIDATION_FAILED']);
    assert.match(bad.err, /--port must be an integer from 0 to 65535/);

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const busy = await finished(
        spawnPrecursor(['--home', home, 'serve', '--port', String(port)], {}, ['ignore', 'pipe', 'pipe']),
      );
      assert.equal(busy.code, EXIT.FAILURE, busy.err);
      assert.deepEqual(assertOneStyle(busy.err), ['LISTEN_FAILED']);
      assert.match(busy.err, new RegExp(`127\\.0\\.0\\.1:${port}: the address is already in use`));
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('a missing subcommand is a usage error (exit 2) that names the choices', async () => {
    for (const args of [[], ['ingest'], ['keys']]) {
      const r = await cli(['--home', home, ...args]);
      assert.equal(r.code, EXIT.USAGE, args.join(' '));
      assert.deepEqual(assertOneStyle(r.err), ['VALIDATION_FAILED']);
      assert.match(r.err, /needs a subcommand: /);
    }
    const ingest = await cli(['ingest']);
    assert.match(ingest.err, /list, ct, certstream, zone, events/);
  });

  it('commander, score and crawl complaints use the same style', async () => {
    const cases: Array<[string[], number]> = [
      [['entities', '--bogus'], EXIT.USAGE],
      [['entities', '--limit', 'many'], EXIT.USAGE],
      [['score', '--threshold', '500'], EXIT.USAGE],
      [['score', join(home, 'missing.txt')], EXIT.FAILURE],
      [['crawl', '--no-store'], EXIT.USAGE],
      [['crawl', '--no-store', '--concurrency', '0', 'http://x.test/'], EXIT.USAGE],
      [['entity', 'not a key!'], EXIT.USAGE],
      [['entity', 'domain:never-seen.example'], EXIT.FAILURE],
    ];
    for (const [args, code] of cases) {
      const r = await cli(['--home', home, ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
      assertOneStyle(r.err);
    }
  });
});
