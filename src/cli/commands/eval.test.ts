import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { capturedIo } from '../../../test/support/cli.js';
import { EXIT } from '../exit-codes.js';
import { evalCommand } from './eval.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out, err } = capturedIo();
  let code = -1;
  const program = new Command().exitOverride();
  evalCommand.register(program, io, (c) => {
    code = c;
  });
  await program.parseAsync(['node', 'precursor', 'eval', ...args]);
  return { code, stdout: out(), stderr: err() };
}

describe('precursor eval names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-names-'));
  const pos = join(dir, 'pos.heldout.txt');
  const neg = join(dir, 'neg.txt');
  writeFileSync(
    pos,
    '# positives\nlogin-rnicrosoft.top typo\npaypa1-secure.xyz typo\nexample-garden.org plain\n',
  );
  writeFileSync(neg, 'google.com\nwww.bbc.co.uk\nmicrosoft.com\n');

  it('reports recall, false-positive rate and precision, per class and signal, with explained misses', async () => {
    const r = await run(['names', '--positives', pos, '--negatives', neg, '--json']);
    assert.equal(r.code, EXIT.OK, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.overall.positives, 3);
    assert.equal(report.overall.negatives, 3);
    assert.equal(report.overall.truePositives, 2);
    assert.equal(report.overall.falsePositives, 0);
    assert.equal(report.overall.precision, 1);
    const classes = Object.fromEntries(report.classes.map((c: { class: string }) => [c.class, c]));
    assert.equal(classes.typo.recall, 1);
    assert.equal(classes.plain.recall, 0);
    assert.equal(classes.neg.falsePositiveRate, 0, 'a file without classes gives its name as the class');
    assert.equal(report.worstMisses[0].name, 'example-garden.org');
    assert.ok(report.signals.some((s: { id: string; positives: number }) => s.positives > 0));
  });

  it('prints a table, and refuses a run without corpora or with a bad threshold', async () => {
    const table = await run(['names', '--positives', pos]);
    assert.match(table.stdout, /recall 66\.67% \(2\/3\)/);
    assert.match(table.stdout, /worst misses/);
    assert.equal((await run(['names'])).code, EXIT.USAGE);
    assert.equal((await run(['names', '--positives', pos, '--threshold', '120'])).code, EXIT.USAGE);
    assert.equal((await run(['names', '--positives', join(dir, 'missing.txt')])).code, EXIT.FAILURE);
  });
});

describe('precursor eval pages', () => {
  it('flags a saved kit page and leaves an honest page alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-pages-'));
    const fixtures = join(process.cwd(), 'test', 'fixtures', 'pages');
    mkdirSync(join(dir, 'phishing', 'accounts.g.cdcde.com'), { recursive: true });
    mkdirSync(join(dir, 'benign'), { recursive: true });
    copyFileSync(
      join(fixtures, 'real', 'accounts.g.cdcde.com.html'),
      join(dir, 'phishing', 'accounts.g.cdcde.com', 'index.html'),
    );
    writeFileSync(
      join(dir, 'phishing', 'accounts.g.cdcde.com', 'url.txt'),
      'https://accounts.g.cdcde.com/ServiceLogin\n',
    );
    copyFileSync(
      join(fixtures, 'honest', 'signin-plain.html'),
      join(dir, 'benign', 'accounts.acme-widgets.com.html'),
    );
    const r = await run(['pages', dir, '--json']);
    assert.equal(r.code, EXIT.OK, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.overall.positives, 1);
    assert.equal(report.overall.negatives, 1);
    assert.equal(report.overall.truePositives, 1, 'the captured Google clone is flagged');
    assert.equal(report.overall.falsePositives, 0);
    assert.equal((await run(['pages', join(dir, 'phishing', 'nothing-here')])).code, EXIT.FAILURE);
  });

  it('reports each class folder of a label on its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-page-classes-'));
    const page = (path: string, html: string, url: string) => {
      mkdirSync(join(dir, path), { recursive: true });
      writeFileSync(join(dir, path, 'index.html'), html);
      writeFileSync(join(dir, path, 'url.txt'), `${url}\n`);
    };
    const form =
      '<h2>Sign in to read your voicemail</h2><form action="/v" method="post"><input type="email" name="email"><input type="password" name="password"></form>';
    page(
      'phishing/plain/voicemail',
      `<html><body>${form}</body></html>`,
      'https://green-valley-gardening.com/',
    );
    page(
      'phishing/obf-base64/voicemail',
      `<html><body><script>document.write(atob("${Buffer.from(form).toString('base64')}"))</script></body></html>`,
      'https://green-valley-gardening.com/',
    );
    page(
      'benign/new-honest/search',
      '<html><body><form action="/search"><input name="q"></form></body></html>',
      'https://www.example.org/',
    );
    const r = await run(['pages', dir, '--json']);
    assert.equal(r.code, EXIT.OK, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.classes.map(
        (c: { class: string; positives: number; truePositives: number; negatives: number }) => [
          c.class,
          c.positives,
          c.truePositives,
          c.negatives,
        ],
      ),
      [
        ['phishing/obf-base64', 1, 1, 0],
        ['phishing/plain', 1, 1, 0],
        ['benign/new-honest', 0, 0, 1],
      ],
    );
    const table = await run(['pages', dir]);
    assert.match(table.stdout, /per class:\n\s+phishing\/obf-base64\s+recall 100\.00% \(1\/1\)/);
  });
});
