/**
 * Every documented option does what it says: `entities --order score` orders, lists say when they are
 * cut and how to get the next page, `--limit 0` lists everything, `--after` takes the key the table
 * shows; the configuration example in docs/config.md has its effect and mistyped keys are refused;
 * `crawl --brands/--kits` with a path that does not exist stops the crawl.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-options-'));

interface Row {
  key: string;
  display: string;
  score: number | null;
  flagged: boolean;
  signals: Array<{ id: string; weight: number; points: number }>;
}
const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Row);

/** Names with very different scores whose key order is not their score order. */
const NAMES = [
  'aaa-plain-bakery.com',
  'bbb-weather-notes.org',
  'rnicrosoft-helpdesk.top',
  'login-verify.xyz',
  'zz-paypa1-secure-login.com',
  'mіcrosoft.com', // Cyrillic і: an IDN, shown in Unicode, keyed in punycode
];

describe('listing options', () => {
  const env = { PRECURSOR_HOME: join(dir, 'list-home') };
  before(async () => {
    const file = join(dir, 'names.txt');
    const filler = Array.from({ length: 140 }, (_, i) => `filler-${String(i).padStart(3, '0')}.example.net`);
    writeFileSync(file, `${[...NAMES, ...filler].join('\n')}\n`);
    const r = await cli(['ingest', 'list', file], env);
    assert.equal(r.code, EXIT.OK, r.err);
  });

  it('`--order score` lists the highest scores first', async () => {
    const byScore = rows((await cli(['entities', '--order', 'score', '--limit', '10', '--json'], env)).out);
    const scores = byScore.map((r) => r.score ?? -1);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.equal(byScore[0]?.key.startsWith('domain:'), true);
    assert.ok((byScore[0]?.score ?? 0) > 80, 'the best lookalike first');
    const byKey = rows((await cli(['entities', '--limit', '10', '--json'], env)).out);
    assert.notDeepEqual(
      byKey.map((r) => r.key),
      byScore.map((r) => r.key),
    );
  });

  it('a cut list says so and prints the next page; following it lists everything once', async () => {
    const all = rows((await cli(['entities', '--limit', '0', '--json'], env)).out).map((r) => r.key);
    assert.equal(all.length, 146, '--limit 0 lists all, past the default 100');

    const first = await cli(['entities', '--limit', '50'], env);
    const hint = /^-- showing 50 entities; more follow\. Next page: (precursor entities .*)$/m.exec(
      first.out,
    );
    assert.ok(hint, first.out);
    const seen: string[] = [];
    let page = first.out;
    let command = hint[1] as string;
    for (let i = 0; i < 10; i++) {
      for (const line of page.split('\n')) {
        const m = /^\s+(?:\d+|-)\s+(?:yes)?\s+\w+\s+(\S+)/.exec(line);
        if (m) seen.push(m[1] as string);
      }
      const next = /Next page: (precursor entities .*)$/m.exec(page);
      if (!next) break;
      command = next[1] as string;
      const args = command.replace(/^precursor /, '').split(' ');
      page = (await cli(args, env)).out;
    }
    assert.deepEqual(seen, all, 'the pages, in order, are the whole list');
  });

  it('in --json mode the notice goes to stderr and stdout stays JSON lines', async () => {
    const r = await cli(['entities', '--order', 'score', '--limit', '3', '--json'], env);
    assert.equal(rows(r.out).length, 3);
    assert.ok(r.out.split('\n').every((l) => l === '' || l.startsWith('{')));
    const m =
      /^precursor: notice: showing 3 entities; more follow\. Next page: precursor entities (.*)$/m.exec(
        r.err,
      );
    assert.ok(m, r.err);
    const next = rows((await cli(['entities', ...(m[1] as string).split(' ')], env)).out);
    const four = rows((await cli(['entities', '--order', 'score', '--limit', '6', '--json'], env)).out);
    assert.deepEqual(
      next.map((x) => x.key),
      four.slice(3).map((x) => x.key),
      'score order continues after the last key shown',
    );
  });

  it('`--after` takes the key as the table shows it, or the domain as a person writes it', async () => {
    const table = (await cli(['entities', '--search', 'crosoft'], env)).out;
    assert.match(
      table,
      /domain:xn--mcrosoft-\S+ \(mіcrosoft\.com\)/,
      'the key, with the Unicode form beside it',
    );
    const all = rows((await cli(['entities', '--limit', '0', '--json'], env)).out).map((r) => r.key);
    const idn = all.find((k) => k.startsWith('domain:xn--mcrosoft')) as string;
    const expected = all.slice(all.indexOf(idn) + 1, all.indexOf(idn) + 3);
    for (const after of [idn, 'mіcrosoft.com', idn.slice('domain:'.length)]) {
      const r = await cli(['entities', '--after', after, '--limit', '2', '--json'], env);
      assert.deepEqual(
        rows(r.out).map((x) => x.key),
        expected,
        `--after ${after}`,
      );
    }
  });

  it('dead letters page the same way, by the id the list shows', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${Array.from({ length: 7 }, (_, i) => `bad line ${i}!`).join('\n')}\n`);
    await cli(['ingest', 'list', bad, '--no-detect'], env);
    const first = await cli(['dead-letters', '--limit', '3'], env);
    const ids = [...first.out.matchAll(/^#(\d+) /gm)].map((m) => Number(m[1]));
    assert.equal(ids.length, 3);
    const next = /Next page: precursor dead-letters (.*)$/m.exec(first.out);
    assert.ok(next, first.out);
    assert.match(next[1] as string, new RegExp(`--after ${ids[2]}$`));
    const second = await cli(['dead-letters', '--limit', '3', '--after', `#${ids[2]}`], env);
    assert.deepEqual(
      [...second.out.matchAll(/^#(\d+) /gm)].map((m) => Number(m[1])),
      [(ids[2] as number) + 1, (ids[2] as number) + 2, (ids[2] as number) + 3],
    );
    const all = (await cli(['dead-letters', '--limit', '0', '--json'], env)).out.trim().split('\n');
    assert.equal(all.length, 7);
  });
});

describe('configuration', () => {
  /** The YAML example of docs/config.md, as documented. */
  const example = (): string => {
    const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
    const m = /Example:\s*```yaml\n([\s\S]*?)```/.exec(doc);
    assert.ok(m, 'docs/config.md has a YAML example');
    return m[1] as string;
  };

  it('the example in docs/config.md has its documented effect', async () => {
    const home = join(dir, 'config-home');
    const cfg = join(dir, 'example.yaml');
    writeFileSync(cfg, example().replace(/^home: .*$/m, `home: ${home}`));
    const names = join(dir, 'one.txt');
    writeFileSync(names, 'login-verify.xyz\n');
    const r = await cli(['--config', cfg, 'ingest', 'list', names], {});
    assert.equal(r.code, EXIT.OK, r.err);
    const e = JSON.parse((await cli(['--config', cfg, 'entity', 'login-verify.xyz', '--json'], {})).out) as {
      assessment: { score: number; flagged: boolean; signals: Array<{ id: string; weight: number }> };
    };
    // `detectors.domain.weights.abusedTld: 25` (default 15) and `scoring.flag: 60` (default 50).
    assert.equal(e.assessment.signals.find((s) => s.id === 'domain.abused-tld')?.weight, 25);
    assert.ok(e.assessment.score >= 50 && e.assessment.score < 60, String(e.assessment.score));
    assert.equal(e.assessment.flagged, false, 'below the example flag threshold of 60');

    const plain = { PRECURSOR_HOME: join(dir, 'default-home') };
    await cli(['ingest', 'list', names], plain);
    const d = JSON.parse((await cli(['entity', 'login-verify.xyz', '--json'], plain)).out) as {
      assessment: { flagged: boolean; signals: Array<{ id: string; weight: number }> };
    };
    assert.equal(d.assessment.signals.find((s) => s.id === 'domain.abused-tld')?.weight, 15);
    assert.equal(d.assessment.flagged, true, 'with the defaults the same name is flagged');
  });

  it('unknown or mistyped keys anywhere are CONFIG_INVALID (exit 2) naming the key', async () => {
    const cases: Array<[string, RegExp]> = [
      ['domian:\n  x: 1\n', /domian/],
      ['scoring:\n  flg: 60\n', /flg/],
      ['detectors:\n  domian: {}\n', /detectors\.domian: unknown detector/],
      ['detectors:\n  domain:\n    threshold: 60\n', /detectors\.domain: unknown key threshold/],
      ['detectors:\n  domain:\n    weights:\n      abusedTLD: 20\n', /unknown key weights\.abusedTLD/],
      ['detectors:\n  domain:\n    weights:\n      abusedTld: high\n', /weights\.abusedTld must be a number/],
      ['detectors:\n  page:\n    wieghts: {}\n', /detectors\.page/],
      ['detectors:\n  tenant:\n    defualts: {}\n', /detectors\.tenant: unknown key defualts/],
    ];
    for (const [yaml, why] of cases) {
      const cfg = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(cfg, `home: ${join(dir, 'bad-home')}\n${yaml}`);
      const r = await cli(['--config', cfg, 'entities'], {});
      assert.equal(r.code, EXIT.USAGE, `${yaml}: ${r.err}`);
      assert.match(r.err, /^precursor: CONFIG_INVALID: /, yaml);
      assert.match(r.err, why, yaml);
    }
  });
});

describe('crawl data paths', () => {
  it('`crawl --brands PATH` or `--kits PATH` that does not exist stops with a usage error', async () => {
    for (const flag of ['--brands', '--kits']) {
      const r = await cli(['crawl', '--no-store', flag, join(dir, 'no-such-dir'), 'http://127.0.0.1:9/'], {
        PRECURSOR_HOME: join(dir, 'crawl-home'),
      });
      assert.equal(r.code, EXIT.USAGE, `${flag}: ${r.err}`);
      assert.match(
        r.err,
        new RegExp(`^precursor: VALIDATION_FAILED: ${flag} .*no-such-dir: no such file or directory`),
      );
      assert.equal(r.out, '', 'nothing was crawled');
    }
  });
});
