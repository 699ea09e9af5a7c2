import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import type { CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { createDomainEngine, defaultBrandsDir, loadBrandProfiles } from '../../detect/domain/index.js';
import { jsonLine, scoreCommand, toJson } from './score.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin = '', tty = false): Promise<Run> {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const io: CliIo = { stdout, stderr, stdin: Readable.from([stdin]), env: {}, cwd: process.cwd() };
  let code = -1;
  const program = new Command().exitOverride();
  scoreCommand.register(program, io, (c) => {
    code = c;
  });
  await program.parseAsync(['node', 'precursor', 'score', ...args]);
  return { code, stdout: out, stderr: err };
}

const jsonLines = (s: string): Record<string, unknown>[] =>
  s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('precursor score', () => {
  it('writes one JSON line per name from stdin, with the documented fields', async () => {
    const r = await run([], 'micros0ft.com\nexample.com\n');
    assert.equal(r.code, EXIT.OK);
    const [first, second] = jsonLines(r.stdout);
    assert.deepEqual(Object.keys(first ?? {}).slice(0, 5), [
      'domain',
      'unicode',
      'registrable',
      'score',
      'flagged',
    ]);
    assert.equal(first?.brand, 'microsoft');
    assert.equal(first?.flagged, true);
    const signals = first?.signals as { id: string; weight: number; detail: string }[];
    assert.equal(signals[0]?.id, 'domain.homoglyph');
    assert.equal(second?.flagged, false);
  });
  it('extracts hosts from URLs and certstream lines, and filters with --only-flagged', async () => {
    const cert = JSON.stringify({ data: { leaf_cert: { all_domains: ['paypa1.com', 'example.org'] } } });
    const r = await run(
      ['--only-flagged', '-'],
      `https://login.microsoftonline.com.secure-auth.top/x\n${cert}\n`,
    );
    assert.deepEqual(
      jsonLines(r.stdout).map((l) => l.domain),
      ['login.microsoftonline.com.secure-auth.top', 'paypa1.com'],
    );
  });
  it('reports garbage per line as JSON errors and exits PARTIAL, never crashing', async () => {
    const r = await run([], 'a..b.com\n{bad json\nxn--zzzz.com\nmicros0ft.com\n');
    assert.equal(r.code, EXIT.PARTIAL);
    const lines = jsonLines(r.stdout);
    assert.equal(lines.length, 4);
    assert.deepEqual(
      lines.slice(0, 3).map((l) => (l.error as { code: string }).code),
      ['EMPTY_LABEL', 'PARSE_ERROR', 'INVALID_PUNYCODE'],
    );
    assert.equal(lines[1]?.line, 2);
    assert.equal(lines[3]?.flagged, true);
  });
  it('honours --threshold and reads files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const file = join(dir, 'names.txt');
    writeFileSync(file, 'microsoft-login.com\n');
    const r = await run(['--threshold', '99', file]);
    assert.equal(jsonLines(r.stdout)[0]?.flagged, false);
    assert.equal((await run(['--threshold', 'abc'])).code, EXIT.USAGE);
    assert.equal((await run([join(dir, 'missing.txt')])).code, EXIT.FAILURE);
  });
  it('loads brands from --brands and fails clearly on bad profiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brands-'));
    writeFileSync(join(dir, 'acme.yaml'), 'id: acme\nname: Acme\nofficial: [acme.com]\ntokens: [acmecorp]\n');
    const r = await run(['--brands', dir], 'acmec0rp.com\nmicros0ft.com\n');
    const [acme, ms] = jsonLines(r.stdout);
    assert.equal(acme?.brand, 'acme');
    assert.equal(ms?.brand, null);
    writeFileSync(join(dir, 'acme.yaml'), 'id: acme\n');
    const bad = await run(['--brands', dir], 'x.com\n');
    assert.equal(bad.code, EXIT.USAGE, 'bad brand profiles are CONFIG_INVALID (exit 2)');
    assert.match(bad.stderr, /^precursor: CONFIG_INVALID: .*acme\.yaml is invalid/);
  });
  it('prints a table on a terminal unless --json is given', async () => {
    const table = await run([], 'micros0ft.com\n', true);
    assert.match(table.stdout, /SCORE\s+FLAG\s+BRAND/);
    assert.match(table.stdout, /micros0ft\.com/);
    const forced = await run(['--json'], 'micros0ft.com\n', true);
    assert.equal(jsonLines(forced.stdout)[0]?.domain, 'micros0ft.com');
  });
  it('splits lines as readline does, across chunk boundaries (CRLF, lone CR, no final newline)', async () => {
    const text = 'micros0ft.com\r\nexample.com\rpaypa1.com\n\nlast.com';
    // Every split point, so a CR/LF pair or a multi-byte character may straddle two chunks.
    const bytes = Buffer.from(`${text}\nmícrosoft.com`);
    const expected = (await run([], bytes.toString())).stdout;
    for (let at = 1; at < bytes.length; at++) {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const io: CliIo = {
        stdout,
        stderr: new PassThrough(),
        stdin: Readable.from([bytes.subarray(0, at), bytes.subarray(at)]),
        env: {},
        cwd: process.cwd(),
      };
      const program = new Command().exitOverride();
      scoreCommand.register(program, io, () => {});
      await program.parseAsync(['node', 'precursor', 'score']);
      assert.equal(out, expected, `split at byte ${at}`);
    }
    const lines = jsonLines(expected);
    assert.deepEqual(
      lines.map((l) => l.domain ?? (l.error as { code: string }).code),
      ['micros0ft.com', 'example.com', 'paypa1.com', 'last.com', 'xn--mcrosoft-c2a.com'],
    );
    assert.equal(lines[3]?.domain, 'last.com');
  });
  it('writes each line as JSON.stringify of the documented object would', () => {
    const engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
    for (const name of [
      'micros0ft.com',
      'example.com',
      'xn--mcrosoft-c2a.com',
      'login-rnicrosoft.top',
      'a\u2028b.com',
      'www.paypal.com.edgekey.net',
    ]) {
      const r = engine.score(name);
      if (r.ok) assert.equal(jsonLine(r), `${JSON.stringify(toJson(r))}\n`, name);
    }
    const r = engine.score('micros0ft.com');
    assert.ok(r.ok);
    const odd = {
      ...r,
      unicode: 'q"\\\u0001\ud800',
      signals: [{ id: 'x', weight: -0.5, detail: 'é\u2028"' }],
    } as unknown as typeof r;
    assert.equal(jsonLine(odd), `${JSON.stringify(toJson(odd))}\n`);
  });
});
