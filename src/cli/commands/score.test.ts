import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Command } from 'commander';
import { capturedIo } from '../../../test/support/cli.js';
import { EXIT } from '../exit-codes.js';
import { createDomainEngine, defaultBrandsDir, loadBrandProfiles } from '../../detect/domain/index.js';
import { jsonLine, toJson } from '../score/format.js';
import type { ScoreWorkerData } from '../score/pool.js';
import { runScore, type ScoreOptions, type ScoreTuning, scoreCommand } from './score.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin = '', tty = false): Promise<Run> {
  const { io, out, err } = capturedIo([stdin], tty);
  let code = -1;
  const program = new Command().exitOverride();
  scoreCommand.register(program, io, (c) => {
    code = c;
  });
  await program.parseAsync(['node', 'precursor', 'score', ...args]);
  return { code, stdout: out(), stderr: err() };
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
      const { io, out } = capturedIo([bytes.subarray(0, at), bytes.subarray(at)]);
      const program = new Command().exitOverride();
      scoreCommand.register(program, io, () => {});
      await program.parseAsync(['node', 'precursor', 'score']);
      assert.equal(out(), expected, `split at byte ${at}`);
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

/** `runScore` with stdin in the given chunks, stdout a terminal or not, and the threading tuned. */
async function runDirect(
  opts: ScoreOptions,
  chunks: readonly string[],
  tuning: ScoreTuning = {},
  tty = false,
): Promise<Run> {
  const { io, out, err } = capturedIo(chunks, tty);
  const code = await runScore([], opts, io, tuning);
  return { code, stdout: out(), stderr: err() };
}

/**
 * ~2,000 mixed lines (names, URLs, defanged URLs, certstream JSON, rejected lines, Unicode, upper case,
 * CRLF and lone CR) cut into chunks of 1–4 KiB, so the input makes many blocks for the workers.
 */
function mixedInput(): string[] {
  const shapes = [
    (i: number) => `login-micros0ft-${i}.com`,
    (i: number) => `https://paypa1-${i}.top/signin?x=${i}`,
    (i: number) => `hxxps://secure-app1e-${i}[.]com/a`,
    (i: number) =>
      JSON.stringify({ data: { leaf_cert: { all_domains: [`www.host${i}.com`, `amaz0n-${i}.shop`] } } }),
    () => 'a..b.com',
    () => '{bad json',
    (i: number) => `site${i}.example.org`,
    (i: number) => `MICROSOFT-${i}.ONLINE.`,
    (i: number) => `pаypal-${i}.com`,
    () => '',
    (i: number) => `www.shop${i % 50}.co.uk`,
  ];
  let text = '';
  for (let i = 0; i < 2000; i++)
    text += `${(shapes[i % shapes.length] as (i: number) => string)(i)}${['\n', '\n', '\r\n', '\r'][i % 4]}`;
  const chunks: string[] = [];
  for (let at = 0, k = 0; at < text.length; k++) {
    const size = 1024 + ((k * 977) % 3072);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * Starts the real worker (from the TypeScript sources, as pool.ts does under tsx) after `prelude`, a
 * script run first in the worker that may change how it answers: the tests make workers slow, broken
 * or crash on purpose.
 */
function workerWith(prelude: string): (data: ScoreWorkerData) => Worker {
  const url = new URL('../score/worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return (data) =>
    new Worker(
      `${prelude}\nimport(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`,
      { eval: true, workerData: data },
    );
}

describe('precursor score --threads', () => {
  const chunks = mixedInput();
  const everywhere: ScoreTuning = { parallelMinBytes: 0 };

  it('writes the same bytes, stderr and exit code with worker threads as with one thread', async () => {
    for (const [opts, tty] of [
      [{}, false],
      [{ onlyFlagged: true, threshold: '30' }, false],
      [{}, true],
    ] as const) {
      const one = await runDirect({ ...opts, threads: '1' }, chunks, everywhere, tty);
      const three = await runDirect({ ...opts, threads: '3' }, chunks, everywhere, tty);
      assert.equal(three.stdout, one.stdout, JSON.stringify(opts));
      assert.equal(three.stderr, one.stderr);
      assert.equal(three.code, one.code);
      assert.equal(one.code, EXIT.PARTIAL);
    }
  });

  it('keeps input order when a worker answers its first block last', async () => {
    const one = await runDirect({ threads: '1' }, chunks, everywhere);
    // The first block each worker is sent is answered after everything else it scores.
    const slow = workerWith(`
      const { parentPort } = require('node:worker_threads');
      const post = parentPort.postMessage.bind(parentPort);
      let first = true;
      parentPort.postMessage = (m, t) => {
        const wait = first ? 1500 : 0;
        first = false;
        setTimeout(() => post(m, t), wait);
      };`);
    const r = await runDirect({ threads: '3' }, chunks, { ...everywhere, spawnWorker: slow });
    assert.equal(r.stdout, one.stdout);
    assert.equal(r.code, one.code);
  });

  it('loses and moves no line when workers crash, fail a block or do not start', async () => {
    const one = await runDirect({ threads: '1' }, chunks, everywhere, true);
    const crashing = workerWith(`
      const { parentPort } = require('node:worker_threads');
      let n = 0;
      parentPort.on('message', () => { if (++n === 2) throw new Error('worker crashed'); });`);
    const failing = workerWith(`
      const { parentPort } = require('node:worker_threads');
      const post = parentPort.postMessage.bind(parentPort);
      let n = 0;
      parentPort.postMessage = (m, t) => (++n % 2 === 0 ? post({ op: 'failed', id: m.id, message: 'x' }) : post(m, t));`);
    const dead = workerWith(`throw new Error('no engine here');`);
    const unstartable = (): Worker => {
      throw new Error('no threads');
    };
    for (const spawnWorker of [crashing, failing, dead, unstartable]) {
      const r = await runDirect({ threads: '3' }, chunks, { ...everywhere, spawnWorker }, true);
      assert.equal(r.stdout, one.stdout);
      assert.equal(r.stderr, one.stderr);
      assert.equal(r.code, one.code);
    }
  });

  it('refuses a thread count that is not a whole number from 1', async () => {
    for (const threads of ['0', '-2', '1.5', 'many']) {
      const r = await run(['--threads', threads], 'example.com\n');
      assert.equal(r.code, EXIT.USAGE, threads);
      assert.match(r.stderr, /^precursor: VALIDATION_FAILED: --threads/);
    }
  });
});
